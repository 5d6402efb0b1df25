/** examples/compression runs: in process through inject, and as a process read with curl. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { app } from '../../../examples/compression/main.js';
import { startExample } from '../../core/test/example-process.js';
import { zstdAvailable } from '../src/codings.js';

const run = promisify(execFile);

test('the example compresses JSON, pages from the cache, streams; leaves images alone', async () => {
  const report = await app.inject({ url: '/report', headers: { 'accept-encoding': 'gzip, br' } });
  assert.equal(report.headers['content-encoding'], 'br');
  const rows = JSON.parse(zlib.brotliDecompressSync(report.rawBody).toString()).rows;
  assert.equal(rows.length, 300);
  const first = await app.inject({ url: '/page', headers: { 'accept-encoding': 'gzip' } });
  const again = await app.inject({ url: '/page', headers: { 'accept-encoding': 'gzip' } });
  assert.deepEqual(first.rawBody, again.rawBody);
  assert.match(zlib.gunzipSync(first.rawBody).toString(), /^<!doctype html>/);
  const ndjson = await app.inject({ url: '/export.ndjson', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(ndjson.headers['transfer-encoding'], 'chunked');
  assert.equal(zlib.gunzipSync(ndjson.rawBody).toString().split('\n').length, 1001);
  const png = await app.inject({ url: '/logo.png', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(png.headers['content-encoding'], undefined);
});

test('the example as a process: curl --compressed', async () => {
  const example = await startExample('examples/compression/main.ts');
  try {
    const base = `http://127.0.0.1:${example.port}`;
    const { stdout } = await run('curl', ['-s', '--compressed', '-D', '-', `${base}/report`]);
    assert.match(stdout, new RegExp(`content-encoding: ${zstdAvailable ? 'zstd' : 'br'}`, 'i'));
    assert.match(stdout, /"rows":\[\{"id":0,/);
    const ticks = await run('curl', ['-s', '--compressed', '-N', `${base}/ticks`]);
    assert.equal(ticks.stdout.match(/^event: tick$/gm)?.length, 5);
  } finally {
    example.kill();
  }
});
