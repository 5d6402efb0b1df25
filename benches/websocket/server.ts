// The echo server of the WebSocket benchmark: FRAMEWORK=armature (engine + @armature/websocket)
// or fastify (@fastify/websocket), on PORT; /echo sends every message back. GET /memory answers
// the heap in use after a GC (with --expose-gc) for the idle-socket figure.
import { createApp } from '@armature/core';
import { websocket } from '@armature/websocket';
import Fastify from 'fastify';
import fastifyWebsocket from '@fastify/websocket';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const framework = process.env.FRAMEWORK ?? 'armature';
const gc = (globalThis as { gc?: () => void }).gc;
const memory = (): { heapUsed: number; rss: number } => {
  gc?.();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, rss: m.rss };
};

if (framework === 'armature') {
  const app = createApp();
  const hub = websocket(app, { pingInterval: 0, maxConnections: 0 });
  hub.route('/echo', { message: (peer, data) => void peer.send(data) });
  app.get('/memory', () => memory());
  await app.listen({ port, host });
  process.once('SIGTERM', () => void app.close({ timeout: 1000 }).then(() => process.exit(0)));
} else if (framework === 'fastify') {
  const app = Fastify({ logger: false });
  await app.register(fastifyWebsocket);
  app.get('/echo', { websocket: true }, (socket) => {
    socket.on('message', (data: Buffer, isBinary: boolean) => socket.send(data, { binary: isBinary }));
  });
  app.get('/memory', async () => memory());
  await app.listen({ port, host });
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
} else {
  throw new Error(`FRAMEWORK must be armature or fastify, not ${framework}`);
}
