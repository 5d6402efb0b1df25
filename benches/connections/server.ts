/**
 * The server of bench:connections: an engine (or, with SERVER=node-http, node:http) answering
 * `/` with a short text, `/large` with 1 MiB (what non-reading attackers ask for), `/stats` with
 * the engine's connection counters. Keep-alive is long so that idle connections stay open while
 * they are measured.
 */
import { Buffer } from 'node:buffer';
import http from 'node:http';
import { EngineServer } from '../../packages/core/src/engine/server.js';

const port = Number(process.env.PORT ?? 8080);
const host = '127.0.0.1';
const large = Buffer.alloc(1024 * 1024, 'x');
if (process.env.SERVER === 'node-http') {
  const server = http.createServer((req, res) => res.end(req.url === '/stats' ? '{}' : req.url === '/large' ? large : 'Hello, World!'));
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 10_000;
  server.maxConnections = 10_000;
  server.listen(port, host, () => console.log('listening'));
} else {
  const server: EngineServer = new EngineServer(
    (req, res) => res.end(req.path === '/stats' ? JSON.stringify({ ...server.stats, connections: server.connectionCount }) : req.path === '/large' ? large : 'Hello, World!'),
    { keepAliveTimeout: 120_000, headersTimeout: 10_000, maxConnections: Number(process.env.MAX_CONNECTIONS ?? 10_000) },
  );
  await server.listen({ port, host });
  console.log('listening');
}
