// A process serving one route behind a Redis-backed rate limit (for the two-process test):
// prints its port, serves until stdin closes.
import { Redis } from 'ioredis';
import { createApp } from '@armature/core';
import { rateLimit, RedisStore } from '@armature/middleware/rate-limit';

const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
await client.connect();
const app = createApp();
app.use(rateLimit({ limit: Number(process.env.LIMIT), window: '1m', store: new RedisStore({ client, prefix: process.env.PREFIX! }), key: 'route' }));
app.get('/', () => `served by ${process.pid}`);
const { port } = await app.listen({ port: 0 });
process.stdout.write(`${port}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await app.close();
  client.disconnect();
});
