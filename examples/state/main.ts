// A feature-flag service whose flags are read on every request and changed live: a ReadState
// shared by the worker processes of this machine (through the primary), or, with REDIS_URL, by
// every process on every machine that uses that Redis; a change made through one process is what
// every process serves next.
//   WORKERS=2 PORT=3000 npx tsx examples/state/main.ts
//   REDIS_URL=redis://127.0.0.1:6379 WORKERS=0 PORT=3001 npx tsx examples/state/main.ts   (run two: 3001, 3002)
//   curl localhost:3000/flags                              → { flags, version, worker }
//   curl -X PUT localhost:3000/flags/beta -H 'content-type: application/json' -d '{"enabled":true}'
//   curl localhost:3000/checkout                           → reads one flag per request
//   curl localhost:3000/products                           → cached (Age: …) until a product is added
//   curl -X POST localhost:3000/products -H 'content-type: application/json' -d '{"name":"pear"}'
import { BadRequestException, createApp, isWorker, workerId } from '@armature/core';
import { Cache, ReadState, cacheResponses, redisSync, workerSync } from '@armature/state';
import { Redis } from 'ioredis';

type Flags = Record<string, boolean>;
const FLAG_NAME = /^[a-z][a-z0-9-]{0,63}$/;

const redisUrl = process.env.REDIS_URL;
const sync = redisUrl === undefined ? workerSync() : redisSync({ client: new Redis(redisUrl) });
const flags = new ReadState<Flags>({ beta: false, 'new-checkout': false }, { name: process.env.FLAGS_NAME ?? 'flags', sync });
flags.subscribe((value, version) => {
  console.error(`${isWorker() ? `worker ${workerId()}` : `process ${process.pid}`}: flags v${version} ${JSON.stringify(value)}`);
});

// each process caches answers in its own memory; adding a product invalidates the tag everywhere
const cache = new Cache({ sync, name: `${process.env.FLAGS_NAME ?? 'flags'}-cache` });
let products = ['apple'];
let productLoads = 0;

const app = createApp();
app.get('/flags', () => ({ flags: flags.value, version: flags.version, worker: workerId() }));
app.put('/flags/:name', async (ctx) => {
  const { name } = ctx.params;
  if (!FLAG_NAME.test(name)) throw new BadRequestException('A flag name is lower-case letters, digits and dashes (at most 64)');
  const body = await ctx.json<{ enabled?: unknown }>();
  if (typeof body !== 'object' || body === null || typeof body.enabled !== 'boolean') throw new BadRequestException('Send {"enabled": true} or {"enabled": false}');
  const enabled = body.enabled;
  const version = await flags.update((draft) => {
    draft[name] = enabled;
  });
  return { flags: flags.value, version, worker: workerId() };
});
// the hot path: one property read per request
app.get('/checkout', () => (flags.value['new-checkout'] ? { checkout: 'new' } : { checkout: 'classic' }));

app.get('/products', { middleware: [cacheResponses(cache, { ttl: 60_000, tags: ['products'] })] }, () => {
  productLoads++; // stands for a database query
  return { products, loads: productLoads, worker: workerId() };
});
app.post('/products', async (ctx) => {
  const body = await ctx.json<{ name?: unknown }>();
  if (typeof body !== 'object' || body === null || typeof body.name !== 'string' || body.name === '' || body.name.length > 100) throw new BadRequestException('Send {"name": "…"} (1 to 100 characters)');
  products = [...products, body.name]; // in a real service: the database, shared by every process
  await cache.invalidateTags(['products']);
  return { ok: true };
});

const count = process.env.WORKERS ?? '2';
const address = await app.listen({
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
  workers: count === '0' ? undefined : count === 'auto' ? 'auto' : Number(count),
});
if (!isWorker()) console.log(`state example listening on http://${address.address}:${address.port}`);
if (count === '0') {
  // one process (no primary to stop it): stop serving, leave the state, close the Redis client
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void app.close({ timeout: 5000 }).then(() => Promise.all([flags.close(), cache.close()])).then(() => process.exit(0)));
  }
}
