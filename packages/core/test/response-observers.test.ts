// res.observe(observer): every transport (engine, node:http, node:http2, fetch, inject) tells an
// observer exactly once that its response is over, ended or cut short (aborted, client gone),
// with the body's byte count (strings as UTF-8) and the final status; and nothing is told twice
// when the connection closes afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../src/index.js';
import type { HttpResponse, ResponseObserver } from '../src/http/index.js';
import { delay } from './engine-helpers.js';
import { leaveMidResponse } from '../../../scripts/test-support/leave-mid-response.js';

interface Seen {
  path: string;
  calls: number;
  aborted: boolean | null;
  bytes: number;
  status: number;
}

/** The app every transport serves; `seen` gets one entry per request, filled by its observer. */
function observedApp(): { app: App; seen: Seen[] } {
  const seen: Seen[] = [];
  const app = createApp({ onError: () => {} });
  app.use((ctx, next) => {
    const entry: Seen = { path: ctx.path, calls: 0, aborted: null, bytes: -1, status: 0 };
    seen.push(entry);
    ctx.res.observe({
      responseFinished(res: HttpResponse, aborted: boolean) {
        entry.calls++;
        entry.aborted = aborted;
        entry.bytes = res.bodyBytes;
        entry.status = res.statusCode;
      },
    });
    return next();
  });
  app.get('/text', () => 'héllo'); // 6 bytes
  app.get('/stream', async (ctx) => {
    ctx.res.write('ab');
    await delay(5);
    ctx.res.write(new Uint8Array([1, 2, 3]));
    ctx.res.end('é');
  });
  app.get('/boom', () => {
    throw new Error('kaput');
  });
  app.get('/cut', async (ctx) => {
    ctx.res.write('abcd');
    await delay(5);
    ctx.res.abort();
  });
  // writes until its client leaves
  app.get('/endless', async (ctx) => {
    while (!ctx.res.finished) {
      ctx.res.write('x'.repeat(100));
      await delay(5);
    }
  });
  return { app, seen };
}

/** Waits until `seen` has `count` entries that were told, then a little more (a second call would show). */
async function told(seen: Seen[], count: number): Promise<void> {
  for (let i = 0; i < 400 && seen.filter((s) => s.calls > 0).length < count; i++) await delay(5);
  await delay(30);
}

/** The first request to `path`. */
function entry(seen: Seen[], path: string): Seen {
  const found = seen.find((s) => s.path === path);
  assert.ok(found !== undefined, `a request to ${path}`);
  return found;
}

function checkCommon(seen: Seen[], problemBytes: number): void {
  assert.deepEqual(entry(seen, '/text'), { path: '/text', calls: 1, aborted: false, bytes: 6, status: 200 });
  assert.deepEqual(entry(seen, '/stream'), { path: '/stream', calls: 1, aborted: false, bytes: 7, status: 200 });
  assert.deepEqual(entry(seen, '/boom'), { path: '/boom', calls: 1, aborted: false, bytes: problemBytes, status: 500 });
}

test('inject: ended, streamed, an error answer, aborted', async () => {
  const { app, seen } = observedApp();
  assert.equal((await app.inject('/text')).body, 'héllo');
  assert.equal((await app.inject('/stream')).rawBody.length, 7);
  const boom = await app.inject('/boom');
  assert.equal((await app.inject('/cut')).body, 'abcd');
  await told(seen, 4);
  checkCommon(seen, boom.rawBody.length);
  assert.deepEqual(entry(seen, '/cut'), { path: '/cut', calls: 1, aborted: true, bytes: 4, status: 200 });
});

test('engine: ended, streamed, an error answer, aborted, a client leaving mid-stream, HEAD', async () => {
  const { app, seen } = observedApp();
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  const get = (path: string, method = 'GET') =>
    new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  try {
    assert.equal((await get('/text')).body.toString(), 'héllo');
    assert.equal((await get('/stream')).body.length, 7);
    const boom = await get('/boom');
    assert.equal(boom.status, 500);
    await assert.rejects(get('/cut'));
    // the client takes the first chunk, then leaves
    await leaveMidResponse(port, '/endless');
    await told(seen, 5);
    const head = await get('/text', 'HEAD');
    assert.equal(head.body.length, 0);
    await told(seen, 6);
    checkCommon(seen, boom.body.length);
    const cut = entry(seen, '/cut');
    assert.deepEqual(cut, { path: '/cut', calls: 1, aborted: true, bytes: 4, status: 200 });
    const endless = entry(seen, '/endless');
    assert.equal(endless.calls, 1);
    assert.equal(endless.aborted, true);
    assert.ok(endless.bytes >= 100 && endless.bytes % 100 === 0, `${endless.bytes} bytes`);
    // HEAD: the bytes the body would have had (its Content-Length)
    assert.equal(seen.length, 6);
    assert.deepEqual(seen[5], { path: '/text', calls: 1, aborted: false, bytes: 6, status: 200 });
  } finally {
    await app.close();
  }
});

test('node:http adapter: ended, streamed, an error answer, aborted, a client leaving mid-stream', async () => {
  const { app, seen } = observedApp();
  const server = http.createServer(app.nodeListener());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const get = (path: string) =>
    new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      }).on('error', reject);
    });
  try {
    await get('/text');
    await get('/stream');
    const boom = await get('/boom');
    await assert.rejects(get('/cut'));
    await leaveMidResponse(port, '/endless');
    await told(seen, 5);
    checkCommon(seen, boom.body.length);
    assert.deepEqual(entry(seen, '/cut'), { path: '/cut', calls: 1, aborted: true, bytes: 4, status: 200 });
    const endless = entry(seen, '/endless');
    assert.equal(endless.calls, 1);
    assert.equal(endless.aborted, true);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test('node:http2 adapter: ended, streamed, an error answer, a client cancelling its stream', async () => {
  const { app, seen } = observedApp();
  const server = http2.createServer(app.nodeListener());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const client = http2.connect(`http://127.0.0.1:${port}`);
  const get = (path: string) =>
    new Promise<Buffer>((resolve, reject) => {
      const req = client.request({ ':path': path });
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
      req.end();
    });
  try {
    await get('/text');
    await get('/stream');
    const boom = await get('/boom');
    await new Promise<void>((resolve) => {
      const req = client.request({ ':path': '/endless' });
      req.once('data', () => {
        req.close(http2.constants.NGHTTP2_CANCEL);
        resolve();
      });
      req.on('error', () => {});
      req.end();
    });
    await told(seen, 4);
    checkCommon(seen, boom.length);
    const endless = entry(seen, '/endless');
    assert.equal(endless.calls, 1);
    assert.equal(endless.aborted, true);
  } finally {
    client.close();
    await new Promise((r) => server.close(r));
  }
});

test('fetch adapter: ended, streamed, an error answer, aborted, a consumer cancelling the body', async () => {
  const { app, seen } = observedApp();
  const call = (path: string) => app.fetch(new Request(`http://localhost${path}`));
  assert.equal(await (await call('/text')).text(), 'héllo');
  assert.equal((await (await call('/stream')).arrayBuffer()).byteLength, 7);
  const boom = await (await call('/boom')).arrayBuffer();
  await assert.rejects((await call('/cut')).text());
  const endless = await call('/endless');
  const reader = endless.body!.getReader();
  await reader.read();
  await reader.cancel();
  await told(seen, 5);
  checkCommon(seen, boom.byteLength);
  assert.deepEqual(entry(seen, '/cut'), { path: '/cut', calls: 1, aborted: true, bytes: 4, status: 200 });
  const cancelled = entry(seen, '/endless');
  assert.equal(cancelled.calls, 1);
  assert.equal(cancelled.aborted, true);
});

test('observers: told in the order added, each once; added after the end, told at once; found again by class', async () => {
  class Mine implements ResponseObserver {
    readonly log: string[];
    readonly name: string;
    constructor(log: string[], name: string) {
      this.log = log;
      this.name = name;
    }
    responseFinished(_res: HttpResponse, aborted: boolean): void {
      this.log.push(`${this.name}:${aborted}`);
    }
  }
  const log: string[] = [];
  const app = createApp();
  let found: unknown = null;
  let late: HttpResponse | null = null;
  app.get('/', (ctx) => {
    assert.equal(ctx.res.observerOf(Mine), undefined);
    ctx.res.observe({ responseFinished: () => void log.push('plain') });
    const mine = new Mine(log, 'mine');
    ctx.res.observe(mine);
    ctx.res.observe(new Mine(log, 'second'));
    found = ctx.res.observerOf(Mine);
    assert.equal(found, mine);
    late = ctx.res;
    return 'ok';
  });
  await app.inject('/');
  assert.deepEqual(log, ['plain', 'mine:false', 'second:false']);
  late!.observe(new Mine(log, 'late'));
  assert.deepEqual(log, ['plain', 'mine:false', 'second:false', 'late:false']);
  assert.equal(late!.observerOf(Mine), undefined); // told and let go
});

test('responseFailed: observers that ask are told the error the app answers (thrown, rejected, from the reply, after the head), before the response is over', async () => {
  const events: string[] = [];
  const app = createApp({ onError: () => {} });
  app.use((ctx, next) => {
    ctx.res.observe({
      responseFailed(res: HttpResponse, error: unknown) {
        events.push(`${ctx.path} failed: ${(error as Error).message}, head sent: ${res.headersSent}`);
      },
      responseFinished(res: HttpResponse, aborted: boolean) {
        events.push(`${ctx.path} over: ${res.statusCode}${aborted ? ', cut short' : ''}`);
      },
    });
    ctx.res.observe({ responseFinished() {} }); // one without responseFailed: left alone
    return next();
  });
  app.get('/ok', () => 'fine');
  app.get('/throws', () => {
    throw new Error('thrown');
  });
  app.get('/rejects', async () => {
    throw new Error('rejected');
  });
  app.get('/reply', () => ({ toJSON: () => { throw new Error('not serializable'); } }));
  app.get('/mid-stream', (ctx) => {
    ctx.res.write('a');
    throw new Error('after the head');
  });
  for (const path of ['/ok', '/throws', '/rejects', '/reply', '/mid-stream']) await app.inject(path);
  await delay(10);
  assert.deepEqual(events, [
    '/ok over: 200',
    '/throws failed: thrown, head sent: false',
    '/throws over: 500',
    '/rejects failed: rejected, head sent: false',
    '/rejects over: 500',
    '/reply failed: not serializable, head sent: false',
    '/reply over: 500',
    '/mid-stream failed: after the head, head sent: true',
    '/mid-stream over: 200, cut short',
  ]);
});
