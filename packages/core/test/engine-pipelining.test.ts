import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { test } from 'node:test';
import type { EngineRequest } from '../src/engine/engine-request.js';
import type { EngineResponse } from '../src/engine/engine-response.js';
import type { Connection } from '../src/engine/connection.js';
import { RawClient, delay, parseResponseStream, withEngine, type Resp } from './engine-helpers.js';

/** Output the connection holds back for `res` until its turn (white box: the response's sink). */
const heldBytes = (res: EngineResponse): number => (res as unknown as { sink: Connection }).sink.heldBytes(res);

const get = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;

/** The server-side socket of a request (test-only peek at a private field). */
const socketOf = (req: EngineRequest): Socket => (req as unknown as { socket: Socket }).socket;

test('pipelined requests from one read are answered strictly in order when handlers finish out of order', async () => {
  const finished: string[] = [];
  await withEngine(
    async (req, res) => {
      const wait = Number(new URLSearchParams(req.query).get('wait') ?? 0);
      if (wait > 0) await delay(wait);
      finished.push(req.path);
      res.end(`body of ${req.path}`);
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write(get('/a?wait=60') + get('/b') + get('/c?wait=20') + get('/d'));
        const rs = await c.responses(4);
        assert.deepEqual(finished, ['/b', '/d', '/c', '/a'], 'handlers really finished out of order');
        assert.deepEqual(rs.map((r) => r.text), ['body of /a', 'body of /b', 'body of /c', 'body of /d']);
        for (const r of rs) {
          assert.equal(r.status, 200);
          assert.equal(r.headers.connection, undefined, 'keep-alive responses carry no Connection header');
        }
        // nothing after the four responses, and the connection stays open
        const raw = c.data.toString('latin1');
        assert.ok(raw.endsWith('body of /d'));
        assert.equal(c.ended, false);
      } finally {
        c.destroy();
      }
    },
  );
});

test('a batch of pipelined responses is written with one socket write', async () => {
  let writes = 0;
  let spied: Socket | null = null;
  await withEngine(
    async (req, res) => {
      if (spied === null) {
        spied = socketOf(req);
        const original = spied.write;
        spied.write = function (this: Socket, ...args: unknown[]) {
          writes++;
          return (original as (...a: unknown[]) => boolean).apply(this, args);
        } as Socket['write'];
      }
      if (req.path === '/slow') await delay(30);
      res.end(`r${req.path}`);
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        // synchronous handlers: all three answered within the read, flushed once
        await c.write(get('/1') + get('/2') + get('/3'));
        await c.responses(3);
        assert.equal(writes, 1, 'three synchronous answers in one write');
        // first handler slow: the two finished answers wait for it, then all go out in one write
        writes = 0;
        await c.write(get('/slow') + get('/5') + get('/6'));
        const rs = await c.responses(6);
        assert.deepEqual(rs.slice(3).map((r) => r.text), ['r/slow', 'r/5', 'r/6']);
        assert.equal(writes, 1, 'held-back answers are written together with the one they waited for');
      } finally {
        c.destroy();
      }
    },
  );
});

test('a deep pipeline (more than the in-flight limit) is answered completely and in order', async () => {
  const N = 150;
  let maxInFlight = 0;
  let inFlight = 0;
  await withEngine(
    async (req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const i = Number(req.path.slice(1));
      if (i % 7 === 0) await delay(i % 3);
      else if (i % 2 === 0) await Promise.resolve();
      inFlight--;
      res.end(String(i));
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        let batch = '';
        for (let i = 0; i < N; i++) batch += get(`/${i}`);
        await c.write(batch);
        const rs = await c.responses(N, 5000);
        assert.equal(rs.length, N);
        assert.deepEqual(rs.map((r) => Number(r.text)), Array.from({ length: N }, (_, i) => i));
        assert.ok(maxInFlight <= 32, `at most 32 requests in flight per connection (saw ${maxInFlight})`);
        // the connection still works afterwards
        await c.write(get('/999'));
        const more = await c.responses(N + 1);
        assert.equal(more[N]!.text, '999');
      } finally {
        c.destroy();
      }
    },
  );
});

test('pipelined requests with bodies and a streamed response keep their order and framing', async () => {
  await withEngine(
    async (req, res) => {
      if (req.method === 'POST') {
        const text = await req.body.text();
        await delay(text.length % 5);
        res.end(`echo:${text}`);
      } else if (req.path === '/stream') {
        await delay(10);
        res.write('part1,');
        await delay(5);
        res.write('part2');
        res.end();
      } else {
        res.end('plain');
      }
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        const post = (body: string): string => `POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
        const chunked = 'POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n';
        await c.write(post('hello') + get('/stream') + chunked + get('/') + post('') + post('x'));
        const rs = await c.responses(6);
        assert.deepEqual(rs.map((r) => r.text), ['echo:hello', 'part1,part2', 'echo:abcde', 'plain', 'echo:', 'echo:x']);
        assert.equal(rs[1]!.framing, 'chunked');
        assert.equal(rs[0]!.framing, 'length');
      } finally {
        c.destroy();
      }
    },
  );
});

test('a handler error in the middle of a pipeline answers 500 in its place and the rest still succeed', async () => {
  await withEngine(
    async (req, res) => {
      if (req.path === '/boom') {
        await delay(5);
        throw new Error('boom');
      }
      if (req.path === '/sync-boom') throw new Error('sync boom');
      res.end(req.path);
    },
    {},
    async ({ port, errors }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write(get('/a') + get('/boom') + get('/b') + get('/sync-boom') + get('/c'));
        const rs = await c.responses(5);
        assert.deepEqual(rs.map((r) => r.status), [200, 500, 200, 500, 200]);
        assert.deepEqual([rs[0]!.text, rs[2]!.text, rs[4]!.text], ['/a', '/b', '/c']);
        assert.equal(errors.length, 2);
      } finally {
        c.destroy();
      }
    },
  );
});

test('a streamed response waiting behind a slow one is held with bounded buffering, then delivered in order', async () => {
  const CHUNK = 16 * 1024;
  const TOTAL = 2 * 1024 * 1024;
  let maxPending = 0;
  let writesWhileWaiting = 0;
  let firstDone = false;
  await withEngine(
    async (req, res) => {
      if (req.path === '/slow') {
        await delay(150);
        firstDone = true;
        res.end('slow');
        return;
      }
      if (req.path === '/after') {
        res.end();
        return;
      }
      const chunk = Buffer.alloc(CHUNK, 'p');
      for (let sent = 0; sent < TOTAL; sent += CHUNK) {
        const ok = res.write(chunk);
        if (!firstDone) writesWhileWaiting++;
        maxPending = Math.max(maxPending, heldBytes(res));
        if (!ok) await res.drained();
      }
      res.end();
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write(get('/slow') + get('/stream') + get('/after'));
        const rs = await c.responses(3, 5000);
        assert.equal(rs[0]!.text, 'slow');
        assert.equal(rs[1]!.body.length, TOTAL);
        assert.equal(rs[2]!.body.length, 0);
        assert.ok(writesWhileWaiting > 0 && writesWhileWaiting * CHUNK <= 128 * 1024, `${writesWhileWaiting} chunks were written while waiting`);
        assert.ok(maxPending <= 64 * 1024 + CHUNK * 4, `held back at most ${maxPending} bytes`);
      } finally {
        c.destroy();
      }
    },
  );
});

test('a client that half-closes after pipelining still gets every response, then the close', async () => {
  await withEngine(
    async (req, res) => {
      if (req.path === '/slow') await delay(30);
      res.end(req.path);
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        c.socket.end(get('/fast') + get('/slow') + get('/last'));
        await c.waitFor(() => c.ended || c.closed, 2000, 'close');
        const rs = c.parsed();
        // (the last head may have been written before the end of input was seen, so it need not
        // announce the close)
        assert.deepEqual(rs.map((r) => r.text), ['/fast', '/slow', '/last']);
      } finally {
        c.destroy();
      }
    },
  );
});

test('a client that disconnects while its handler runs: late writes are ignored and nothing breaks', async () => {
  let lateWrite: unknown = 'not run';
  await withEngine(
    async (req, res) => {
      if (req.path === '/ok') {
        res.end('ok');
        return;
      }
      await delay(60);
      try {
        res.setHeader('X-Late', '1');
        res.write('late');
        res.end('r');
        lateWrite = null;
      } catch (error) {
        lateWrite = error;
      }
    },
    {},
    async ({ port, errors, server }) => {
      const c = await RawClient.connect(port);
      await c.write(get('/gone'));
      await delay(15);
      c.destroy();
      await delay(100);
      assert.equal(lateWrite, null, 'writing to a response whose client left does not throw');
      assert.deepEqual(errors, []);
      assert.equal(server.connectionCount, 0);
      const c2 = await RawClient.connect(port);
      try {
        await c2.write(get('/ok'));
        assert.equal((await c2.responses(1))[0]!.text, 'ok');
      } finally {
        c2.destroy();
      }
    },
  );
});

test('a response waiting behind a long stream stays bounded while the stream drains many times', async () => {
  const CHUNK = 16 * 1024;
  const FIRST = 8 * 1024 * 1024;
  const SECOND = 1024 * 1024;
  let maxPending = 0;
  await withEngine(
    async (req, res) => {
      const total = req.path === '/first' ? FIRST : SECOND;
      const chunk = Buffer.alloc(CHUNK, req.path === '/first' ? 'f' : 's');
      for (let sent = 0; sent < total; sent += CHUNK) {
        const ok = res.write(chunk);
        if (req.path === '/second') maxPending = Math.max(maxPending, heldBytes(res));
        if (!ok) await res.drained();
      }
      res.end();
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write(get('/first') + get('/second'));
        c.socket.removeAllListeners('data');
        const parts: Buffer[] = [];
        let received = 0;
        const rs = await new Promise<Resp[]>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`only ${received} bytes arrived`)), 10_000);
          c.socket.on('data', (d: Buffer) => {
            parts.push(d);
            received += d.length;
            if (received < FIRST + SECOND || d.subarray(d.length - 5).toString('latin1') !== '0\r\n\r\n') return;
            const { responses } = parseResponseStream(Buffer.concat(parts), false);
            if (responses.length === 2) {
              clearTimeout(timer);
              resolve(responses);
            }
          });
        });
        assert.equal(rs[0]!.body.length, FIRST);
        assert.equal(rs[1]!.body.length, SECOND);
        assert.ok(rs[0]!.body.every((b) => b === 0x66) && rs[1]!.body.every((b) => b === 0x73), 'bodies not interleaved');
        assert.ok(maxPending <= 64 * 1024 + CHUNK * 4, `the waiting response held back at most ${maxPending} bytes`);
      } finally {
        c.destroy();
      }
    },
  );
});
