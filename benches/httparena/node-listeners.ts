// A listener of HttpArena's on Node's own servers, for a (req, res) request listener: node:http,
// node:https (ALPN http/1.1), node:http2 over TLS (ALPN h2, HTTP/1.1 fallback) or cleartext
// (prior knowledge only: node:http2 answers an HTTP/1.1 request by closing the connection).
// close() stops accepting, lets requests in flight finish (HTTP/2 sessions get GOAWAY) and
// resolves once the connections are gone.
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { tlsFiles } from './config.js';
import { listenHost, type Listener } from './profiles.js';

export type RequestListener = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void;

export interface OpenListener {
  port: number;
  close(): Promise<void>;
}

function create(listener: Listener, handler: RequestListener): http.Server | https.Server | http2.Http2Server {
  const h1 = handler as http.RequestListener;
  switch (listener) {
    case 'h1': return http.createServer(h1);
    case 'h1-tls': return https.createServer({ ...tlsFiles(), ALPNProtocols: ['http/1.1'] }, h1);
    case 'h2': return http2.createSecureServer({ ...tlsFiles(), allowHTTP1: true }, handler);
    case 'h2c': return http2.createServer({}, handler);
  }
}

/** Upgrade requests (WebSocket) of the HTTP/1.1 listeners; without one, node:http refuses them. */
export type UpgradeListener = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

export async function openNodeListener(listener: Listener, handler: RequestListener, port: number, upgrade?: UpgradeListener): Promise<OpenListener> {
  const server = create(listener, handler);
  if (upgrade !== undefined && (listener === 'h1' || listener === 'h1-tls')) server.on('upgrade', upgrade);
  const sessions = new Set<http2.Http2Session>();
  const sockets = new Set<Socket>();
  server.on('session', (session: http2.Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, listenHost(), () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const session of sessions) session.close();
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      // whatever is still open after 5 s (a client that never lets go) is cut
      setTimeout(() => { for (const s of sockets) s.destroy(); }, 5000).unref();
    }),
  };
}
