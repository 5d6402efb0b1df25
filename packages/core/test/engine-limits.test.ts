import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineHandler } from '../src/engine/server.js';
import { RawClient, delay, exchange, withEngine } from './engine-helpers.js';

const ok: EngineHandler = (req, res) => res.end(req.path);
const get = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;

function assertRejected(result: { responses: Array<{ status: number; headers: Record<string, string>; text: string }>; closed: boolean }, status: number, what: string): void {
  assert.equal(result.responses.length, 1, `${what}: exactly one response`);
  const r = result.responses[0]!;
  assert.equal(r.status, status, `${what}: status`);
  assert.equal(r.headers.connection, 'close', `${what}: Connection: close`);
  assert.equal(r.headers['content-type'], 'application/problem+json');
  assert.equal(JSON.parse(r.text).status, status);
  assert.ok(result.closed, `${what}: closed`);
}

test('431 when the head is larger than maxHeaderSize, also before the head is complete', async () => {
  let called = 0;
  await withEngine(
    (req, res) => {
      called++;
      res.end(req.path);
    },
    { maxHeaderSize: 1024 },
    async ({ port }) => {
      assertRejected(await exchange(port, get('/', `X-Big: ${'a'.repeat(1100)}\r\n`)), 431, 'complete head');
      // a head that never ends is cut off once it passes the limit, not buffered further
      const endless = await exchange(port, ['GET / HTTP/1.1\r\nHost: x\r\n', ...Array.from({ length: 12 }, () => `X-Pad: ${'b'.repeat(120)}\r\n`)], { gapMs: 2 });
      assertRejected(endless, 431, 'incomplete head');
      // just under the limit is fine
      const fits = get('/fits', 'Connection: close\r\n');
      const padded = get('/fits', `Connection: close\r\nX-Pad: ${'c'.repeat(1024 - fits.length - 9)}\r\n`);
      assert.equal(padded.length, 1024);
      const r = await exchange(port, padded);
      assert.equal(r.responses[0]?.status, 200);
      assert.equal(called, 1);
    },
  );
});

test('431 when there are more header fields than maxHeaderCount', async () => {
  await withEngine(ok, { maxHeaderCount: 10 }, async ({ port }) => {
    const fields = (n: number): string => Array.from({ length: n }, (_, i) => `X-F${i}: v\r\n`).join('');
    assertRejected(await exchange(port, get('/', fields(10))), 431, '11 fields');
    const r = await exchange(port, get('/', fields(8) + 'Connection: close\r\n'));
    assert.equal(r.responses[0]?.status, 200, '10 fields are fine');
  });
});

test('414 when the request target is longer than maxUriLength, also before the line is complete', async () => {
  await withEngine(ok, { maxUriLength: 100 }, async ({ port }) => {
    assertRejected(await exchange(port, get(`/${'a'.repeat(100)}`)), 414, 'complete line');
    const slow = await exchange(port, ['GET /', ...Array.from({ length: 10 }, () => 'b'.repeat(50))], { gapMs: 2 });
    assertRejected(slow, 414, 'incomplete line');
    const r = await exchange(port, get(`/${'a'.repeat(99)}`, 'Connection: close\r\n'));
    assert.equal(r.responses[0]?.status, 200);
  });
});

test('413 when Content-Length is over maxBodySize; the client still gets the answer while sending', async () => {
  let called = 0;
  await withEngine(
    (_req, res) => {
      called++;
      res.end();
    },
    { maxBodySize: 64 * 1024 },
    async ({ port }) => {
      const body = Buffer.alloc(512 * 1024, 'z');
      const result = await exchange(port, [`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`, body], { gapMs: 5 });
      assertRejected(result, 413, 'large body');
      assert.equal(called, 0);
    },
  );
});

test('maxRequestsPerConnection: the last allowed response announces the close, later requests are not read', async () => {
  const seen: string[] = [];
  await withEngine(
    async (req, res) => {
      seen.push(req.path);
      const body = await req.body.text();
      res.end(`${req.path}${body}`);
    },
    { maxRequestsPerConnection: 3 },
    async ({ port }) => {
      const pipelined = await exchange(port, get('/1') + get('/2') + `POST /3 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n+body` + get('/4') + get('/5'));
      assert.deepEqual(pipelined.responses.map((r) => r.text), ['/1', '/2', '/3+body']);
      assert.deepEqual(pipelined.responses.map((r) => r.headers.connection), [undefined, undefined, 'close']);
      assert.ok(pipelined.closed);
      assert.deepEqual(seen, ['/1', '/2', '/3']);

      // sequentially on one keep-alive connection
      const c = await RawClient.connect(port);
      try {
        for (let i = 1; i <= 3; i++) {
          await c.write(get(`/s${i}`));
          await c.responses(i);
        }
        const rs = c.parsed();
        assert.deepEqual(rs.map((r) => r.headers.connection), [undefined, undefined, 'close']);
        assert.ok(await c.waitClosed());
      } finally {
        c.destroy();
      }
    },
  );
});

test('maxConnections: a connection over the limit gets 503 and is closed; a slot frees when one closes', async () => {
  await withEngine(ok, { maxConnections: 2 }, async ({ port, server }) => {
    const count = (): number => server.connectionCount;
    const a = await RawClient.connect(port);
    const b = await RawClient.connect(port);
    try {
      await a.write(get('/a'));
      await b.write(get('/b'));
      await a.responses(1);
      await b.responses(1);
      assert.equal(count(), 2);
      const third = await exchange(port, get('/c'));
      assertRejected(third, 503, 'third connection');
      assert.equal(count(), 2);
      // the two accepted connections keep working
      await a.write(get('/a2'));
      assert.equal((await a.responses(2))[1]!.text, '/a2');
      a.destroy();
      for (let i = 0; i < 50 && count() !== 1; i++) await delay(10);
      assert.equal(count(), 1);
      const fourth = await exchange(port, get('/d', 'Connection: close\r\n'));
      assert.equal(fourth.responses[0]?.status, 200);
      assert.equal(fourth.responses[0]?.text, '/d');
      // the rejected connection was released when its client left: close() need not wait for it
      b.destroy();
      const t0 = Date.now();
      await server.close({ timeout: 2000 });
      assert.ok(Date.now() - t0 < 500, `close() took ${Date.now() - t0} ms`);
    } finally {
      a.destroy();
      b.destroy();
    }
  });
});
