// Reference: bare node:http answering the TechEmpower plaintext and JSON tests (no database).
import http from 'node:http';
import { announce, closeOnSignals, closeServer, listenHost, listenPort } from './runtime.js';

const server = http.createServer((req, res) => {
  if (req.url === '/plaintext') {
    res.writeHead(200, { Server: 'node', 'Content-Type': 'text/plain', 'Content-Length': 13 });
    res.end('Hello, World!');
  } else if (req.url === '/json') {
    const body = JSON.stringify({ message: 'Hello, World!' });
    res.writeHead(200, { Server: 'node', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  } else {
    res.writeHead(404).end();
  }
});
server.listen(listenPort(), listenHost(), () => announce('node-http', (server.address() as { port: number }).port));
closeOnSignals(() => closeServer(server));
