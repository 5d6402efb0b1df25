// The JSON test app with one piece of middleware on every request, chosen by MIDDLEWARE
// (none, rate-limit, cors, security-headers, request-id, etag, all): the overhead benchmark's server.
import { createApp, type Middleware } from '@armature/core';
import { cors } from '@armature/middleware/cors';
import { etag } from '@armature/middleware/etag';
import { rateLimit } from '@armature/middleware/rate-limit';
import { requestId } from '@armature/middleware/request-id';
import { securityHeaders } from '@armature/middleware/security-headers';

const make: Record<string, () => Middleware[]> = {
  none: () => [],
  // a limit no client of the benchmark reaches: every request is an allowed one
  'rate-limit': () => [rateLimit({ limit: 1_000_000_000, window: '1m' })],
  cors: () => [cors({ origin: ['http://front.test'] })],
  'security-headers': () => [securityHeaders()],
  'request-id': () => [requestId()],
  etag: () => [etag()],
};
make.all = () => ['request-id', 'security-headers', 'cors', 'rate-limit', 'etag'].flatMap((name) => make[name]!());

const which = process.env.MIDDLEWARE ?? 'none';
const build = make[which];
if (build === undefined) throw new Error(`MIDDLEWARE must be one of ${Object.keys(make).join(', ')}`);
const app = createApp();
for (const m of build()) app.use(m);
app.get('/json', () => ({ message: 'Hello, World!' }));
const { port } = await app.listen({ port: Number(process.env.PORT ?? 8080), host: '127.0.0.1' });
console.log(`listening on ${port}`);
process.once('SIGTERM', () => void app.close({ timeout: 2000 }).then(() => process.exit(0)));
