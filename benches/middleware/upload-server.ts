// Uploads read part by part (file bytes counted, nothing kept) on Armature or Fastify
// (@fastify/multipart), for the upload benchmark: FRAMEWORK=armature|fastify.
import { createApp } from '@armature/core';
import { multipartParts } from '@armature/middleware/multipart';

const port = Number(process.env.PORT ?? 8080);
const limit = 64 * 1024 * 1024;
if (process.env.FRAMEWORK === 'fastify') {
  const { default: Fastify } = await import('fastify');
  const { default: fastifyMultipart } = await import('@fastify/multipart');
  const app = Fastify({ logger: false, bodyLimit: limit });
  await app.register(fastifyMultipart, { limits: { fileSize: limit } });
  app.post('/upload', async (req) => {
    let bytes = 0;
    let fields = 0;
    for await (const part of req.parts()) {
      if (part.type === 'file') for await (const chunk of part.file) bytes += (chunk as Buffer).length;
      else fields++;
    }
    return { bytes, fields };
  });
  await app.listen({ port, host: '127.0.0.1' });
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
} else {
  const app = createApp({ bodyLimit: limit, maxBodySize: limit });
  app.post('/upload', async (ctx) => {
    let bytes = 0;
    let fields = 0;
    for await (const part of multipartParts(ctx, { limits: { fileSize: limit } })) {
      if (part.kind === 'file') for await (const chunk of part.stream) bytes += (chunk as Buffer).length;
      else fields++;
    }
    return { bytes, fields };
  });
  await app.listen({ port, host: '127.0.0.1' });
  process.once('SIGTERM', () => void app.close({ timeout: 2000 }).then(() => process.exit(0)));
}
console.log(`listening on ${port}`);
