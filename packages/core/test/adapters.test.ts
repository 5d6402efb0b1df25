import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createApp, HttpError } from '../src/index.js';

/** One app, used through every adapter: the same answers must come back whichever way in. */
function demoApp() {
  const app = createApp({ serverName: 'Armature', onError: () => {} });
  app.get('/text', () => 'hello');
  app.get('/json', (ctx) => ({ query: ctx.query }));
  app.get('/bytes', () => new Uint8Array([1, 2, 3]));
  app.get('/empty', () => undefined);
  app.get('/stream', () => Readable.from(['a', 'b', 'c']));
  app.get('/cookies', (ctx) => {
    ctx.res.appendHeader('Set-Cookie', 'a=1');
    ctx.res.appendHeader('Set-Cookie', 'b=2');
    return 'ok';
  });
  app.get('/response', () => new Response('from fetch', { status: 201, headers: { 'x-kind': 'fetch' } }));
  app.post('/echo', async (ctx) => ({ got: await ctx.req.body.json(), type: ctx.get('content-type') }));
  app.post('/small', async (ctx) => (await ctx.req.body.bytes(4)).length);
  app.get('/teapot', () => {
    throw new HttpError(418, 'short and stout');
  });
  app.get('/boom', () => {
    throw new Error('secret internals');
  });
  return app;
}

test('inject drives the real pipeline without a socket', async () => {
  const app = demoApp();
  const text = await app.inject('/text');
  assert.equal(text.statusCode, 200);
  assert.equal(text.body, 'hello');
  assert.equal(text.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(text.headers['content-length'], '5');

  const json = await app.inject({ url: '/json?a=1&a=2&b=x' });
  assert.deepEqual(json.json(), { query: { a: ['1', '2'], b: 'x' } });

  const echo = await app.inject({ method: 'POST', url: '/echo', body: { hi: 1 } });
  assert.deepEqual(echo.json(), { got: { hi: 1 }, type: 'application/json' });

  const bad = await app.inject({ method: 'POST', url: '/echo', body: '{"broken"', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.headers['content-type'], 'application/problem+json');
  assert.match(bad.json<{ detail: string }>().detail, /Malformed JSON/);

  const big = await app.inject({ method: 'POST', url: '/small', body: 'too long' });
  assert.equal(big.statusCode, 413);

  assert.equal((await app.inject('/empty')).statusCode, 204);
  assert.deepEqual([...(await app.inject('/bytes')).rawBody], [1, 2, 3]);
  assert.equal((await app.inject('/stream')).body, 'abc');
  assert.deepEqual((await app.inject('/cookies')).headers['set-cookie'], ['a=1', 'b=2']);
  const passed = await app.inject('/response');
  assert.equal(passed.statusCode, 201);
  assert.equal(passed.headers['x-kind'], 'fetch');
  assert.equal(passed.body, 'from fetch');

  const teapot = await app.inject('/teapot');
  assert.equal(teapot.statusCode, 418);
  assert.equal(teapot.json<{ detail: string }>().detail, 'short and stout');
  const boom = await app.inject('/boom');
  assert.equal(boom.statusCode, 500);
  assert.doesNotMatch(boom.body, /secret internals/);

  const missing = await app.inject('/nope');
  assert.equal(missing.statusCode, 404);
  const wrongMethod = await app.inject({ method: 'DELETE', url: '/text' });
  assert.equal(wrongMethod.statusCode, 405);
  assert.equal(wrongMethod.headers.allow, 'GET, HEAD');
  const head = await app.inject({ method: 'HEAD', url: '/text' });
  assert.equal(head.statusCode, 200);
  assert.equal(head.body, '');
  assert.equal(head.headers['content-length'], '5');
});

test('fetch adapter: Request in, Response out', async () => {
  const app = demoApp();
  const res = await app.fetch(new Request('http://example.test/json?x=1'));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { query: { x: '1' } });

  const echo = await app.fetch(new Request('http://example.test/echo', { method: 'POST', body: '{"a":[1]}', headers: { 'content-type': 'application/json' } }));
  assert.deepEqual(await echo.json(), { got: { a: [1] }, type: 'application/json' });

  const stream = await app.fetch(new Request('http://example.test/stream'));
  assert.equal(await stream.text(), 'abc');
  const cookies = await app.fetch(new Request('http://example.test/cookies'));
  assert.deepEqual(cookies.headers.getSetCookie(), ['a=1', 'b=2']);
  const empty = await app.fetch(new Request('http://example.test/empty'));
  assert.equal(empty.status, 204);
  assert.equal(empty.body, null);
  const missing = await app.fetch(new Request('http://example.test/missing'));
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('content-type'), 'application/problem+json');
  const big = await app.fetch(new Request('http://example.test/small', { method: 'POST', body: 'way too long' }));
  assert.equal(big.status, 413);
});

async function listen(server: http.Server | http2.Http2Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

test('node:http listener serves the same app', async () => {
  const app = demoApp();
  const server = http.createServer(app.nodeListener());
  const port = await listen(server);
  try {
    const base = `http://127.0.0.1:${port}`;
    const text = await fetch(`${base}/text`);
    assert.equal(text.status, 200);
    assert.equal(text.headers.get('server'), 'Armature');
    assert.equal(await text.text(), 'hello');
    const echo = await fetch(`${base}/echo`, { method: 'POST', body: JSON.stringify({ n: 5 }), headers: { 'content-type': 'application/json' } });
    assert.deepEqual(await echo.json(), { got: { n: 5 }, type: 'application/json' });
    const stream = await fetch(`${base}/stream`);
    assert.equal(await stream.text(), 'abc');
    assert.deepEqual((await fetch(`${base}/cookies`)).headers.getSetCookie(), ['a=1', 'b=2']);
    const big = await fetch(`${base}/small`, { method: 'POST', body: 'way too long' });
    assert.equal(big.status, 413);
    await big.text();
    const boom = await fetch(`${base}/boom`);
    assert.equal(boom.status, 500);
    assert.doesNotMatch(await boom.text(), /secret internals/);
    // the server keeps serving after errors
    assert.equal((await fetch(`${base}/text`)).status, 200);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('node:http2 listener (h2c) serves the same app without hop-by-hop headers', async () => {
  const app = demoApp();
  app.get('/hop', (ctx) => {
    ctx.res.setHeader('Connection', 'close');
    return 'no hop-by-hop over h2';
  });
  app.get('/host', (ctx) => ctx.req.headers.get('host') ?? '');
  const server = http2.createServer(app.nodeListener());
  const port = await listen(server);
  const client = http2.connect(`http://127.0.0.1:${port}`);
  const get = (path: string, method = 'GET', body?: string) =>
    new Promise<{ status: number; headers: http2.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const req = client.request({ ':path': path, ':method': method, ...(body ? { 'content-type': 'application/json' } : {}) });
      let data = '';
      let headers: http2.IncomingHttpHeaders = {};
      req.setEncoding('utf8');
      req.on('response', (h) => { headers = h; });
      req.on('data', (d: string) => { data += d; });
      req.on('end', () => resolve({ status: Number(headers[':status']), headers, body: data }));
      req.on('error', reject);
      req.end(body);
    });
  try {
    const text = await get('/text');
    assert.equal(text.status, 200);
    assert.equal(text.body, 'hello');
    const echo = await get('/echo', 'POST', '{"h2":true}');
    assert.deepEqual(JSON.parse(echo.body), { got: { h2: true }, type: 'application/json' });
    const hop = await get('/hop');
    assert.equal(hop.status, 200);
    assert.equal(hop.headers.connection, undefined);
    // HTTP/2 has no Host header: the adapter takes it from :authority
    assert.equal((await get('/host')).body, `127.0.0.1:${port}`);
    assert.equal((await get('/stream')).body, 'abc');
  } finally {
    client.close();
    await new Promise((r) => server.close(r));
  }
});

test('node:https listener and node:http2 secure server with allowHTTP1', async (t) => {
  const { selfSignedCert } = await import('./engine-helpers.js');
  const pair = await selfSignedCert();
  if (typeof pair === 'string') {
    t.skip(`no TLS certificate: ${pair}`);
    return;
  }
  const https = await import('node:https');
  const app = demoApp();
  app.get('/secure', (ctx) => ({ secure: ctx.req.secure, version: ctx.req.httpVersion }));
  const get = (port: number) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      https
        .get({ host: '127.0.0.1', port, path: '/secure', rejectUnauthorized: false }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => { body += d; });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        })
        .on('error', reject);
    });

  const server = https.createServer(pair, app.nodeListener());
  const port = await listen(server);
  try {
    const r = await get(port);
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { secure: true, version: '1.1' });
  } finally {
    await new Promise((r) => server.close(r));
  }

  // HTTP/2 over TLS, with HTTP/1.1 clients served by the same listener
  const h2 = http2.createSecureServer({ ...pair, allowHTTP1: true }, app.nodeListener());
  const h2port = await listen(h2);
  try {
    const r1 = await get(h2port);
    assert.deepEqual(JSON.parse(r1.body), { secure: true, version: '1.1' });
    const client = http2.connect(`https://127.0.0.1:${h2port}`, { rejectUnauthorized: false });
    const body = await new Promise<string>((resolve, reject) => {
      const req = client.request({ ':path': '/secure' });
      let data = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => { data += d; });
      req.on('end', () => resolve(data));
      req.on('error', reject);
      req.end();
    });
    client.close();
    assert.deepEqual(JSON.parse(body), { secure: true, version: '2.0' });
  } finally {
    await new Promise((r) => h2.close(r));
  }
});

test('onClose tells a long-lived response that its client went away (engine, node:http, fetch)', async () => {
  const closed: string[] = [];
  const app = createApp({ onError: () => {} });
  app.get('/hang', (ctx) => {
    // a long-lived stream with heartbeats, never ended by the handler: a client that left is
    // seen when its connection closes (the engine sees a client's FIN at the next write)
    const beat = setInterval(() => ctx.res.write('beat\n'), 30);
    ctx.res.onClose(() => {
      clearInterval(beat);
      closed.push(ctx.get('x-via') ?? '?');
    });
    ctx.res.write('started\n');
    return new Promise(() => {});
  });
  app.get('/quick', (ctx) => {
    ctx.res.onClose(() => closed.push('quick'));
    return 'done';
  });

  const hangAndLeave = async (url: string, via: string): Promise<void> => {
    await readFirstChunkAndLeave(url, via);
    await waitFor(() => closed.includes(via));
  };

  const { port } = await app.listen({ port: 0 });
  const server = http.createServer(app.nodeListener());
  const nodePort = await listen(server);
  try {
    await hangAndLeave(`http://127.0.0.1:${port}/hang`, 'engine');
    await hangAndLeave(`http://127.0.0.1:${nodePort}/hang`, 'node');
    const viaFetch = await app.fetch(new Request('http://x.test/hang', { headers: { 'x-via': 'fetch' } }));
    const reader = viaFetch.body!.getReader();
    await reader.read();
    await reader.cancel();
    await waitFor(() => closed.includes('fetch'));
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/quick`)).text(), 'done');
    assert.deepEqual(closed.sort(), ['engine', 'fetch', 'node'], 'a normally finished response does not report a close');
  } finally {
    await app.close({ timeout: 200 });
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test('a streamed response whose client went away stops pulling from its source (engine and node:http alike)', { timeout: 15_000 }, async () => {
  const stopped: Array<{ via: string; pulled: number }> = [];
  const errors: unknown[] = [];
  const app = createApp({ onError: (error) => { errors.push(error); } });
  app.get('/endless', (ctx) => {
    const via = ctx.get('x-via') ?? '?';
    let pulled = 0;
    async function* endless() {
      try {
        for (;;) {
          pulled++;
          yield Buffer.alloc(16 * 1024, 0x61);
          await new Promise((r) => setImmediate(r));
        }
      } finally {
        stopped.push({ via, pulled });
      }
    }
    return endless();
  });
  const { port } = await app.listen({ port: 0 });
  const server = http.createServer(app.nodeListener());
  const nodePort = await listen(server);
  const leave = async (url: string, via: string): Promise<void> => {
    await readFirstChunkAndLeave(url, via);
    await waitFor(() => stopped.some((s) => s.via === via));
    // the source is left alone soon after: a few more pulls at most, not the thousands a spin would make
    await new Promise((r) => setTimeout(r, 200));
    const entry = stopped.find((s) => s.via === via);
    assert.ok(entry !== undefined, `${via}: the source was closed`);
  };
  try {
    await leave(`http://127.0.0.1:${port}/endless`, 'engine');
    await leave(`http://127.0.0.1:${nodePort}/endless`, 'node');
    for (const s of stopped) assert.ok(s.pulled < 2000, `${s.via}: ${s.pulled} chunks pulled after the client left`);
    assert.deepEqual(errors, [], 'a client that leaves is not an error of the app');
  } finally {
    await app.close({ timeout: 200 });
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

/** A client that reads the first chunk of a streamed answer, then goes away. */
async function readFirstChunkAndLeave(url: string, via: string): Promise<void> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { 'x-via': via }, signal: controller.signal });
  const reader = res.body!.getReader();
  await reader.read();
  controller.abort();
  await reader.cancel().catch(() => {});
}

/** Polls `done` every 20 ms, for at most 2 s (the caller asserts what it waited for). */
async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
}
