// The demo app behind `npm start`: a few routes on Armature's own engine, with graceful shutdown.
//   PORT=3000 npm start    then    curl localhost:3000/hello?name=Ada
import { createApp, HttpError } from '@armature/core';

const app = createApp({ serverName: 'Armature', development: process.env.NODE_ENV === 'development' });

app.get('/', () => 'Armature demo: try /hello?name=you, /json, POST /echo, /stream');

app.get('/hello', (ctx) => {
  const name = ctx.query.name;
  return `Hello, ${typeof name === 'string' && name !== '' ? name : 'world'}!`;
});

app.get('/json', () => ({ message: 'Hello, World!', at: new Date().toISOString() }));

// ctx.json() checks the Content-Type (415 unless JSON), the size (413) and the syntax (400).
app.post('/echo', async (ctx) => {
  const body = await ctx.json<unknown>({ limit: 64 * 1024 });
  if (typeof body !== 'object' || body === null) throw new HttpError(422, 'Expected a JSON object');
  return { received: body };
});

// An async iterable is streamed chunk by chunk; its type is set here (the default is binary).
app.get('/stream', (ctx) => {
  ctx.set('content-type', 'text/plain; charset=utf-8');
  return (async function* () {
    for (let i = 1; i <= 5; i++) {
      yield `tick ${i}\n`;
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
});

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const address = await app.listen({ port, host });
console.log(`Armature demo listening on http://${host}:${address.port}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: draining connections`);
    void app.close({ timeout: 5000 }).then(() => process.exit(0));
  });
}
