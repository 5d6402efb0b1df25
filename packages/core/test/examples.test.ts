import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startExample } from './example-process.js';

test('the npm start demo app serves its routes and shuts down gracefully on SIGTERM', async () => {
  const example = await startExample('examples/hello/main.ts');
  try {
    const port = example.port;
    const base = `http://127.0.0.1:${port}`;
    assert.equal(await (await fetch(`${base}/hello?name=Ada`)).text(), 'Hello, Ada!');
    const echo = await fetch(`${base}/echo`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    assert.deepEqual(await echo.json(), { received: { a: 1 } });
    const bad = await fetch(`${base}/echo`, { method: 'POST', body: '[1', headers: { 'content-type': 'application/json' } });
    assert.equal(bad.status, 400);
    await bad.text();
    const notJson = await fetch(`${base}/echo`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'text/plain' } });
    assert.equal(notJson.status, 415, 'the body is read with the checked reader, ctx.json()');
    await notJson.text();
    const stream = await fetch(`${base}/stream`);
    assert.equal(stream.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.match(await stream.text(), /^tick 1\ntick 2\n/);
    assert.equal(await example.stop('SIGTERM'), 0);
  } finally {
    example.kill();
  }
});

test('the connections example: its large answers go through pooled output buffers grown to hold them, counted in /stats', async () => {
  const example = await startExample('examples/connections/main.ts');
  try {
    const base = `http://127.0.0.1:${example.port}`;
    assert.deepEqual(await (await fetch(`${base}/small`)).json(), { message: 'Hello, World!' });
    let size = 0;
    for (let i = 0; i < 20; i++) {
      const text = await (await fetch(`${base}/large`)).text();
      assert.equal((JSON.parse(text) as unknown[]).length, 1500);
      size = text.length;
    }
    const stats = (await (await fetch(`${base}/stats`)).json()) as Record<string, number>;
    assert.ok(stats.outputBufferSize! > size && stats.outputBufferSize! <= 4 * size, `output buffers of ${stats.outputBufferSize} B for ${size} B answers`);
    assert.ok(stats.buffersAllocated >= 1 && stats.buffersAllocated <= 8, `allocated ${stats.buffersAllocated}`);
    assert.ok(stats.unpooledOutputs < 20, `unpooled ${stats.unpooledOutputs}`);
    assert.equal(typeof stats.keepAliveTimeout, 'number');
    assert.equal(await example.stop('SIGTERM'), 0);
  } finally {
    example.kill();
  }
});
