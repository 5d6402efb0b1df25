// The content-coding table and parsers (http/content-coding.ts), and request bodies sent with
// Content-Encoding: decoded by the body readers, limited by their decoded size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { createApp, type InjectResult } from '../src/index.js';
import {
  CONTENT_CODINGS,
  RequestBody,
  SUPPORTED_CODINGS,
  ZSTD_AVAILABLE,
  contentCoding,
  negotiateCoding,
  parseAcceptEncoding,
  requestCodings,
} from '../src/http/index.js';

const problem = (r: InjectResult) => r.json<{ status: number; detail: string }>();
const hasZstd = typeof (zlib as unknown as Record<string, unknown>).createZstdDecompress === 'function';

test('the table: gzip, deflate, br everywhere; zstd exactly where the runtime has it', () => {
  assert.equal(ZSTD_AVAILABLE, hasZstd, `zstd on ${process.version}`);
  assert.deepEqual([...CONTENT_CODINGS.keys()], hasZstd ? ['zstd', 'br', 'gzip', 'deflate'] : ['br', 'gzip', 'deflate']);
  assert.equal(SUPPORTED_CODINGS, [...CONTENT_CODINGS.keys()].join(', '));
  assert.equal(contentCoding('X-GZIP')?.name, 'gzip');
  assert.equal(contentCoding('Br')?.name, 'br');
  assert.equal(contentCoding('compress'), undefined);
  assert.equal(contentCoding('zstd')?.name, hasZstd ? 'zstd' : undefined);
});

test('each coding round-trips through its streams and its one-shot functions, at every edge level', async () => {
  const data = Buffer.from(JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ i, name: `item ${i}` }))));
  for (const coding of CONTENT_CODINGS.values()) {
    for (const level of [undefined, coding.levels.min, coding.levels.max, 1e9, -5]) {
      const packed = coding.encodeSync(data, level);
      if (level === undefined || level > 0) assert.ok(packed.length < data.length, `${coding.name} ${level} compresses`);
      assert.deepEqual(coding.decodeSync(packed), data);
      const streamed = Buffer.concat(await Readable.from([packed]).pipe(coding.createDecoder()).toArray());
      assert.deepEqual(streamed, data, coding.name);
    }
    const encoder = coding.createEncoder(coding.levels.min + 1);
    const out: Buffer[] = [];
    encoder.on('data', (c: Buffer) => out.push(c));
    encoder.write(data.subarray(0, 100));
    // flushKind makes what was written so far decodable at once (an SSE event)
    await new Promise<void>((resolve) => (encoder as unknown as zlib.Gzip).flush(coding.flushKind, () => resolve()));
    const partial = coding.createDecoder();
    const got: Buffer[] = [];
    partial.on('data', (c: Buffer) => got.push(c));
    partial.write(Buffer.concat(out));
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(Buffer.concat(got), data.subarray(0, 100), `${coding.name} flush`);
    partial.destroy();
    encoder.destroy();
    assert.throws(() => coding.decodeSync(coding.encodeSync(data), 100), RangeError);
  }
});

test('requestCodings: in undo order, identity and empty elements skipped, bounded, 415 otherwise', () => {
  assert.deepEqual(requestCodings(undefined), []);
  assert.deepEqual(requestCodings(''), []);
  assert.deepEqual(requestCodings(' identity , '), []);
  assert.deepEqual(requestCodings('gzip').map((c) => c.name), ['gzip']);
  assert.deepEqual(requestCodings('deflate, ,BR').map((c) => c.name), ['br', 'deflate']);
  assert.deepEqual(requestCodings('x-gzip').map((c) => c.name), ['gzip']);
  for (const bad of ['compress', 'gzip;q=1', 'gz ip', 'gzip, bogus', 'gzip, gzip, gzip', '<script>']) {
    assert.throws(() => requestCodings(bad), (e: { status: number; message: string; headers: Record<string, string> }) => {
      assert.equal(e.status, 415, bad);
      assert.equal(e.headers['Accept-Encoding'], SUPPORTED_CODINGS);
      assert.ok(!e.message.includes(bad), 'the field is not echoed');
      return true;
    });
  }
});

test('parseAcceptEncoding: q-values, aliases, parameters, malformed elements skipped, linear', () => {
  assert.deepEqual(parseAcceptEncoding(''), []);
  assert.deepEqual(parseAcceptEncoding('gzip, deflate, br;q=1.0, zstd;q=0.5, *;q=0, identity;q=0.001'), [
    { name: 'gzip', q: 1 },
    { name: 'deflate', q: 1 },
    { name: 'br', q: 1 },
    { name: 'zstd', q: 0.5 },
    { name: '*', q: 0 },
    { name: 'identity', q: 0.001 },
  ]);
  assert.deepEqual(parseAcceptEncoding('X-Gzip ; Q=0.3 ; foo=bar, , br;q=2, deflate;q=0.0001, "gzip", zstd;q=, zstd;q=1.000'), [
    { name: 'gzip', q: 0.3 },
    { name: 'zstd', q: 1 },
  ]);
  const hostile = 'gzip;q=0.5;'.repeat(20_000) + ',' + ' ,'.repeat(50_000);
  const start = process.hrtime.bigint();
  parseAcceptEncoding(hostile);
  assert.ok(process.hrtime.bigint() - start < 2_000_000_000n);
});

test('negotiateCoding: client q first, server order on ties, * for the unnamed, identity rules', () => {
  const offered = ['zstd', 'br', 'gzip'] as const;
  const pick = (field: string | undefined) => negotiateCoding(field, offered);
  assert.deepEqual(pick(undefined), { coding: null, identity: true });
  assert.deepEqual(pick(''), { coding: null, identity: true });
  assert.deepEqual(pick('gzip, br'), { coding: 'br', identity: true }, 'equal q: the server order decides');
  assert.deepEqual(pick('gzip;q=1, br;q=0.5'), { coding: 'gzip', identity: true }, 'the client q wins');
  assert.deepEqual(pick('x-gzip'), { coding: 'gzip', identity: true });
  assert.deepEqual(pick('*'), { coding: 'zstd', identity: true });
  assert.deepEqual(pick('*;q=0.5, zstd;q=0'), { coding: 'br', identity: true }, 'q=0 refuses a coding * would allow');
  assert.deepEqual(pick('deflate'), { coding: null, identity: true });
  assert.deepEqual(pick('identity;q=0, deflate'), { coding: null, identity: false });
  assert.deepEqual(pick('*;q=0'), { coding: null, identity: false });
  assert.deepEqual(pick('*;q=0, identity'), { coding: null, identity: true });
  assert.deepEqual(pick('gzip;q=0.5, identity'), { coding: null, identity: true }, 'identity named with a higher q wins');
  assert.deepEqual(pick('gzip, identity;q=0.5'), { coding: 'gzip', identity: true });
  assert.deepEqual(negotiateCoding('br, gzip', []), { coding: null, identity: true });
});

function appReading(reader: 'json' | 'bytes' | 'text' | 'stream', options: { limit?: number } = {}) {
  const app = createApp({ maxBodySize: 4 * 1024 * 1024 });
  app.post('/', async (ctx) => {
    if (reader === 'json') return { got: await ctx.json(options) };
    if (reader === 'text') return { length: (await ctx.text(options)).length };
    if (reader === 'bytes') return { length: (await ctx.bytes(options)).length };
    let length = 0;
    for await (const chunk of ctx.stream(options)) length += (chunk as Buffer).length;
    return { length };
  });
  return app;
}

test('ctx readers decode gzip, x-gzip, deflate, br (and zstd where present), and stacked codings in reverse', async () => {
  const app = appReading('json');
  const json = Buffer.from(JSON.stringify({ hello: 'wörld', n: [1, 2, 3] }));
  const cases: Array<[string, Buffer]> = [
    ['gzip', zlib.gzipSync(json)],
    ['x-gzip', zlib.gzipSync(json)],
    ['deflate', zlib.deflateSync(json)],
    ['br', zlib.brotliCompressSync(json)],
    ['identity', json],
    ['gzip, br', zlib.brotliCompressSync(zlib.gzipSync(json))],
    ['deflate,gzip', zlib.gzipSync(zlib.deflateSync(json))],
  ];
  if (hasZstd) cases.push(['zstd', contentCoding('zstd')!.encodeSync(json)]);
  for (const [encoding, body] of cases) {
    const r = await app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body });
    assert.equal(r.statusCode, 200, `${encoding}: ${r.body}`);
    assert.deepEqual(r.json(), { got: { hello: 'wörld', n: [1, 2, 3] } }, encoding);
  }
});

test('unknown, malformed or too many codings → 415 with Accept-Encoding; nothing of the field echoed', async () => {
  const app = appReading('json');
  for (const encoding of ['compress', 'zstd-nope', 'gzip, gzip, gzip', 'gzip;level=9', ...(hasZstd ? [] : ['zstd'])]) {
    const r = await app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body: '{}' });
    assert.equal(r.statusCode, 415, encoding);
    assert.equal(r.headers['accept-encoding'], SUPPORTED_CODINGS);
    assert.match(problem(r).detail, /Content-Encoding|content codings/);
    assert.ok(!r.body.includes(encoding), `${encoding} not echoed`);
  }
});

test('corrupt or truncated coded content → 400 that does not echo the bytes; the app keeps serving', async () => {
  const app = appReading('bytes');
  const secret = Buffer.from('SECRET-BYTES-'.repeat(10));
  const gz = zlib.gzipSync(Buffer.alloc(5000, 'a'));
  const bad: Array<[string, Buffer]> = [
    ['gzip', secret],
    ['gzip', gz.subarray(0, gz.length - 10)],
    ['deflate', secret],
    ['br', secret],
    ['gzip, br', zlib.brotliCompressSync(secret)],
  ];
  if (hasZstd) bad.push(['zstd', secret]);
  for (const [encoding, body] of bad) {
    const r = await app.inject({ method: 'POST', url: '/', headers: { 'content-encoding': encoding }, body });
    assert.equal(r.statusCode, 400, `${encoding}: ${r.body}`);
    assert.match(problem(r).detail, /not valid .* content/);
    assert.ok(!r.body.includes('SECRET'));
  }
  const ok = await app.inject({ method: 'POST', url: '/', headers: { 'content-encoding': 'gzip' }, body: gz });
  assert.deepEqual(ok.json(), { length: 5000 });
});

test('the limit applies to the decoded size, for every reader (413)', async () => {
  const plain = Buffer.alloc(20_000, 'x');
  for (const reader of ['json', 'bytes', 'text', 'stream'] as const) {
    const app = appReading(reader, { limit: 10_000 });
    const packed = zlib.gzipSync(plain);
    assert.ok(packed.length < 10_000);
    const r = await app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' }, body: packed });
    if (reader === 'json') {
      assert.equal(r.statusCode, 415); // text/plain is not JSON: the type is checked first
      continue;
    }
    assert.equal(r.statusCode, 413, reader);
    assert.match(problem(r).detail, /larger than the limit of 10000 bytes/);
    const small = await app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' }, body: zlib.gzipSync(plain.subarray(0, 9000)) });
    assert.deepEqual(small.json(), { length: 9000 }, reader);
  }
});

test('a 10 MiB zip bomb stops at the limit: the decoder is destroyed before it inflates much more', async () => {
  const limit = 256 * 1024;
  const bomb = zlib.gzipSync(Buffer.alloc(10 * 1024 * 1024));
  assert.ok(bomb.length < 20_000);
  // count what a real gunzip produces when the body reader drives it
  const gzip = contentCoding('gzip')!;
  let inflated = 0;
  const counted = { ...gzip, createDecoder: () => gzip.createDecoder().on('data', (c: Buffer) => (inflated += c.length)) };
  const body = RequestBody.from(bomb);
  await assert.rejects(body.bytes(limit, [counted]), (e: { status: number }) => e.status === 413);
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(inflated <= limit + 128 * 1024, `inflated ${inflated} bytes for a limit of ${limit}`);

  // and over a real socket through the engine, where the body arrives in pieces
  const app = appReading('bytes', { limit });
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const r = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-encoding': 'gzip' }, body: bomb });
    assert.equal(r.status, 413);
    const again = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-encoding': 'gzip' }, body: zlib.gzipSync(Buffer.alloc(1000)) });
    assert.deepEqual(await again.json(), { length: 1000 });
  } finally {
    await app.close();
  }
});

test('RequestBody without codings behaves as before; req.body stays the content as sent', async () => {
  const app = createApp();
  app.post('/', async (ctx) => ({ raw: (await ctx.req.body.bytes()).length }));
  const packed = zlib.gzipSync(Buffer.alloc(3000));
  const r = await app.inject({ method: 'POST', url: '/', headers: { 'content-encoding': 'gzip' }, body: packed });
  assert.deepEqual(r.json(), { raw: packed.length });
});
