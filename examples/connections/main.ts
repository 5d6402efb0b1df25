// Connections under pressure and pooled buffers (docs/connections.md): the engine's limits and
// adaptive settings, and its counters at /stats.
//   PORT=3000 npx tsx examples/connections/main.ts
//   curl localhost:3000/small; curl -s localhost:3000/large | wc -c; curl localhost:3000/stats
import { createApp } from '@armature/core';

const app = createApp({
  maxConnections: 10_000, // hard limit: 503 above it, after idle and half-open connections are culled
  outputBudget: 1024 * 1024, // unsent bytes per connection before it stops dispatching
  sendTimeout: 30_000, // a client that stops reading is closed after this
  keepAliveTimeout: 5_000, // shortened under pressure, advertised in Keep-Alive
  pressure: { softConnections: 0.9, eventLoopUtilization: 0.9, heapRatio: 0.9, minKeepAliveTimeout: 1_000 },
  bufferSize: 'auto', // pooled output and head buffers follow recent traffic (the default)
});

const rows = Array.from({ length: 1500 }, (_, i) => ({ id: i, name: `item ${i}`, price: 1000 + i }));
app.get('/small', () => ({ message: 'Hello, World!' }));
app.get('/large', () => rows); // about 60 KiB of JSON: written through a pooled output buffer
app.get('/stats', () => ({ ...app.engine!.stats, connections: app.engine!.connectionCount }));

const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
console.log(`connections example listening on http://${address.address}:${address.port}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close({ timeout: 5000 }).then(() => process.exit(0)));
}
