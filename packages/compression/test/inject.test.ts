/** Decisions, exclusions and header fields, through app.inject(). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { createApp, type App } from '@armature/core';
import { compression } from '../src/middleware.js';
import { zstdAvailable } from '../src/codings.js';
import type { CompressionOptions } from '../src/settings.js';
import { decode, jsonDocument } from './helpers.js';

const doc = jsonDocument(10 * 1024);
const docText = JSON.stringify(doc);

function appWith(options?: CompressionOptions): App {
  const app = createApp();
  app.use(compression(options));
  app.get('/json', () => doc);
  app.get('/text', () => 'x'.repeat(5000));
  app.get('/small', () => ({ ok: true }));
  app.get('/png', (ctx) => {
    ctx.set('Content-Type', 'image/png');
    return Buffer.alloc(4096, 1);
  });
  return app;
}

test('each coding round-trips through Node zlib', async () => {
  const app = appWith();
  const names = ['gzip', 'deflate', 'br', ...(zstdAvailable ? ['zstd'] : [])];
  for (const name of names) {
    const r = await app.inject({ url: '/json', headers: { 'accept-encoding': name } });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-encoding'], name);
    assert.equal(r.headers.vary, 'Accept-Encoding');
    assert.equal(r.headers['content-length'], String(r.rawBody.length));
    assert.ok(r.rawBody.length < docText.length / 3, `${name}: ${r.rawBody.length} bytes`);
    assert.equal(decode(name, r.rawBody).toString(), docText);
  }
});

test('zstd: chosen first on Node 24, absent on Node 20', async () => {
  const app = appWith();
  const r = await app.inject({ url: '/json', headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
  assert.equal(r.headers['content-encoding'], zstdAvailable ? 'zstd' : 'br');
  const only = await app.inject({ url: '/json', headers: { 'accept-encoding': 'zstd' } });
  assert.equal(only.headers['content-encoding'], zstdAvailable ? 'zstd' : undefined);
  assert.equal(only.body, zstdAvailable ? only.body : docText);
});

test('the preference order and levels are configurable', async () => {
  const app = appWith({ encodings: ['gzip', 'br'], levels: { gzip: 9 } });
  const r = await app.inject({ url: '/json', headers: { 'accept-encoding': 'br, gzip' } });
  assert.equal(r.headers['content-encoding'], 'gzip');
  assert.deepEqual(r.rawBody, zlib.gzipSync(docText, { level: 9 }));
  assert.throws(() => compression({ levels: { br: 12 } }), /br level must be an integer from 0 to 11/);
  assert.throws(() => compression({ encodings: ['lzma' as 'gzip'] }), /unknown coding "lzma"/);
  assert.throws(() => compression({ threshold: -1 }), /threshold must be/);
});

test('no Accept-Encoding or identity only: sent as it is, with Vary', async () => {
  const app = appWith();
  for (const headers of [{} as Record<string, string>, { 'accept-encoding': 'identity' }, { 'accept-encoding': '' }, { 'accept-encoding': 'gzip;q=0' }]) {
    const r = await app.inject({ url: '/json', headers });
    assert.equal(r.headers['content-encoding'], undefined);
    assert.equal(r.headers.vary, 'Accept-Encoding');
    assert.equal(r.body, docText);
  }
});

test('406 only when identity is refused and no offered coding is acceptable', async () => {
  const app = appWith();
  const refused = await app.inject({ url: '/json', headers: { 'accept-encoding': 'compress, identity;q=0' } });
  assert.equal(refused.statusCode, 406);
  assert.equal(refused.headers['content-type'], 'application/problem+json');
  assert.match(refused.json<{ detail: string }>().detail, /No acceptable content coding/);
  const star = await app.inject({ url: '/json', headers: { 'accept-encoding': '*;q=0' } });
  assert.equal(star.statusCode, 406);
  // a coding remains: used, even below the threshold since plain is refused
  const small = await app.inject({ url: '/small', headers: { 'accept-encoding': 'gzip, identity;q=0' } });
  assert.equal(small.statusCode, 200);
  assert.equal(small.headers['content-encoding'], 'gzip');
  assert.equal(zlib.gunzipSync(small.rawBody).toString(), '{"ok":true}');
});

test('exclusions: below the threshold, incompressible types, empty bodies', async () => {
  const app = appWith();
  const small = await app.inject({ url: '/small', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(small.headers['content-encoding'], undefined);
  assert.equal(small.headers.vary, 'Accept-Encoding'); // the decision depended on it
  assert.equal(small.body, '{"ok":true}');
  const png = await app.inject({ url: '/png', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(png.headers['content-encoding'], undefined);
  assert.equal(png.headers.vary, undefined); // never compressed, whatever the client says
  assert.equal(png.rawBody.length, 4096);
  const lowered = appWith({ threshold: 0 });
  lowered.get('/empty', (ctx) => {
    ctx.set('Content-Type', 'text/plain');
    return '';
  });
  const empty = await lowered.inject({ url: '/empty', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(empty.headers['content-encoding'], undefined);
  const tiny = await lowered.inject({ url: '/small', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(tiny.headers['content-encoding'], 'gzip');
});

test('exclusions: HEAD, 204, 304, no-transform, already encoded, ranges', async () => {
  const app = appWith();
  app.get('/no-content', (ctx) => {
    ctx.status(204);
    return null;
  });
  app.get('/not-modified', (ctx) => {
    ctx.status(304).set('Content-Type', 'text/plain').set('ETag', '"a"');
    return null;
  });
  app.get('/no-transform', (ctx) => {
    ctx.set('Cache-Control', 'public, no-transform');
    return doc;
  });
  app.get('/encoded', (ctx) => {
    ctx.set('Content-Type', 'application/json').set('Content-Encoding', 'gzip');
    return zlib.gzipSync(docText);
  });
  app.get('/range', (ctx) => {
    ctx.status(206).set('Content-Type', 'text/plain').set('Content-Range', 'bytes 0-4999/10000');
    return 'x'.repeat(5000);
  });
  const h = { 'accept-encoding': 'gzip, br' };
  const head = await app.inject({ method: 'HEAD', url: '/json', headers: h });
  assert.equal(head.headers['content-encoding'], undefined);
  assert.equal(head.headers.vary, 'Accept-Encoding');
  assert.equal(head.body, '');
  for (const url of ['/no-content', '/not-modified']) {
    const r = await app.inject({ url, headers: h });
    assert.equal(r.headers['content-encoding'], undefined, url);
    assert.equal(r.body, '');
  }
  const nt = await app.inject({ url: '/no-transform', headers: h });
  assert.equal(nt.headers['content-encoding'], undefined);
  assert.equal(nt.body, docText);
  const enc = await app.inject({ url: '/encoded', headers: h });
  assert.equal(enc.headers['content-encoding'], 'gzip');
  assert.equal(zlib.gunzipSync(enc.rawBody).toString(), docText); // not compressed twice
  const range = await app.inject({ url: '/range', headers: h });
  assert.equal(range.headers['content-encoding'], undefined);
  assert.equal(range.body.length, 5000);
});

test('Vary is appended once; a strong ETag is weakened, a weak one kept', async () => {
  const app = appWith();
  app.get('/vary', (ctx) => {
    ctx.set('Vary', 'Origin').set('ETag', '"v1"');
    return doc;
  });
  app.get('/vary-twice', (ctx) => {
    ctx.set('Vary', 'origin, accept-encoding').set('ETag', 'W/"v2"');
    return doc;
  });
  const h = { 'accept-encoding': 'gzip' };
  const one = await app.inject({ url: '/vary', headers: h });
  assert.equal(one.headers.vary, 'Origin, Accept-Encoding');
  assert.equal(one.headers.etag, 'W/"v1"');
  const two = await app.inject({ url: '/vary-twice', headers: h });
  assert.equal(two.headers.vary, 'origin, accept-encoding');
  assert.equal(two.headers.etag, 'W/"v2"');
  const plain = await app.inject({ url: '/vary' });
  assert.equal(plain.headers.etag, '"v1"'); // not compressed: the strong validator holds
});

test('streamed bodies: compressed as produced, Content-Length dropped', async () => {
  const app = appWith();
  app.get('/stream', async function* (ctx) {
    ctx.set('Content-Type', 'text/plain').set('Content-Length', '20000');
    for (let i = 0; i < 20; i++) yield 'y'.repeat(1000);
  });
  app.get('/short-stream', async function* (ctx) {
    ctx.set('Content-Type', 'text/plain').set('Content-Length', '10');
    yield '0123456789';
  });
  const r = await app.inject({ url: '/stream', headers: { 'accept-encoding': 'br' } });
  assert.equal(r.headers['content-encoding'], 'br');
  assert.equal(r.headers['content-length'], undefined);
  assert.equal(r.headers['transfer-encoding'], 'chunked');
  assert.equal(zlib.brotliDecompressSync(r.rawBody).toString(), 'y'.repeat(20000));
  // a stream announced below the threshold is left alone
  const short = await app.inject({ url: '/short-stream', headers: { 'accept-encoding': 'br' } });
  assert.equal(short.headers['content-encoding'], undefined);
  assert.equal(short.body, '0123456789');
});

test('large complete bodies are compressed on the thread pool', async () => {
  const app = appWith({ syncLimit: 1024 });
  const r = await app.inject({ url: '/json', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(r.headers['content-encoding'], 'gzip');
  assert.equal(r.headers['content-length'], String(r.rawBody.length));
  assert.equal(zlib.gunzipSync(r.rawBody).toString(), docText);
});

test('error answers pass through compression too', async () => {
  const app = appWith({ threshold: 0 });
  const missing = await app.inject({ url: '/nope', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.headers['content-encoding'], 'gzip');
  assert.equal(JSON.parse(zlib.gunzipSync(missing.rawBody).toString()).status, 404);
  const app2 = createApp({ onError: () => {} });
  app2.use(compression({ threshold: 0 }));
  app2.get('/boom', (ctx) => {
    ctx.set('Content-Encoding', 'br'); // a half-built answer: the error answer replaces it
    throw new Error('secret');
  });
  const boom = await app2.inject({ url: '/boom', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(boom.statusCode, 500);
  assert.equal(boom.headers['content-encoding'], 'gzip');
  assert.equal(JSON.parse(zlib.gunzipSync(boom.rawBody).toString()).status, 500);
});

test('route level: other settings, or none', async () => {
  const app = appWith();
  app.get('/best', { middleware: [compression({ levels: { gzip: 9 } })] }, () => doc);
  app.get('/off', { middleware: [compression(false)] }, () => doc);
  const h = { 'accept-encoding': 'gzip' };
  const best = await app.inject({ url: '/best', headers: h });
  assert.deepEqual(best.rawBody, zlib.gzipSync(docText, { level: 9 }));
  const off = await app.inject({ url: '/off', headers: h });
  assert.equal(off.headers['content-encoding'], undefined);
  assert.equal(off.body, docText);
  const normal = await app.inject({ url: '/json', headers: h });
  assert.deepEqual(normal.rawBody, zlib.gzipSync(docText, { level: 5 }));
});

test('the cache keeps compressed bytes per body, coding and level, bounded', async () => {
  const app = createApp();
  const settings = { cache: { maxBytes: 4000 } } as const;
  const middleware = compression(settings);
  app.use(middleware);
  let n = 0;
  app.get('/page', (ctx) => {
    ctx.set('Content-Type', 'text/html');
    return '<p>' + 'static page '.repeat(300) + (ctx.query.v ?? '') + '</p>';
  });
  app.get('/count', () => ({ n: ++n, pad: 'p'.repeat(2000) }));
  const a = await app.inject({ url: '/page', headers: { 'accept-encoding': 'gzip' } });
  const b = await app.inject({ url: '/page', headers: { 'accept-encoding': 'gzip' } });
  assert.deepEqual(a.rawBody, b.rawBody);
  const br = await app.inject({ url: '/page', headers: { 'accept-encoding': 'br' } });
  assert.equal(zlib.brotliDecompressSync(br.rawBody).toString(), '<p>' + 'static page '.repeat(300) + '</p>');
  // different bodies never share an entry
  const c1 = await app.inject({ url: '/count', headers: { 'accept-encoding': 'gzip' } });
  const c2 = await app.inject({ url: '/count', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(JSON.parse(zlib.gunzipSync(c1.rawBody).toString()).n, 1);
  assert.equal(JSON.parse(zlib.gunzipSync(c2.rawBody).toString()).n, 2);
  for (let v = 0; v < 200; v++) await app.inject({ url: `/page?v=${v}`, headers: { 'accept-encoding': 'gzip' } });
  const { CompressedCache } = await import('../src/cache.js');
  const cache = new CompressedCache({ maxBytes: 100 });
  cache.set('a', Buffer.alloc(60));
  cache.set('b', Buffer.alloc(60));
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.size.entries, 1);
  assert.ok(cache.size.bytes <= 100);
});
