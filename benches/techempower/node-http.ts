// Reference: bare node:http answering the TechEmpower plaintext and JSON tests.
import http from 'node:http';

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
const port = Number(process.env.PORT ?? 8080);
server.listen(port, process.env.HOST ?? '127.0.0.1', () => console.log(`node-http tfb listening on ${port}`));
