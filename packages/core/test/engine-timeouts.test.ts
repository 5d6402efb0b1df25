import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RawClient, delay, exchange, withEngine } from './engine-helpers.js';

const get = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;

test('slowloris: a head trickling in byte by byte gets 408 after headersTimeout and is closed', async () => {
  let called = 0;
  await withEngine(
    (_req, res) => {
      called++;
      res.end();
    },
    { headersTimeout: 300, keepAliveTimeout: 5000 },
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        const started = Date.now();
        const head = 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(200);
        // one byte every 20 ms: the connection is never idle, but the head never completes
        let i = 0;
        const trickle = setInterval(() => {
          if (c.socket.destroyed || c.ended || i >= head.length) return clearInterval(trickle);
          c.socket.write(head[i++]!);
        }, 20);
        try {
          await c.waitFor(() => c.ended || c.closed, 3000, '408 and close');
        } finally {
          clearInterval(trickle);
        }
        const elapsed = Date.now() - started;
        const rs = c.parsed();
        assert.equal(rs.length, 1);
        assert.equal(rs[0]!.status, 408);
        assert.equal(rs[0]!.headers.connection, 'close');
        assert.ok(elapsed >= 280 && elapsed < 1500, `408 after ${elapsed} ms`);
        assert.ok(i < head.length, 'the head was still incomplete');
        assert.equal(called, 0);
      } finally {
        c.destroy();
      }
    },
  );
});

test('headersTimeout also covers the next head on a keep-alive connection', async () => {
  await withEngine((req, res) => res.end(req.path), { headersTimeout: 200, keepAliveTimeout: 5000 }, async ({ port }) => {
    const started = Date.now();
    const { responses, closed } = await exchange(port, get('/first') + 'GET /second HTTP/1.1\r\nHost:', { waitMs: 2000 });
    const elapsed = Date.now() - started;
    assert.deepEqual(responses.map((r) => r.status), [200, 408]);
    assert.ok(closed);
    assert.ok(elapsed >= 180 && elapsed < 1500, `408 after ${elapsed} ms`);
  });
});

test('an idle keep-alive connection is closed silently after keepAliveTimeout', async () => {
  await withEngine((req, res) => res.end(req.path), { keepAliveTimeout: 250 }, async ({ port, server }) => {
    const c = await RawClient.connect(port);
    try {
      await c.write(get('/'));
      await c.responses(1);
      const answered = Date.now();
      assert.ok(await c.waitClosed(3000), 'closed');
      const idle = Date.now() - answered;
      assert.ok(idle >= 200 && idle < 1500, `closed after ${idle} ms idle`);
      assert.equal(c.parsed().length, 1, 'no bytes besides the response');
      assert.equal(c.data.toString('latin1').split('HTTP/1.1').length - 1, 1);
    } finally {
      c.destroy();
    }
    // a connection that never sends anything is closed the same way, without a 408
    const silent = await RawClient.connect(port);
    try {
      assert.ok(await silent.waitClosed(3000));
      assert.equal(silent.data.length, 0);
    } finally {
      silent.destroy();
    }
    for (let i = 0; i < 50 && server.connectionCount > 0; i++) await delay(10);
    assert.equal(server.connectionCount, 0);
  });
});

test('the keep-alive idle time counts from the response, not from the request', async () => {
  await withEngine(
    async (req, res) => {
      if (req.path === '/slow') await delay(450);
      res.end(req.path);
    },
    { keepAliveTimeout: 250 },
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write(get('/slow'));
        await c.responses(1, 3000);
        await delay(100); // well within the idle allowance after the response
        assert.equal(c.ended || c.closed, false, 'still open 100 ms after a response that took longer than the idle timeout');
        await c.write(get('/next'));
        const rs = await c.responses(2);
        assert.equal(rs[1]!.text, '/next');
      } finally {
        c.destroy();
      }
    },
  );
});

test('requestTimeout does not cut a response whose head is already sent', async () => {
  await withEngine(
    async (_req, res) => {
      res.write('start,');
      await delay(350);
      res.end('end');
    },
    { requestTimeout: 150 },
    async ({ port, errors }) => {
      const { responses } = await exchange(port, get('/', 'Connection: close\r\n'), { waitMs: 3000 });
      assert.equal(responses.length, 1);
      assert.equal(responses[0]!.status, 200);
      assert.equal(responses[0]!.text, 'start,end');
      assert.equal(errors.length, 0);
    },
  );
});

test('requestTimeout: a never-answering handler behind pipelined requests times out in its turn', async () => {
  const seen: string[] = [];
  await withEngine(
    async (req, res) => {
      seen.push(req.path);
      if (req.path === '/hang') return;
      await delay(20);
      res.end(req.path);
    },
    { requestTimeout: 200 },
    async ({ port }) => {
      const { responses, closed } = await exchange(port, get('/a') + get('/hang') + get('/b'), { waitMs: 3000 });
      assert.deepEqual(responses.map((r) => r.status), [200, 503]);
      assert.equal(responses[0]!.text, '/a');
      assert.equal(responses[1]!.headers.connection, 'close');
      assert.ok(closed);
      assert.deepEqual(seen, ['/a', '/hang', '/b']);
    },
  );
});

test('after an error answer the server lingers for the peer to close, but a peer that keeps sending is cut off', async () => {
  await withEngine((req, res) => res.end(req.path), { keepAliveTimeout: 300, headersTimeout: 5000 }, async ({ port, server }) => {
    const c = await RawClient.connect(port, 2000, true);
    try {
      await c.write('BAD REQUEST LINE\r\n\r\n');
      await c.waitFor(() => c.ended, 1000, 'the 400 and the end of the response stream');
      assert.equal(c.parsed()[0]!.status, 400);
      const t0 = Date.now();
      // keep sending junk: it is read and dropped, but must not keep the connection forever
      const trickle = setInterval(() => {
        if (!c.socket.destroyed && c.socket.writable) c.socket.write('junk');
      }, 25);
      try {
        await c.waitFor(() => c.closed || c.error !== null, 3000, 'the server to cut the connection');
      } finally {
        clearInterval(trickle);
      }
      const ms = Date.now() - t0;
      assert.ok(ms < 1500, `cut off after ${ms} ms`);
      for (let i = 0; i < 50 && server.connectionCount > 0; i++) await delay(10);
      assert.equal(server.connectionCount, 0);
    } finally {
      c.destroy();
    }
  });
});
