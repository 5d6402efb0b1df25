// The ceiling of this machine + load generator: a node:net server that answers every request it
// sees (counted by CRLFCRLF, no parsing, no routing) with a canned plaintext response.
// Not an HTTP server: it exists only to show how much of the budget an HTTP stack leaves unused.
import net from 'node:net';

const response = 'HTTP/1.1 200 OK\r\nServer: canned\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\n\r\nHello, World!';
const END = Buffer.from('\r\n\r\n');
net
  .createServer((socket) => {
    socket.on('data', (data: Buffer) => {
      let n = 0;
      for (let i = data.indexOf(END); i !== -1; i = data.indexOf(END, i + 4)) n++;
      socket.write(n === 1 ? response : response.repeat(n), 'latin1');
    });
    socket.on('error', () => socket.destroy());
  })
  .listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? '127.0.0.1', () => console.log('canned-net listening'));
