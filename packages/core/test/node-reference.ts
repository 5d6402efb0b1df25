import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

/** What Node's own server (llhttp, insecureHTTPParser off) did with some raw bytes. */
export type NodeAnswer = number | 'closed' | 'timeout';

/** Node rejected the input: a 4xx/5xx answer, or the connection closed without one. */
export const isNodeRejection = (a: NodeAnswer): boolean => a === 'closed' || (typeof a === 'number' && a >= 400);

/**
 * Starts a node:http server on 127.0.0.1 that reads every body and answers 200 'ok', the
 * reference the parser tests compare against. Returns `send(raw)` and `close()`.
 */
export async function nodeReference(): Promise<{ send(raw: string): Promise<NodeAnswer>; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    send: (raw) => sendRaw(port, raw),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends raw bytes to 127.0.0.1:port; resolves with the first response status, 'closed' or 'timeout' (1 s). */
function sendRaw(port: number, raw: string): Promise<NodeAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let settled = false;
    const finish = (answer: NodeAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish('timeout'), 1000);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      text += d;
      const m = /^HTTP\/1\.[01] (\d{3}) /.exec(text);
      if (m && text.includes('\r\n\r\n')) finish(Number(m[1]));
    });
    socket.on('close', () => finish('closed'));
    socket.on('error', () => finish('closed'));
    socket.on('connect', () => socket.write(Buffer.from(raw, 'latin1')));
  });
}
