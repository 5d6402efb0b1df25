// The day-one middleware on one app: request ids, security headers, CORS for a front end on
// another origin, a global rate limit plus a stricter one on login, and ETags on dynamic answers.
//   PORT=3000 npx tsx examples/middleware/main.ts
//   curl -i localhost:3000/api/items -H 'Origin: http://localhost:5173'
import { createApp, UnauthorizedException } from '@armature/core';
import { cors } from '@armature/middleware/cors';
import { etag } from '@armature/middleware/etag';
import { MemoryStore, rateLimit } from '@armature/middleware/rate-limit';
import { requestId, requestIdOf } from '@armature/middleware/request-id';
import { securityHeaders } from '@armature/middleware/security-headers';

const app = createApp({ trustProxy: process.env.TRUST_PROXY ?? false });
const limits = new MemoryStore(); // RedisStore({ client: new Redis(url) }) to share limits across workers and machines

app.use(requestId());
app.use(securityHeaders());
app.use(cors({ origin: (process.env.FRONTEND_ORIGINS ?? 'http://localhost:5173').split(','), credentials: true, maxAge: 600 }));
app.use(rateLimit({ limit: Number(process.env.RATE_LIMIT ?? 100), window: '1m', store: limits, name: 'global' }));
app.use(etag());

const items = [{ id: 1, name: 'anvil' }, { id: 2, name: 'hammer' }];
app.get('/api/items', () => ({ items }));
app.get('/api/whoami', (ctx) => ({ requestId: requestIdOf(ctx) }));
app.post(
  '/api/login',
  { middleware: [rateLimit({ limit: 5, window: '15m', store: limits, name: 'login', algorithm: 'sliding-window' })] },
  async (ctx) => {
    const { user, password } = await ctx.json<{ user?: string; password?: string }>();
    if (user !== 'ada' || password !== 'lovelace') throw new UnauthorizedException('Wrong user or password');
    return { token: 'demo' };
  },
);

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const address = await app.listen({ port, host });
console.log(`middleware example listening on http://${host}:${address.port}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close({ timeout: 5000 }).then(() => process.exit(0)));
}
