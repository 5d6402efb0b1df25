/**
 * The server of bench:workers: TechEmpower plaintext and JSON on a functional app, in one process
 * (WORKERS=0) or in WORKERS worker processes (`listen({ workers })`, each pinned to its own CPU,
 * or with AFFINITY=0 left where the benchmark started them).
 * `/worker` answers which worker served it and how many requests that worker has answered, so
 * that the benchmark can read every worker's count after a run.
 */
import { createApp, workerId } from '@armature/core';

const HELLO = 'Hello, World!';
let requests = 0;
const app = createApp({ serverName: 'Armature' });
app.get('/plaintext', (ctx) => {
  requests++;
  ctx.res.setHeader('Content-Type', 'text/plain');
  return HELLO;
});
app.get('/json', (ctx) => {
  requests++;
  ctx.res.setHeader('Content-Type', 'application/json');
  return { message: HELLO };
});
app.get('/worker', () => ({ worker: workerId() ?? 0, pid: process.pid, requests }));

const count = Number(process.env.WORKERS ?? 0);
await app.listen({
  port: Number(process.env.PORT ?? 8080),
  host: process.env.HOST ?? '127.0.0.1',
  ...(count > 0 ? { workers: { count, affinity: process.env.AFFINITY !== '0', log: () => {} } } : {}),
});
const stop = (): void => void app.close().then(() => process.exit(0));
if (count === 0) for (const s of ['SIGTERM', 'SIGINT'] as const) process.once(s, stop);
console.log(`bench:workers server listening (${count || 'no'} workers)`);
