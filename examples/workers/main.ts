// One process per core: the primary forks the workers (each runs this file and builds its own
// app), replaces a worker that dies, and stops them all gracefully on SIGTERM / Ctrl-C.
//   WORKERS=auto PORT=3000 npx tsx examples/workers/main.ts
//   curl localhost:3000/      → which worker answered
//   curl localhost:3000/fail  → a 500; stderr says `[armature worker N] Error: …`
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp, isWorker, workerId } from '@armature/core';

if (process.env.CRASH_AT_START === '1' && isWorker()) throw new Error(`worker ${workerId()} cannot start (CRASH_AT_START)`);

const app = createApp();
app.get('/', () => ({ worker: workerId(), pid: process.pid }));
app.get('/slow', async (ctx) => {
  await sleep(Number(ctx.query.ms ?? 500));
  return { worker: workerId(), pid: process.pid };
});
// an unexpected error: a 500 for the client, and a line on stderr that names the worker
app.get('/fail', () => {
  throw new Error(`handler failed in pid ${process.pid}`);
});

const count = process.env.WORKERS ?? 'auto';
const address = await app.listen({
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
  workers: {
    count: count === 'auto' ? 'auto' : Number(count),
    onPrimary: () => console.log(`primary ${process.pid}: runs once before the workers start (migrations go here)`),
    backoff: { initial: Number(process.env.BACKOFF_MS ?? 100) },
    maxRestarts: Number(process.env.MAX_RESTARTS ?? 5),
  },
});
if (!isWorker()) console.log(`workers example listening on http://${address.address}:${address.port} (${app.workers?.length} workers)`);
