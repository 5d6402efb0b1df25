// TechEmpower plaintext and JSON tests on Armature's own engine (single process).
import { createApp } from '@armature/core';

const app = createApp({ serverName: 'Armature' });

app.get('/plaintext', (ctx) => {
  ctx.res.setHeader('Content-Type', 'text/plain');
  return 'Hello, World!';
});

app.get('/json', (ctx) => {
  ctx.res.setHeader('Content-Type', 'application/json');
  return { message: 'Hello, World!' };
});

const port = Number(process.env.PORT ?? 8080);
await app.listen({ port, host: process.env.HOST ?? '127.0.0.1' });
console.log(`armature tfb listening on ${port}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close({ timeout: 2000 }).then(() => process.exit(0)));
}
