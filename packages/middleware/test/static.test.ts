// Static files through the engine (real HTTP): types, validators, 304, ranges, HEAD, index files,
// redirects, precompressed siblings, cache control, and every way out of the root refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { createApp, type App } from '@armature/core';
import { serveStatic, sendFile, download } from '@armature/middleware/static';

let dir = '';
let outside = '';
let app: App;
let base = '';
const big = Buffer.alloc(1024 * 1024 + 17, 7);
for (let i = 0; i < big.length; i += 997) big[i] = i & 0xff;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'armature-static-'));
  outside = mkdtempSync(join(tmpdir(), 'armature-outside-'));
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  writeFileSync(join(dir, 'index.html'), '<h1>home</h1>');
  writeFileSync(join(dir, 'hello.txt'), 'hello world\n');
  writeFileSync(join(dir, 'data.json'), '{"a":1}');
  writeFileSync(join(dir, 'big.bin'), big);
  writeFileSync(join(dir, 'app.3f9a8b7c.js'), 'console.log(1)');
  writeFileSync(join(dir, 'empty.txt'), '');
  writeFileSync(join(dir, '.env'), 'SECRET=1');
  const text = 'compress me '.repeat(200);
  writeFileSync(join(dir, 'page.css'), text);
  writeFileSync(join(dir, 'page.css.gz'), gzipSync(text));
  writeFileSync(join(dir, 'page.css.br'), brotliCompressSync(text));
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'docs', 'index.html'), '<h1>docs</h1>');
  mkdirSync(join(dir, 'empty-dir'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'config'), '[core]');
  symlinkSync(join(outside, 'secret.txt'), join(dir, 'escape.txt'));
  symlinkSync(join(dir, 'hello.txt'), join(dir, 'alias.txt'));
  writeFileSync(join(dir, 'ünïcode file.txt'), 'unicode');
  const old = new Date('2020-01-02T03:04:05Z');
  utimesSync(join(dir, 'hello.txt'), old, old);

  app = createApp({ onError: () => {} });
  app.get('/assets/*', serveStatic(dir, { precompressed: true, immutable: /\.[0-9a-f]{8}\./, fallthrough: false }));
  app.get('/report', (ctx) => sendFile(ctx, 'data.json', { root: dir }));
  app.get('/save', (ctx) => download(ctx, join(dir, 'hello.txt'), 'résumé "final".txt'));
  app.get('/outside', (ctx) => sendFile(ctx, '../' + outside.split('/').pop() + '/secret.txt', { root: dir }));
  app.use(serveStatic(dir, { prefix: '/site' }));
  app.get('/site/dynamic', () => 'a route after the static middleware');
  const { port } = await app.listen({ port: 0 });
  base = `http://127.0.0.1:${port}`;
});

after(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** A raw request, so that paths reach the server exactly as written (fetch would normalize them). */
function raw(path: string): Promise<{ status: number; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(new URL(base).port), '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('end', () => resolve({ status: Number(data.slice(9, 12)), head: data.slice(0, data.indexOf('\r\n\r\n')) }));
    socket.on('error', reject);
  });
}

test('a file: type, length, strong ETag, Last-Modified, Cache-Control, Accept-Ranges', async () => {
  const r = await fetch(`${base}/assets/hello.txt`);
  assert.equal(r.status, 200);
  assert.equal(await r.text(), 'hello world\n');
  assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.equal(r.headers.get('content-length'), '12');
  assert.match(r.headers.get('etag')!, /^"[0-9a-f]+-[0-9a-f]+"$/);
  assert.equal(r.headers.get('last-modified'), 'Thu, 02 Jan 2020 03:04:05 GMT');
  assert.equal(r.headers.get('cache-control'), 'public, max-age=0');
  assert.equal(r.headers.get('accept-ranges'), 'bytes');
  const hashed = await fetch(`${base}/assets/app.3f9a8b7c.js`);
  assert.equal(hashed.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(hashed.headers.get('content-type'), 'text/javascript; charset=utf-8');
  await hashed.text();
  const empty = await fetch(`${base}/assets/empty.txt`);
  assert.equal(empty.status, 200);
  assert.equal(empty.headers.get('content-length'), '0');
  assert.equal(await empty.text(), '');
  const unicode = await fetch(`${base}/assets/${encodeURIComponent('ünïcode file.txt')}`);
  assert.equal(await unicode.text(), 'unicode');
});

test('a 1 MiB file streams whole and intact; HEAD sends the fields without the body', async () => {
  const r = await fetch(`${base}/assets/big.bin`);
  assert.equal(r.headers.get('content-length'), String(big.length));
  assert.ok(Buffer.from(await r.arrayBuffer()).equals(big));
  const head = await fetch(`${base}/assets/big.bin`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-length'), String(big.length));
  assert.equal((await head.arrayBuffer()).byteLength, 0);
});

test('conditional requests: If-None-Match and If-Modified-Since answer 304', async () => {
  const first = await fetch(`${base}/assets/hello.txt`);
  const tag = first.headers.get('etag')!;
  await first.text();
  const byTag = await fetch(`${base}/assets/hello.txt`, { headers: { 'if-none-match': `"x", ${tag}` } });
  assert.equal(byTag.status, 304);
  assert.equal(await byTag.text(), '');
  const byDate = await fetch(`${base}/assets/hello.txt`, { headers: { 'if-modified-since': 'Thu, 02 Jan 2020 03:04:05 GMT' } });
  assert.equal(byDate.status, 304);
  const older = await fetch(`${base}/assets/hello.txt`, { headers: { 'if-modified-since': 'Wed, 01 Jan 2020 00:00:00 GMT' } });
  assert.equal(older.status, 200);
  await older.text();
  // If-None-Match wins over If-Modified-Since
  const both = await fetch(`${base}/assets/hello.txt`, { headers: { 'if-none-match': '"other"', 'if-modified-since': 'Thu, 02 Jan 2020 03:04:05 GMT' } });
  assert.equal(both.status, 200);
  await both.text();
});

test('ranges: 206 for one range, suffix ranges, If-Range, 416 when unsatisfiable, whole file for several', async () => {
  const part = await fetch(`${base}/assets/big.bin`, { headers: { range: 'bytes=100-199' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 100-199/${big.length}`);
  assert.ok(Buffer.from(await part.arrayBuffer()).equals(big.subarray(100, 200)));
  const tail = await fetch(`${base}/assets/hello.txt`, { headers: { range: 'bytes=-6' } });
  assert.equal(tail.status, 206);
  assert.equal(await tail.text(), 'world\n');
  const open = await fetch(`${base}/assets/hello.txt`, { headers: { range: 'bytes=6-' } });
  assert.equal(await open.text(), 'world\n');
  const beyond = await fetch(`${base}/assets/hello.txt`, { headers: { range: 'bytes=500-600' } });
  assert.equal(beyond.status, 416);
  assert.equal(beyond.headers.get('content-range'), 'bytes */12');
  await beyond.text();
  const several = await fetch(`${base}/assets/hello.txt`, { headers: { range: 'bytes=0-1,3-4' } });
  assert.equal(several.status, 200);
  assert.equal(await several.text(), 'hello world\n');
  const etag = (await fetch(`${base}/assets/hello.txt`, { method: 'HEAD' })).headers.get('etag')!;
  const fresh = await fetch(`${base}/assets/hello.txt`, { headers: { range: 'bytes=0-4', 'if-range': etag } });
  assert.equal(fresh.status, 206);
  assert.equal(await fresh.text(), 'hello');
  const stale = await fetch(`${base}/assets/hello.txt`, { headers: { range: 'bytes=0-4', 'if-range': '"stale"' } });
  assert.equal(stale.status, 200);
  assert.equal(await stale.text(), 'hello world\n');
});

test('precompressed siblings: br or gzip by Accept-Encoding, Vary, the original otherwise', async () => {
  const text = 'compress me '.repeat(200);
  const br = await fetch(`${base}/assets/page.css`, { headers: { 'accept-encoding': 'gzip, br' } });
  assert.equal(br.headers.get('content-encoding'), 'br');
  assert.equal(br.headers.get('content-type'), 'text/css; charset=utf-8');
  assert.equal(br.headers.get('vary'), 'Accept-Encoding');
  assert.equal(await br.text(), text); // fetch decodes
  const gz = await fetch(`${base}/assets/page.css`, { headers: { 'accept-encoding': 'gzip;q=1, br;q=0.5' } });
  assert.equal(gz.headers.get('content-encoding'), 'gzip');
  assert.equal(await gz.text(), text);
  const plain = await fetch(`${base}/assets/page.css`, { headers: { 'accept-encoding': 'identity' } });
  assert.equal(plain.headers.get('content-encoding'), null);
  assert.equal(plain.headers.get('content-length'), String(text.length));
  assert.equal(await plain.text(), text);
  const refused = await fetch(`${base}/assets/page.css`, { headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } });
  assert.equal(refused.headers.get('content-encoding'), null);
  await refused.text();
});

test('directories: index files, trailing-slash redirect keeping the query, 404 without an index', async () => {
  const docs = await fetch(`${base}/site/docs`, { redirect: 'manual' });
  assert.equal(docs.status, 301);
  assert.equal(docs.headers.get('location'), '/site/docs/');
  const withQuery = await fetch(`${base}/site/docs?v=1`, { redirect: 'manual' });
  assert.equal(withQuery.headers.get('location'), '/site/docs/?v=1');
  assert.equal(await (await fetch(`${base}/site/docs/`)).text(), '<h1>docs</h1>');
  assert.equal(await (await fetch(`${base}/site/`)).text(), '<h1>home</h1>');
  assert.equal((await fetch(`${base}/site/empty-dir/`)).status, 404);
});

test('a miss falls through to the routes behind the middleware; a missing file is 404, not 500', async () => {
  assert.equal(await (await fetch(`${base}/site/dynamic`)).text(), 'a route after the static middleware');
  const missing = await fetch(`${base}/assets/nope.txt`);
  assert.equal(missing.status, 404);
  assert.match(missing.headers.get('content-type')!, /problem\+json/);
  assert.equal((await fetch(`${base}/site/nope.txt`)).status, 404);
});

test('never outside the root: .., encoded .., backslashes, NUL, symlinks leading out, dotfiles', async () => {
  for (const path of ['/assets/../../../etc/passwd', '/assets/%2e%2e/%2e%2e/etc/passwd', '/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/assets/..%5c..%5cetc%5cpasswd', '/site/%2e%2e/%2e%2e/etc/passwd', '/site/a%5c..%5c..%5cetc']) {
    const r = await raw(path);
    assert.ok(r.status === 403 || r.status === 404 || r.status === 400, `${path} → ${r.status}`);
  }
  assert.equal((await raw('/assets/hello.txt%00.png')).status, 400);
  assert.equal((await fetch(`${base}/assets/escape.txt`)).status, 404);
  assert.equal((await fetch(`${base}/outside`)).status, 403);
  assert.equal(await (await fetch(`${base}/assets/alias.txt`)).text(), 'hello world\n');
  assert.equal((await fetch(`${base}/assets/.env`)).status, 404);
  assert.equal((await fetch(`${base}/assets/.git/config`)).status, 404);
  assert.equal((await raw('/assets/%2eenv')).status, 404);
});

test('sendFile and download from handlers', async () => {
  const report = await fetch(`${base}/report`);
  assert.equal(report.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.deepEqual(await report.json(), { a: 1 });
  const saved = await fetch(`${base}/save`);
  assert.equal(saved.headers.get('content-disposition'), `attachment; filename="r_sum_ _final_.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.txt`);
  assert.equal(await saved.text(), 'hello world\n');
  assert.throws(() => sendFile({} as never, 'relative.txt'), /absolute path/);
});

test('other methods are not served', async () => {
  const r = await fetch(`${base}/assets/hello.txt`, { method: 'POST' });
  assert.notEqual(r.status, 200);
  await r.text();
});

test('a client that goes away mid-download leaves no open file behind', async () => {
  const huge = join(dir, 'huge.bin');
  writeFileSync(huge, Buffer.alloc(32 * 1024 * 1024, 1));
  const openFiles = () => {
    let n = 0;
    for (const fd of readdirSync('/proc/self/fd')) {
      try {
        if (readlinkSync(`/proc/self/fd/${fd}`) === huge) n++;
      } catch {
        // closed meanwhile
      }
    }
    return n;
  };
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect(Number(new URL(base).port), '127.0.0.1', () => socket.write('GET /assets/huge.bin HTTP/1.1\r\nHost: x\r\n\r\n'));
    socket.once('data', () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
  const until = Date.now() + 5000;
  while (openFiles() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  assert.equal(openFiles(), 0);
  // and the server still serves
  assert.equal((await fetch(`${base}/assets/hello.txt`)).status, 200);
});
