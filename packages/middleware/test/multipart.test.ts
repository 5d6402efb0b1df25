// Uploads through the engine: fields and files to disk and cleaned up, every limit answered 413
// naming it, malformed bodies and boundaries 400, field validation, aborted uploads leaving no
// temporary file, and parts streamed one at a time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { z } from 'zod';
import { createApp, type App } from '@armature/core';
import { multipart, multipartForm, multipartParts, parseMultipart } from '@armature/middleware/multipart';

let tmp = '';
let kept = '';
let app: App;
let base = '';
let port = 0;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'armature-mp-'));
  kept = mkdtempSync(join(tmpdir(), 'armature-kept-'));
  app = createApp({ onError: () => {}, bodyLimit: 64 * 1024 * 1024 });
  const limits = { fileSize: 1000, files: 2, fields: 3, fieldSize: 50, parts: 5 };
  app.post('/form', { middleware: [multipart({ tmpdir: tmp, limits })] }, (ctx) => {
    const form = multipartForm(ctx);
    return {
      fields: form.fields,
      files: form.files.map((f) => ({ field: f.field, filename: f.filename, mimeType: f.mimeType, size: f.size, content: readFileSync(f.path, 'utf8'), inTmp: f.path.startsWith(tmp) })),
    };
  });
  app.post('/keep', async (ctx) => {
    const form = await parseMultipart(ctx, { tmpdir: tmp });
    await form.file('doc')!.moveTo(join(kept, 'doc.txt'));
    await form.cleanup();
    return { moved: true };
  });
  app.post('/total', { middleware: [multipart({ tmpdir: tmp, limits: { totalSize: 500 } })] }, () => 'never');
  app.post('/typed', { middleware: [multipart({ tmpdir: tmp, fields: z.object({ age: z.coerce.number().int().min(0), name: z.string() }) })] }, (ctx) => multipartForm<{ age: number; name: string }>(ctx).fields);
  app.post('/stream', async (ctx) => {
    const out: Array<{ name: string; sha256?: string; value?: string; size?: number }> = [];
    for await (const part of multipartParts(ctx, { limits: { fileSize: 2 * 1024 * 1024 * 1024 } })) {
      if (part.kind === 'field') out.push({ name: part.name, value: part.value });
      else {
        const hash = createHash('sha256');
        let size = 0;
        for await (const chunk of part.stream) {
          hash.update(chunk as Buffer);
          size += (chunk as Buffer).length;
        }
        out.push({ name: part.field, sha256: hash.digest('hex'), size });
      }
    }
    return out;
  });
  ({ port } = await app.listen({ port: 0 }));
  base = `http://127.0.0.1:${port}`;
});

after(async () => {
  await app.close();
  rmSync(tmp, { recursive: true, force: true });
  rmSync(kept, { recursive: true, force: true });
});

const tmpFiles = () => readdirSync(tmp);

function form(entries: Array<[string, string] | [string, string, string]>): FormData {
  const fd = new FormData();
  for (const [name, value, filename] of entries) {
    if (filename === undefined) fd.append(name, value);
    else fd.append(name, new Blob([value], { type: 'text/plain' }), filename);
  }
  return fd;
}

const post = (path: string, body: FormData | string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { method: 'POST', body, headers });

test('fields and files: parsed, written to temporary files, removed once the handler has answered', async () => {
  const r = await post('/form', form([['title', 'Report'], ['tag', 'a'], ['tag', 'b'], ['doc', 'file body', '../../etc/évil.txt']]));
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), {
    fields: { title: 'Report', tag: ['a', 'b'] },
    files: [{ field: 'doc', filename: 'évil.txt', mimeType: 'text/plain', size: 9, content: 'file body', inTmp: true }],
  });
  assert.deepEqual(tmpFiles(), []);
});

test('a file moved away by the handler stays; the rest is cleaned up', async () => {
  const r = await post('/keep', form([['doc', 'keep me', 'a.txt'], ['other', 'drop me', 'b.txt']]));
  assert.deepEqual(await r.json(), { moved: true });
  assert.equal(readFileSync(join(kept, 'doc.txt'), 'utf8'), 'keep me');
  assert.deepEqual(tmpFiles(), []);
});

test('every limit is a 413 that names it, and leaves no temporary file', async () => {
  const cases: Array<[string, FormData, RegExp]> = [
    ['fileSize', form([['doc', 'x'.repeat(1001), 'big.txt']]), /limit fileSize: a file is larger than 1000 bytes/],
    ['files', form([['a', '1', 'a.txt'], ['b', '2', 'b.txt'], ['c', '3', 'c.txt']]), /limit files/],
    ['fields', form([['a', '1'], ['b', '2'], ['c', '3'], ['d', '4']]), /limit fields/],
    ['fieldSize', form([['a', 'y'.repeat(51)]]), /limit fieldSize/],
    ['parts', form([['a', '1'], ['b', '2'], ['c', '3'], ['d', '1', 'd.txt'], ['e', '1', 'e.txt'], ['f', '1']]), /limit (parts|fields|files)/],
  ];
  for (const [name, body, detail] of cases) {
    const r = await post('/form', body);
    assert.equal(r.status, 413, name);
    const problem = (await r.json()) as { detail: string; limit: string };
    assert.match(problem.detail, detail, name);
    assert.deepEqual(tmpFiles(), [], name);
  }
  const total = await post('/total', form([['doc', 'z'.repeat(2000), 'big.txt']]));
  assert.equal(total.status, 413);
  assert.match(((await total.json()) as { detail: string }).detail, /limit totalSize/);
  assert.deepEqual(tmpFiles(), []);
});

test('malformed: no boundary or a wrong one is 400, another type 415; the server keeps serving', async () => {
  const noBoundary = await post('/form', 'x', { 'content-type': 'multipart/form-data' });
  assert.equal(noBoundary.status, 400);
  assert.match(await noBoundary.text(), /boundary/);
  const wrong = await post('/form', '--other\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--other--\r\n', { 'content-type': 'multipart/form-data; boundary=expected' });
  assert.equal(wrong.status, 400);
  assert.match(await wrong.text(), /Malformed multipart/);
  const truncated = await post('/form', '--b\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\npartial', { 'content-type': 'multipart/form-data; boundary=b' });
  assert.equal(truncated.status, 400);
  await truncated.text();
  const json = await post('/form', '{}', { 'content-type': 'application/json' });
  assert.equal(json.status, 415);
  await json.text();
  assert.deepEqual(tmpFiles(), []);
  assert.equal((await post('/form', form([['ok', '1']]))).status, 200);
});

test('fields validated with a Standard Schema: typed output, or 400 listing the issues', async () => {
  const ok = await post('/typed', form([['age', '42'], ['name', 'Ada']]));
  assert.deepEqual(await ok.json(), { age: 42, name: 'Ada' });
  const bad = await post('/typed', form([['age', '-1'], ['name', 'Ada'], ['f', 'x', 'f.txt']]));
  assert.equal(bad.status, 400);
  const problem = (await bad.json()) as { issues: Array<{ path: string }> };
  assert.equal(problem.issues[0]!.path, '/age');
  assert.deepEqual(tmpFiles(), []);
});

test('an upload cut off mid-file leaves no temporary file and the server keeps serving', async () => {
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write('POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n');
      socket.write('--b\r\nContent-Disposition: form-data; name="doc"; filename="a.txt"\r\n\r\n' + 'q'.repeat(500));
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 100);
    });
    socket.on('error', reject);
  });
  const until = Date.now() + 5000;
  while (tmpFiles().length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(tmpFiles(), []);
  assert.equal((await post('/form', form([['ok', '1']]))).status, 200);
});

test('parts one at a time: files hashed as they stream, nothing on disk', async () => {
  const r = await post('/stream', form([['note', 'hi'], ['blob', 'abc', 'a.bin']]));
  assert.deepEqual(await r.json(), [
    { name: 'note', value: 'hi' },
    { name: 'blob', sha256: createHash('sha256').update('abc').digest('hex'), size: 3 },
  ]);
});
