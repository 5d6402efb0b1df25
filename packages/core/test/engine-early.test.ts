/**
 * Engine regressions from real use (issue 11, "Engine"): input that used to hold a connection
 * open or wait for the header timeout is refused as soon as the bytes allow; timeouts fire at
 * their configured time, never early; the engine's own refusals carry the configured headers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RawClient, delay, exchange, withEngine } from './engine-helpers.js';

const get = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;
const echo = (req: { path: string }, res: { end(b: string): void }): void => res.end(req.path);

test('a connection sending only empty lines is closed by the header timeout, counted from its first byte', async () => {
  await withEngine(echo, { headersTimeout: 300, keepAliveTimeout: 5000 }, async ({ port, server }) => {
    const clients = await Promise.all(Array.from({ length: 5 }, () => RawClient.connect(port)));
    const started = Date.now();
    // one empty line every 50 ms: never idle for long, never a request
    const timer = setInterval(() => {
      for (const c of clients) if (!c.socket.destroyed && !c.ended) c.socket.write('\r\n');
    }, 50);
    try {
      for (const c of clients) assert.ok(await c.waitClosed(3000), 'closed');
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 250 && elapsed < 2500, `closed after ${elapsed} ms`);
      for (const c of clients) {
        const rs = c.parsed();
        assert.equal(rs.length, 1);
        assert.ok(rs[0]!.status === 408 || rs[0]!.status === 400, `status ${rs[0]!.status}`);
      }
    } finally {
      clearInterval(timer);
      for (const c of clients) c.destroy();
    }
    for (let i = 0; i < 100 && server.connectionCount > 0; i++) await delay(10);
    assert.equal(server.connectionCount, 0);
  });
});

test('empty lines after a response also start the header timer', async () => {
  await withEngine(echo, { headersTimeout: 300, keepAliveTimeout: 60_000 }, async ({ port }) => {
    const c = await RawClient.connect(port);
    try {
      await c.write(get('/a'));
      await c.responses(1);
      const started = Date.now();
      const timer = setInterval(() => !c.socket.destroyed && !c.ended && c.socket.write('\r\n'), 50);
      try {
        assert.ok(await c.waitClosed(3000), 'closed');
      } finally {
        clearInterval(timer);
      }
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 250 && elapsed < 2500, `closed after ${elapsed} ms`);
      assert.deepEqual(c.parsed().map((r) => r.status), [200, 408]);
    } finally {
      c.destroy();
    }
  });
});

test('the number of empty lines between messages is bounded: past it, 400 and close', async () => {
  await withEngine(echo, {}, async ({ port }) => {
    const { responses, closed } = await exchange(port, get('/a') + '\r\n'.repeat(100) + get('/b'), { waitMs: 3000 });
    assert.deepEqual(responses.map((r) => r.status), [200, 400]);
    assert.ok(closed);
    // a few are tolerated (RFC 9112 §2.2)
    const ok = await exchange(port, '\r\n\r\n' + get('/a') + '\r\n\r\n' + get('/b', 'Connection: close\r\n'), { waitMs: 3000 });
    assert.deepEqual(ok.responses.map((r) => r.text), ['/a', '/b']);
  });
});

test('an invalid request line is refused as soon as it ends, without waiting for the head', async () => {
  const cases: Array<[string, string, number]> = [
    ['unsupported version', 'GET / HTTP/5.6\r\n', 505],
    ['request line ended by a bare LF', 'GET / HTTP/1.1\nHost: x\n', 400],
    ['request line ended by a bare CR', 'GET / HTTP/1.1\rHost: x', 400],
    ['bad method', 'G(T / HTTP/1.1\r\n', 400],
    ['no version', 'GET /\r\n', 400],
  ];
  await withEngine(echo, { headersTimeout: 20_000, keepAliveTimeout: 20_000 }, async ({ port }) => {
    for (const [name, raw, status] of cases) {
      const started = Date.now();
      const { responses, closed } = await exchange(port, raw, { waitMs: 3000 });
      assert.deepEqual(responses.map((r) => r.status), [status], name);
      assert.ok(closed, `${name}: closed`);
      assert.ok(Date.now() - started < 2500, `${name}: answered at once`);
    }
    // a valid request line with an incomplete head still waits for the rest
    const { responses } = await exchange(port, ['GET / HTTP/1.1\r\n', 'Host: x\r\n\r\n'], { gapMs: 100, until: (c) => c.parsed().length > 0 });
    assert.deepEqual(responses.map((r) => r.status), [200]);
  });
});

test('a target longer than maxUriLength gets 414 even when it is also longer than maxHeaderSize', async () => {
  await withEngine(echo, { maxUriLength: 100, maxHeaderSize: 300 }, async ({ port }) => {
    const long = '/' + 'a'.repeat(400);
    // whole head at once
    let r = await exchange(port, get(long), { waitMs: 3000 });
    assert.deepEqual(r.responses.map((x) => x.status), [414]);
    // the line still arriving
    r = await exchange(port, `GET ${long}`, { waitMs: 3000 });
    assert.deepEqual(r.responses.map((x) => x.status), [414]);
    // a long header block with a short target is still 431
    r = await exchange(port, get('/', `X-Big: ${'b'.repeat(400)}\r\n`), { waitMs: 3000 });
    assert.deepEqual(r.responses.map((x) => x.status), [431]);
  });
});

test('a chunked body found malformed after its response was sent closes the connection at once', async () => {
  await withEngine(
    (_req, res) => res.end('early'),
    { keepAliveTimeout: 20_000 },
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n');
        const rs = await c.responses(1);
        assert.equal(rs[0]!.text, 'early');
        await delay(50);
        const sent = Date.now();
        await c.write('zz\r\n');
        assert.ok(await c.waitClosed(3000), 'closed');
        assert.ok(Date.now() - sent < 2500);
        assert.equal(c.parsed().length, 1, 'nothing more is sent');
      } finally {
        c.destroy();
      }
    },
  );
});

test('keepAliveTimeout never closes early', async () => {
  const TIMEOUT = 600;
  await withEngine(echo, { keepAliveTimeout: TIMEOUT, headersTimeout: 10_000 }, async ({ port }) => {
    // several connections answered at different moments, so the sweep meets them at every phase
    const idles = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        await delay(i * 37);
        const c = await RawClient.connect(port);
        try {
          await c.write(get('/'));
          await c.responses(1);
          const answered = Date.now();
          assert.ok(await c.waitClosed(5000), 'closed');
          return Date.now() - answered;
        } finally {
          c.destroy();
        }
      }),
    );
    for (const idle of idles) assert.ok(idle >= TIMEOUT - 5 && idle < TIMEOUT + 2000, `closed after ${idle} ms idle: ${idles.join(', ')}`);
  });
});

test('refusalHeaders decorate the engine\'s own answers, and only those', async () => {
  await withEngine(
    echo,
    { refusalHeaders: { 'Access-Control-Allow-Origin': '*', 'X-Served-By': 'edge-1' }, maxConnections: 1 },
    async ({ port, server }) => {
      const bad = await exchange(port, 'GET / HTTP/9.9\r\nHost: x\r\n\r\n', { waitMs: 3000 });
      assert.equal(bad.responses[0]!.status, 505);
      assert.equal(bad.responses[0]!.headers['access-control-allow-origin'], '*');
      assert.equal(bad.responses[0]!.headers['x-served-by'], 'edge-1');
      assert.equal(bad.responses[0]!.headers.connection, 'close');
      for (let i = 0; i < 200 && server.connectionCount > 0; i++) await delay(10);
      const held = await RawClient.connect(port);
      try {
        await held.write(get('/ok'));
        const [ok] = await held.responses(1);
        assert.equal(ok!.headers['x-served-by'], undefined, 'app answers are the app\'s');
        const over = await exchange(port, get('/'), { waitMs: 3000 });
        assert.equal(over.responses[0]!.status, 503);
        assert.equal(over.responses[0]!.headers['x-served-by'], 'edge-1');
      } finally {
        held.destroy();
      }
    },
  );
});

test('refusalHeaders are checked at start-up', async () => {
  const { EngineServer } = await import('../src/engine/server.js');
  assert.throws(() => new EngineServer(() => {}, { refusalHeaders: { 'X-A': 'a\r\nInjected: 1' } }), /refusalHeaders/);
  assert.throws(() => new EngineServer(() => {}, { refusalHeaders: { 'Bad Name': 'a' } }), /refusalHeaders/);
  assert.throws(() => new EngineServer(() => {}, { refusalHeaders: { 'Content-Length': '3' } }), /refusalHeaders/);
});
