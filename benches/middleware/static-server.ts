// Static files from Armature or Fastify (@fastify/static), for the static benchmark:
// FRAMEWORK=armature|fastify, STATIC_DIR the directory served under /static/.
import { createApp } from '@armature/core';
import { serveStatic } from '@armature/middleware/static';

const dir = process.env.STATIC_DIR!;
const port = Number(process.env.PORT ?? 8080);
if (process.env.FRAMEWORK === 'fastify') {
  const { default: Fastify } = await import('fastify');
  const { default: fastifyStatic } = await import('@fastify/static');
  const app = Fastify({ logger: false });
  await app.register(fastifyStatic, { root: dir, prefix: '/static/' });
  await app.listen({ port, host: '127.0.0.1' });
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
} else {
  const app = createApp();
  app.get('/static/*', serveStatic(dir));
  await app.listen({ port, host: '127.0.0.1' });
  process.once('SIGTERM', () => void app.close({ timeout: 2000 }).then(() => process.exit(0)));
}
console.log(`listening on ${port}`);
