// HTTP/2 over TLS from the engine, with HTTP/1.1 on the same port for clients that do not offer
// h2 (ALPN), and a self-signed certificate made at start-up for development.
//   npx tsx examples/http2/main.ts
//   curl -k --http2 https://localhost:3443/            → {"protocol":"HTTP/2.0", …}
//   curl -k --http1.1 https://localhost:3443/          → {"protocol":"HTTP/1.1", …}
//   curl -kN --http2 https://localhost:3443/events     → five server-sent events, one a second
//   curl -k --http2 -H 'content-type: application/json' -d '{"hi":1}' https://localhost:3443/echo
import { createApp } from '@armature/core';
import { devCertificate } from './dev-certificate.js';

const app = createApp();

app.get('/', (ctx) => ({ protocol: `HTTP/${ctx.req.httpVersion}`, secure: ctx.req.secure, host: ctx.host }));

app.post('/echo', async (ctx) => ({ received: await ctx.json() }));

// Server-sent events: over HTTP/2 each stream is one of many on the same connection, so a page
// can hold several open without running into the six-connections-per-host limit of HTTP/1.1.
app.get('/events', async (ctx) => {
  const stream = ctx.sse();
  for (let i = 1; i <= 5 && !stream.closed; i++) {
    stream.send({ id: i, event: 'tick', data: { n: i, at: new Date().toISOString() } });
    await new Promise((r) => setTimeout(r, Number(process.env.TICK_MS ?? 1000)));
  }
  stream.close();
});

const port = Number(process.env.PORT ?? 3443);
const host = process.env.HOST ?? '127.0.0.1';
const address = await app.listen({ port, host, http2: true, tls: devCertificate() });
console.log(`HTTP/2 (and HTTP/1.1) listening on https://${host}:${address.port} (self-signed certificate: curl -k)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // HTTP/2 sessions get GOAWAY, streams in flight finish, then the process exits
    void app.close({ timeout: 5000 }).then(() => process.exit(0));
  });
}
