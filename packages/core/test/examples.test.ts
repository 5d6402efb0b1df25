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

test('the HTTP/2 example: a self-signed certificate made at start-up, HTTP/2 and HTTP/1.1 on one TLS port, events over HTTP/2', async () => {
  const http2 = await import('node:http2');
  const https = await import('node:https');
  const example = await startExample('examples/http2/main.ts', { TICK_MS: '20' });
  const client = http2.connect(`https://127.0.0.1:${example.port}`, { rejectUnauthorized: false });
  try {
    const get = (path: string, body?: string) =>
      new Promise<string>((resolve, reject) => {
        const req = client.request(body === undefined ? { ':path': path } : { ':path': path, ':method': 'POST', 'content-type': 'application/json' });
        let text = '';
        req.setEncoding('utf8');
        req.on('data', (d: string) => (text += d));
        req.on('end', () => resolve(text));
        req.on('error', reject);
        req.end(body);
      });
    assert.deepEqual(JSON.parse(await get('/')), { protocol: 'HTTP/2.0', secure: true, host: `127.0.0.1:${example.port}` });
    assert.deepEqual(JSON.parse(await get('/echo', '{"hi":1}')), { received: { hi: 1 } });
    const events = await get('/events');
    assert.equal(events.match(/^event: tick$/gm)?.length, 5);
    assert.match(events, /event: tick\nid: 5\ndata: \{"n":5,/);
    const viaHttp1 = await new Promise<string>((resolve, reject) => {
      https
        .get({ host: '127.0.0.1', port: example.port, path: '/', rejectUnauthorized: false }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
    assert.equal((JSON.parse(viaHttp1) as { protocol: string }).protocol, 'HTTP/1.1');
    client.close();
    assert.equal(await example.stop('SIGTERM'), 0);
  } finally {
    client.destroy();
    example.kill();
  }
});
