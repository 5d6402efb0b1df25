/**
 * Response compression: `app.use(compression())` compresses every answer worth it — JSON, pages,
 * streamed bodies, event streams (flushed per event) and error answers — with zstd (where Node
 * has it), brotli or gzip, whichever the client accepts and the server prefers.
 *
 *   npx tsx examples/compression/main.ts
 *   curl --compressed -v http://localhost:3000/report        # Content-Encoding: zstd or br
 *   curl --compressed -N http://localhost:3000/ticks         # events arrive one by one
 */
import { fileURLToPath } from 'node:url';
import { createApp, type Context } from '@armature/core';
import { compression } from '@armature/compression';

export const app = createApp();

// the app-wide settings: the default order (zstd, br, gzip, deflate) and levels, above 1 KiB
app.use(compression());

/** A report of a few hundred rows: about 20 KiB of JSON, sent as 2–3 KiB. */
app.get('/report', () => ({
  generated: '2026-01-01T00:00:00Z',
  rows: Array.from({ length: 300 }, (_, i) => ({ id: i, region: ['north', 'south', 'east', 'west'][i % 4], total: (i * 7919) % 10_000 })),
}));

/** A fixed page: compressed once per coding, then served from the cache of compressed bytes. */
const page = `<!doctype html><title>Armature</title><main>${'<p>Compression example. </p>'.repeat(200)}</main>`;
app.get('/page', { middleware: [compression({ cache: true, levels: { br: 11, gzip: 9 } })] }, (ctx: Context) => {
  ctx.set('Content-Type', 'text/html; charset=utf-8');
  return page;
});

/** A streamed body: compressed chunk by chunk as the generator yields. */
app.get('/export.ndjson', async function* (ctx: Context) {
  ctx.set('Content-Type', 'application/x-ndjson');
  for (let i = 0; i < 1000; i++) yield JSON.stringify({ id: i, name: `item ${i}` }) + '\n';
});

/** Server-Sent Events: each event is flushed through the compressor as it is sent. */
app.get('/ticks', (ctx: Context) => {
  const stream = ctx.sse();
  let n = 0;
  const timer = setInterval(() => {
    stream.send({ event: 'tick', id: n, data: { n } });
    if (++n === 5) stream.close();
  }, 200);
  stream.onClose(() => clearInterval(timer));
  return stream;
});

/** Already compressed: left alone (image types are not compressible). */
app.get('/logo.png', (ctx: Context) => {
  ctx.set('Content-Type', 'image/png');
  return Buffer.alloc(2048);
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 3000);
  const address = await app.listen({ port, host: '127.0.0.1' });
  console.log(`listening on http://127.0.0.1:${address.port}`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}
