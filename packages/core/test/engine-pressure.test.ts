/**
 * Connections under pressure (issue 13): the output budget stops pipelined dispatch, held-back
 * responses count against it, a client that stops reading is closed after the send timeout,
 * connections without a complete head make room at the connection limit, idle ones are culled
 * least recently used first above the soft limit, and the keep-alive timeout in force is
 * advertised and lowered under pressure. Real sockets on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Connection } from '../src/engine/connection.js';
import type { EngineRequest } from '../src/engine/engine-request.js';
import type { EngineResponse } from '../src/engine/engine-response.js';
import { RawClient, delay, exchange, parseResponseStream, withEngine, type Resp } from './engine-helpers.js';

const get = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;
/**
 * Reads from `c` (resuming it) until `count` responses have arrived, counting bytes rather than
 * parsing on every read (the responses here are megabytes) until at least `bytes` are in.
 */
async function readResponses(c: RawClient, count: number, bytes: number, ms: number): Promise<Resp[]> {
  c.socket.removeAllListeners('data');
  const parts: Buffer[] = [c.data];
  let got = c.data.length;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${got} of ${bytes} bytes arrived`)), ms);
    const check = (): void => {
      if (got < bytes) return;
      const joined = Buffer.concat(parts);
      parts.length = 0;
      parts.push(joined);
      if (parseResponseStream(joined, false).responses.length < count) return;
      clearTimeout(timer);
      resolve();
    };
    c.socket.on('data', (d: Buffer) => {
      parts.push(d);
      got += d.length;
      check();
    });
    c.socket.resume();
    check();
  });
  return parseResponseStream(Buffer.concat(parts), false).responses;
}

const until = async (cond: () => boolean, ms: number): Promise<boolean> => {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (cond()) return true;
    await delay(10);
  }
  return cond();
};

test('responses held back behind a slow one count against the output budget: no further request is dispatched', async () => {
  const SIZE = 256 * 1024;
  let calls = 0;
  let callsWhileSlow = 0;
  let maxUnsent = 0;
  let slowDone = false;
  await withEngine(
    async (req, res) => {
      calls++;
      if (req.path === '/slow') {
        await delay(400);
        callsWhileSlow = calls;
        slowDone = true;
        res.end('slow');
        return;
      }
      res.end(Buffer.alloc(SIZE, 'b'));
      if (!slowDone) maxUnsent = Math.max(maxUnsent, (res as unknown as { sink: Connection }).sink.unsentBytes());
    },
    { outputBudget: 512 * 1024 },
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write(get('/slow') + get('/big').repeat(30));
        const rs = await readResponses(c, 31, 30 * SIZE, 20_000);
        assert.equal(rs.length, 31);
        assert.equal(rs[0]!.text, 'slow');
        assert.ok(rs.slice(1).every((r) => r.body.length === SIZE), 'every large response whole, in order');
        assert.ok(callsWhileSlow <= 5, `${callsWhileSlow - 1} large responses were made while the first was pending`);
        assert.ok(maxUnsent <= 512 * 1024 + SIZE, `at most the budget and one response held (${maxUnsent})`);
      } finally {
        c.destroy();
      }
    },
  );
});

test('a client that pipelines and never reads gets no further requests dispatched past the budget, then all of them once it reads', async () => {
  const SIZE = 1024 * 1024;
  let calls = 0;
  await withEngine(
    (_req, res) => {
      calls++;
      res.end(Buffer.alloc(SIZE, 'x'));
    },
    { outputBudget: 1024 * 1024 },
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        c.socket.pause();
        await c.write(get('/big').repeat(30));
        await delay(800);
        // what the kernel's socket buffers take (a few MiB on loopback) plus the budget
        assert.ok(calls <= 12, `${calls} of 30 requests were answered into a client that reads nothing`);
        const rs = await readResponses(c, 30, 30 * SIZE, 30_000);
        assert.equal(rs.length, 30);
        assert.ok(rs.every((r) => r.body.length === SIZE));
        assert.equal(calls, 30);
      } finally {
        c.destroy();
      }
    },
  );
});

test('a client that stops reading is closed after sendTimeout; others are served meanwhile', async () => {
  let streams = 0;
  await withEngine(
    async (req, res) => {
      if (req.path !== '/stream') {
        res.end('ok');
        return;
      }
      streams++;
      const chunk = Buffer.alloc(64 * 1024, 's');
      while (!res.finished) if (!res.write(chunk)) await res.drained();
    },
    { sendTimeout: 400 },
    async ({ port, server }) => {
      const c = await RawClient.connect(port);
      try {
        c.socket.pause();
        await c.write(get('/stream'));
        assert.ok(await until(() => streams === 1, 2000));
        const ok = await exchange(port, get('/ok', 'Connection: close\r\n'));
        assert.equal(ok.responses[0]!.text, 'ok');
        assert.ok(await until(() => server.stats.sendTimeouts === 1, 5000), 'closed by the send timeout');
        assert.ok(await until(() => server.connectionCount === 0, 2000));
      } finally {
        c.destroy();
      }
    },
  );
});

test('at maxConnections, connections without a complete request head make room before anyone is refused', async () => {
  const { handler, release } = holding();
  await withEngine(
    handler,
    { maxConnections: 10, headersTimeout: 60_000, keepAliveTimeout: 60_000, pressure: false },
    async ({ port, server }) => {
      // ten connections that only ever send empty lines fill the limit
      const idle = await Promise.all(Array.from({ length: 10 }, () => RawClient.connect(port)));
      for (const c of idle) await c.write('\r\n');
      assert.ok(await until(() => server.connectionCount === 10, 2000));
      // a real client still gets in (the oldest of them is cut)
      const ok = await exchange(port, get('/ok', 'Connection: close\r\n'), { waitMs: 3000 });
      assert.deepEqual(ok.responses.map((r) => r.text), ['/ok']);
      assert.ok(server.stats.culled >= 1);
      assert.equal(server.stats.refused, 0);
      assert.ok(idle[0]!.closed || (await idle[0]!.waitClosed(2000)), 'the oldest headless connection went first');
      for (const c of idle) c.destroy();
      assert.ok(await until(() => server.connectionCount === 0, 2000));
      // busy connections are never culled: with ten requests in flight the next one is refused
      await withHeldRequests(port, 10, release, async () => {
        assert.ok(await until(() => server.connectionCount === 10, 2000));
        await delay(50);
        const over = await exchange(port, get('/ok'), { waitMs: 3000 });
        assert.equal(over.responses[0]!.status, 503);
        assert.equal(server.stats.refused, 1);
      });
    },
  );
});

test('above the soft limit idle keep-alive connections are culled least recently used first, and the keep-alive timeout shrinks', async () => {
  await withEngine(
    (req, res) => res.end(req.path),
    { maxConnections: 20, keepAliveTimeout: 60_000, headersTimeout: 60_000, pressure: { softConnections: 0.5, minKeepAliveTimeout: 1000 } },
    async ({ port, server }) => {
      const first = await exchange(port, get('/first'), { until: (c) => c.parsed().length === 1 });
      assert.match(first.responses[0]!.headers['keep-alive'] ?? '', /^timeout=60$/, 'the timeout in force is advertised');
      const clients: RawClient[] = [];
      try {
        for (let i = 0; i < 15; i++) {
          const c = await RawClient.connect(port);
          await c.write(get(`/${i}`));
          await c.responses(1);
          clients.push(c);
          await delay(5);
        }
        assert.ok(await until(() => clients.filter((c) => c.ended || c.closed).length >= 5, 3000), 'down to the soft limit');
        await delay(100);
        const closed = clients.map((c, i) => (c.ended || c.closed ? i : -1)).filter((i) => i >= 0);
        assert.ok(closed.length >= 5 && closed.length <= 7, `closed ${closed.join(',')}`);
        assert.deepEqual(closed.slice(0, 5), [0, 1, 2, 3, 4], 'least recently used first');
        assert.ok(server.stats.culled >= 5);
        assert.ok(server.stats.keepAliveTimeout < 60_000, `keep-alive in force ${server.stats.keepAliveTimeout}`);
        // a response now advertises the lowered timeout
        const last = clients[14]!;
        await last.write(get('/again'));
        const rs = await last.responses(2);
        const advertised = Number(/timeout=(\d+)/.exec(rs[1]!.headers['keep-alive'] ?? '')?.[1]);
        assert.ok(advertised < 60 && advertised >= 1, `advertised ${advertised}`);
      } finally {
        for (const c of clients) c.destroy();
      }
    },
  );
});

test('with pressure handling off no Keep-Alive header is sent and nothing is culled', async () => {
  await withEngine((req, res) => res.end(req.path), { pressure: false }, async ({ port, server }) => {
    const r = await exchange(port, get('/', 'Connection: close\r\n'));
    assert.equal(r.responses[0]!.headers['keep-alive'], undefined);
    assert.equal(server.stats.culled, 0);
  });
});

test('a response with a request in flight or output unsent is never culled', async () => {
  const { handler, release } = holding();
  await withEngine(
    handler,
    { maxConnections: 4, pressure: { softConnections: 0.25 } },
    async ({ port, server }) => {
      await withHeldRequests(port, 3, release, async (busy) => {
        await delay(700);
        assert.ok(busy.every((c) => !c.closed && !c.ended), 'busy connections stay');
        assert.equal(server.stats.culled, 0);
      });
    },
  );
});


test('heap pressure: idle connections inactive for minKeepAliveTimeout are culled, busy ones stay, the keep-alive timeout drops to its minimum', async () => {
  const { handler, release } = holding();
  await withEngine(
    handler,
    // any heap is above a ten-thousandth of its limit: the heap signal is on from the first sweep
    { keepAliveTimeout: 60_000, headersTimeout: 60_000, pressure: { heapRatio: 0.0001, minKeepAliveTimeout: 400 } },
    async ({ port, server }) => {
      const idle: RawClient[] = [];
      const busy = await RawClient.connect(port);
      try {
        for (let i = 0; i < 10; i++) {
          const c = await RawClient.connect(port);
          await c.write(get(`/${i}`));
          await c.responses(1);
          idle.push(c);
        }
        await busy.write(get('/hold'));
        assert.ok(await until(() => server.stats.culled >= 1, 3000), `culled ${server.stats.culled}`);
        assert.equal(server.stats.pressure, 1);
        assert.equal(server.stats.keepAliveTimeout, 400);
        // idle ones go (culled, or closed by the shortened keep-alive timeout); the busy one stays
        assert.ok(await until(() => idle.every((c) => c.ended || c.closed), 3000), 'every idle connection is closed');
        assert.ok(!busy.closed && !busy.ended, 'a connection with a request in flight is not culled');
        release();
        const [r] = await busy.responses(1);
        assert.equal(r!.text, '/hold');
        assert.equal(r!.headers['keep-alive'], 'timeout=1', 'the timeout in force is advertised (whole seconds, at least 1)');
      } finally {
        release();
        busy.destroy();
        for (const c of idle) c.destroy();
      }
    },
  );
});

/** An engine handler that answers every path with itself, '/hold' only once release() is called. */
function holding(): { handler: (req: EngineRequest, res: EngineResponse) => Promise<void>; release: () => void } {
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  const handler = async (req: EngineRequest, res: EngineResponse): Promise<void> => {
    if (req.path === '/hold') await held;
    res.end(req.path);
  };
  return { handler, release: () => release() };
}

/**
 * `n` connections, each with a '/hold' request in flight, while `check` runs; then they are
 * released and each must get its answer. Closed in any case.
 */
async function withHeldRequests(port: number, n: number, release: () => void, check: (busy: RawClient[]) => Promise<void>): Promise<void> {
  const busy = await Promise.all(Array.from({ length: n }, () => RawClient.connect(port)));
  try {
    for (const c of busy) await c.write(get('/hold'));
    await check(busy);
    release();
    for (const c of busy) assert.equal((await c.responses(1))[0]!.text, '/hold');
  } finally {
    release();
    for (const c of busy) c.destroy();
  }
}

/** Sends `n` requests on `c`, `batch` pipelined at a time; resolves with every response. */
async function requestsOn(c: RawClient, n: number, batch: number): Promise<Resp[]> {
  for (let sent = 0; sent < n; sent += batch) {
    const k = Math.min(batch, n - sent);
    await c.write(Array.from({ length: k }, (_, i) => get(`/r${sent + i}`)).join(''));
    await c.responses(sent + k, 5000);
  }
  return c.parsed();
}

test('adaptive max requests: under full pressure a connection is closed after 100 requests; without pressure it is not', async () => {
  // no pressure (the default thresholds are far above a test's heap and event loop)
  await withEngine((req, res) => res.end(req.path), { keepAliveTimeout: 60_000 }, async ({ port, server }) => {
    const c = await RawClient.connect(port);
    try {
      const rs = await requestsOn(c, 150, 25);
      assert.equal(rs.length, 150);
      assert.ok(rs.every((r) => r.headers.connection !== 'close'));
      assert.equal(server.stats.maxRequestsPerConnection, 0);
      assert.ok(!c.closed && !c.ended);
    } finally {
      c.destroy();
    }
  });
  // full pressure (the heap signal): 100 requests per connection, the 100th says close
  await withEngine(
    (req, res) => res.end(req.path),
    { keepAliveTimeout: 60_000, pressure: { heapRatio: 0.0001, minKeepAliveTimeout: 5000 } },
    async ({ port, server }) => {
      assert.ok(await until(() => server.stats.maxRequestsPerConnection === 100, 3000), `in force: ${server.stats.maxRequestsPerConnection}`);
      const c = await RawClient.connect(port);
      try {
        const rs = await requestsOn(c, 100, 25);
        assert.equal(rs.length, 100);
        assert.ok(rs.slice(0, 99).every((r) => r.headers.connection !== 'close'), 'the first 99 keep the connection');
        assert.equal(rs[99]!.headers.connection, 'close');
        assert.ok(await c.waitClosed(2000), 'closed after the 100th');
      } finally {
        c.destroy();
      }
    },
  );
  // a configured limit below the adaptive one stays in force
  await withEngine(
    (req, res) => res.end(req.path),
    { keepAliveTimeout: 60_000, maxRequestsPerConnection: 30, pressure: { heapRatio: 0.0001, minKeepAliveTimeout: 5000 } },
    async ({ port, server }) => {
      assert.ok(await until(() => server.stats.pressure === 1, 3000));
      assert.equal(server.stats.maxRequestsPerConnection, 30);
    },
  );
});

test('event-loop pressure: a busy loop raises the averaged utilization; idle connections go, an active one stays; the keep-alive timeout shrinks', async () => {
  await withEngine(
    (req, res) => res.end(req.path),
    { keepAliveTimeout: 60_000, headersTimeout: 60_000, pressure: { eventLoopUtilization: 0.05, minKeepAliveTimeout: 300 } },
    async ({ port, server }) => {
      const idle: RawClient[] = [];
      const active = await RawClient.connect(port);
      try {
        for (let i = 0; i < 6; i++) {
          const c = await RawClient.connect(port);
          await c.write(get(`/${i}`));
          await c.responses(1);
          idle.push(c);
        }
        assert.equal(server.stats.pressure, 0);
        // the event loop busy about 90% of the time for up to 4 s; the active client makes a
        // request between two busy stretches
        let answered = 0;
        for (const end = Date.now() + 4000; Date.now() < end && server.stats.culled < 3; ) {
          const spin = Date.now() + 150;
          while (Date.now() < spin) {
            // busy
          }
          await active.write(get('/active'));
          await active.responses(++answered, 5000);
        }
        assert.ok(server.stats.eventLoopUtilization > 0.05, `utilization ${server.stats.eventLoopUtilization}`);
        assert.ok(server.stats.pressure > 0 && server.stats.pressure < 1, `pressure ${server.stats.pressure}`);
        assert.ok(server.stats.culled >= 3, `culled ${server.stats.culled}`);
        assert.ok(idle.filter((c) => c.ended || c.closed).length >= 3);
        assert.ok(!active.closed && !active.ended, 'the active connection is not culled');
        assert.ok(server.stats.keepAliveTimeout < 60_000 && server.stats.keepAliveTimeout >= 300, `keep-alive ${server.stats.keepAliveTimeout}`);
        assert.ok(server.stats.maxRequestsPerConnection >= 100 && server.stats.maxRequestsPerConnection < 10_000);
      } finally {
        active.destroy();
        for (const c of idle) c.destroy();
      }
    },
  );
});
