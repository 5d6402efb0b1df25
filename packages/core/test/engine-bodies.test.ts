import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { test } from 'node:test';
import type { EngineRequest } from '../src/engine/engine-request.js';
import { HttpError } from '../src/http/errors.js';
import { RawClient, delay, exchange, withEngine } from './engine-helpers.js';

const post = (path: string, body: string | Buffer, extra = ''): Buffer =>
  Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\nHost: x\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`), Buffer.from(body)]);
const chunkedPost = (path: string, chunks: string[], extra = ''): string =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\n${extra}Transfer-Encoding: chunked\r\n\r\n` +
  chunks.map((c) => `${Buffer.byteLength(c).toString(16)}\r\n${c}\r\n`).join('') + '0\r\n\r\n';
const socketOf = (req: EngineRequest): Socket => (req as unknown as { socket: Socket }).socket;

/** Reads the body the way the path says and answers what it got. */
async function readers(req: EngineRequest, res: import('../src/engine/engine-response.js').EngineResponse): Promise<void> {
  switch (req.path) {
    case '/text':
      res.end(`text:${await req.body.text()}`);
      return;
    case '/json': {
      const value = await req.body.json<{ n: number; s: string }>();
      res.end(`json:${value.n + 1}:${value.s}`);
      return;
    }
    case '/bytes': {
      const b = await req.body.bytes();
      res.end(`bytes:${b.length}:${b.toString('hex')}`);
      return;
    }
    case '/stream': {
      const parts: Buffer[] = [];
      for await (const chunk of req.body.stream()) parts.push(chunk as Buffer);
      res.end(`stream:${Buffer.concat(parts).toString()}`);
      return;
    }
    case '/iterate': {
      let n = 0;
      let s = '';
      for await (const chunk of req.body) {
        n++;
        s += chunk.toString();
      }
      res.end(`iterate:${n > 0}:${s}`);
      return;
    }
  }
}

test('Content-Length and chunked bodies reach the handler through text, json, bytes, stream and iteration', async () => {
  await withEngine(readers, {}, async ({ port }) => {
    const utf8 = 'grüße, 世界';
    const c = await RawClient.connect(port);
    try {
      await c.write(Buffer.concat([
        post('/text', utf8),
        post('/json', JSON.stringify({ n: 41, s: utf8 }), 'Content-Type: application/json\r\n'),
        post('/bytes', Buffer.from([0, 1, 254, 255])),
        post('/stream', 'streamed'),
        post('/iterate', 'iterated'),
        Buffer.from(chunkedPost('/text', ['grü', 'ße'])),
        Buffer.from(chunkedPost('/json', ['{"n":', '1,"s":"', 'x"}'])),
        Buffer.from(chunkedPost('/stream', ['a', 'b', 'c'])),
        Buffer.from(chunkedPost('/iterate', [])),
      ]));
      const rs = await c.responses(9);
      assert.deepEqual(rs.map((r) => r.text), [
        `text:${utf8}`,
        `json:42:${utf8}`,
        'bytes:4:0001feff',
        'stream:streamed',
        'iterate:true:iterated',
        'text:grüße',
        'json:2:x',
        'stream:abc',
        'iterate:false:',
      ]);
    } finally {
      c.destroy();
    }
  });
});

test('a body is delivered with Connection: close, on HTTP/1.0, and split across reads', async () => {
  await withEngine(readers, {}, async ({ port }) => {
    const close = await exchange(port, post('/text', 'last words', 'Connection: close\r\n'));
    assert.equal(close.responses[0]?.text, 'text:last words');
    assert.equal(close.responses[0]?.headers.connection, 'close');
    assert.ok(close.closed);

    const http10 = await exchange(port, 'POST /text HTTP/1.0\r\nContent-Length: 7\r\n\r\nold one');
    assert.equal(http10.responses[0]?.text, 'text:old one');
    assert.ok(http10.closed);

    const split = await exchange(port, [
      post('/text', 'x'.repeat(100), 'Connection: close\r\n').subarray(0, 80),
      post('/text', 'x'.repeat(100), 'Connection: close\r\n').subarray(80),
    ], { gapMs: 20 });
    assert.equal(split.responses[0]?.text, `text:${'x'.repeat(100)}`);

    const chunkedClose = await exchange(port, [
      'POST /text HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab',
      'cd\r\n0\r\n\r\n',
    ], { gapMs: 20 });
    assert.equal(chunkedClose.responses[0]?.text, 'text:abcd');
  });
});

test('malformed JSON rejects json() with a 400 HttpError; uncaught it is answered 400', async () => {
  await withEngine(
    async (req, res) => {
      if (req.path === '/caught') {
        try {
          await req.body.json();
          res.end('parsed?');
        } catch (error) {
          assert.ok(error instanceof HttpError);
          res.statusCode = error.status;
          res.end(error.message);
        }
        return;
      }
      res.end(JSON.stringify(await req.body.json()));
    },
    {},
    async ({ port, errors }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write(Buffer.concat([post('/caught', '{"a":'), post('/uncaught', '{nope}'), post('/caught', ''), post('/ok', '[1]')]));
        const rs = await c.responses(4);
        assert.equal(rs[0]!.status, 400);
        assert.match(rs[0]!.text, /^Malformed JSON in request body/);
        assert.equal(rs[1]!.status, 400);
        assert.equal(rs[1]!.headers['content-type'], 'application/problem+json');
        assert.match(JSON.parse(rs[1]!.text).detail, /^Malformed JSON/);
        assert.equal(rs[2]!.status, 400);
        assert.match(rs[2]!.text, /empty/);
        assert.equal(rs[3]!.text, '[1]');
        assert.equal(errors.length, 0, 'client errors are not reported as server errors');
      } finally {
        c.destroy();
      }
    },
  );
});

test('bytes(limit) fails with 413 as soon as the limit is passed, without waiting for or buffering the rest', async () => {
  let rejectedAfter = -1;
  let received = 0;
  await withEngine(
    async (req, res) => {
      try {
        await req.body.bytes(1000);
        res.end('whole body?');
      } catch (error) {
        rejectedAfter = socketOf(req).bytesRead;
        assert.ok(error instanceof HttpError);
        res.statusCode = error.status;
        res.end('too big');
      }
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        // 2000 bytes in one chunk, then the rest of the body is withheld
        await c.write(`POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n${'a'.repeat(2000)}\r\n`);
        const [r] = await c.responses(1);
        assert.equal(r!.status, 413);
        assert.ok(rejectedAfter > 0 && rejectedAfter < 4000, `rejected after ${rejectedAfter} bytes`);
        // the rest of the (discarded) body, then the next request on the same connection
        await c.write(`3e8\r\n${'b'.repeat(1000)}\r\n0\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n`);
        const rs = await c.responses(2);
        assert.equal(rs[1]!.status, 200, 'the next request is read after the discarded body');
        assert.equal(rs[1]!.text, 'whole body?');
        received = rs.length;
      } finally {
        c.destroy();
      }
    },
  );
  assert.equal(received, 2);
});

test('a Content-Length over maxBodySize is answered 413 by the engine without calling the handler', async () => {
  let called = 0;
  await withEngine(
    (_req, res) => {
      called++;
      res.end();
    },
    { maxBodySize: 1000 },
    async ({ port }) => {
      const { responses, closed } = await exchange(port, [`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n`, 'x'.repeat(5000)], { gapMs: 10 });
      assert.equal(responses.length, 1);
      assert.equal(responses[0]!.status, 413);
      assert.equal(responses[0]!.headers.connection, 'close');
      assert.ok(closed);
      assert.equal(called, 0);
      const ok = await exchange(port, post('/', 'x'.repeat(1000), 'Connection: close\r\n'));
      assert.equal(ok.responses[0]?.status, 200, 'a body of exactly the limit is accepted');
    },
  );
});

test('a chunked body over maxBodySize fails the read with 413 (answered 413 when uncaught) and closes the connection', async () => {
  let chunksSeen = 0;
  await withEngine(
    async (req, res) => {
      for await (const chunk of req.body) chunksSeen += chunk.length;
      res.end('read it all?');
    },
    { maxBodySize: 1000 },
    async ({ port, errors }) => {
      const { responses, closed } = await exchange(port, [
        'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n',
        `258\r\n${'a'.repeat(600)}\r\n`,
        `258\r\n${'b'.repeat(600)}\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n`,
      ], { gapMs: 15 });
      assert.equal(responses.length, 1);
      assert.equal(responses[0]!.status, 413);
      assert.equal(responses[0]!.headers.connection, 'close');
      assert.ok(closed);
      assert.ok(chunksSeen <= 1000, `no more than the limit reached the handler (${chunksSeen})`);
      assert.equal(errors.length, 0);
    },
  );
});

test('backpressure: a handler that does not read a big body stops the socket until it reads', async () => {
  const SIZE = 8 * 1024 * 1024;
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let readBefore = -1;
  let maxBuffered = 0;
  let serverSocket: Socket | null = null;
  await withEngine(
    async (req, res) => {
      serverSocket = socketOf(req);
      await released;
      readBefore = serverSocket.bytesRead;
      const hash = createHash('sha256');
      let n = 0;
      for await (const chunk of req.body) {
        maxBuffered = Math.max(maxBuffered, (req.body as unknown as { buffered: number }).buffered);
        hash.update(chunk);
        n += chunk.length;
      }
      res.end(`${n}:${hash.digest('hex')}`);
    },
    { maxBodySize: 16 * 1024 * 1024 },
    async ({ port }) => {
      const body = Buffer.alloc(SIZE);
      for (let i = 0; i < SIZE; i += 4096) body.writeUInt32BE(i, i);
      const c = await RawClient.connect(port);
      try {
        let written = false;
        c.socket.write(`POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: ${SIZE}\r\n\r\n`);
        c.socket.write(body, () => (written = true));
        await delay(300);
        assert.equal(written, false, 'the client could not finish writing while the handler did not read');
        release();
        const [r] = await c.responses(1, 10_000);
        assert.equal(written, true);
        assert.ok(readBefore > 0 && readBefore < 1024 * 1024, `server read only ${readBefore} bytes before the handler read`);
        assert.ok(maxBuffered <= 256 * 1024, `body buffered at most ${maxBuffered} bytes`);
        assert.equal(r!.text, `${SIZE}:${createHash('sha256').update(body).digest('hex')}`);
      } finally {
        c.destroy();
      }
    },
  );
});

test('an unread body is discarded and the next pipelined request still works', async () => {
  const paths: string[] = [];
  await withEngine(
    async (req, res) => {
      paths.push(req.path);
      if (req.path === '/slow-ignore') await delay(20);
      res.end(`ok ${req.path}`);
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        const big = Buffer.alloc(300 * 1024, 'z');
        await c.write(Buffer.concat([
          post('/ignore', big),
          Buffer.from('GET /a HTTP/1.1\r\nHost: x\r\n\r\n'),
          post('/slow-ignore', big),
          Buffer.from(chunkedPost('/ignore-chunked', ['q'.repeat(100_000), 'r'.repeat(100_000)])),
          Buffer.from('GET /b HTTP/1.1\r\nHost: x\r\n\r\n'),
        ]));
        const rs = await c.responses(5, 5000);
        assert.deepEqual(rs.map((r) => r.text), ['ok /ignore', 'ok /a', 'ok /slow-ignore', 'ok /ignore-chunked', 'ok /b']);
        assert.deepEqual(paths, ['/ignore', '/a', '/slow-ignore', '/ignore-chunked', '/b']);
        assert.equal(c.ended, false);
      } finally {
        c.destroy();
      }
    },
  );
});

test('a client that disconnects mid-body fails the read with 400 and the server keeps serving', async () => {
  let failure: unknown = null;
  let done!: () => void;
  const failed = new Promise<void>((r) => (done = r));
  await withEngine(
    async (req, res) => {
      if (req.path === '/ok') {
        res.end('fine');
        return;
      }
      try {
        await req.body.text();
      } catch (error) {
        failure = error;
      }
      done();
      res.end();
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      await c.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly part');
      await delay(20);
      c.destroy();
      await Promise.race([failed, delay(2000)]);
      assert.ok(failure instanceof HttpError, 'the read failed');
      assert.equal(failure.status, 400);
      const { responses } = await exchange(port, 'GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      assert.equal(responses[0]?.text, 'fine');
    },
  );
});

// ---- Expect: 100-continue --------------------------------------------------------------------

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';

test('Expect: 100-continue: 100 is sent when the handler reads, then the body arrives', async () => {
  await withEngine(
    async (req, res) => {
      await delay(30); // no 100 before the handler asks
      res.end(`got ${await req.body.text()}`);
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write('POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n');
        await delay(15);
        assert.equal(c.data.length, 0, 'nothing is sent before the handler reads');
        await c.waitFor(() => c.data.length >= CONTINUE.length, 1000, '100 Continue');
        assert.equal(c.data.toString('latin1'), CONTINUE);
        await c.write('hello');
        const rs = await c.responses(1);
        assert.deepEqual(rs.map((r) => r.status), [100, 200]);
        assert.equal(rs[1]!.text, 'got hello');
        assert.equal(rs[1]!.headers.connection, undefined);
        // the connection is still usable
        await c.write('POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n');
        await c.waitFor(() => c.parsed().length === 3, 1000, 'second 100 Continue');
        await c.write('hi');
        const rs2 = await c.responses(2);
        assert.deepEqual(rs2.map((r) => r.status), [100, 200, 100, 200]);
        assert.equal(rs2[3]!.text, 'got hi');
      } finally {
        c.destroy();
      }
    },
  );
});

test('Expect: 100-continue: a handler that answers without reading sends no 100, announces the close and closes', async () => {
  await withEngine(
    (_req, res) => {
      res.statusCode = 401;
      res.end('no');
    },
    {},
    async ({ port }) => {
      const { responses, closed, raw } = await exchange(port, 'POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 100000\r\n\r\n');
      assert.ok(!raw.includes('100 Continue'));
      assert.equal(responses.length, 1);
      assert.equal(responses[0]!.status, 401);
      assert.equal(responses[0]!.text, 'no');
      assert.equal(responses[0]!.headers.connection, 'close', 'the client learns the connection will not be reused');
      assert.ok(closed);
    },
  );
});

test('Expect: 100-continue behind a slow pipelined request: the 100 waits for the earlier response', async () => {
  await withEngine(
    async (req, res) => {
      if (req.path === '/slow') {
        await delay(40);
        res.end('slow done');
        return;
      }
      res.end(`got ${await req.body.text()}`);
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\nPOST /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n');
        await c.waitFor(() => c.parsed().length === 2, 1000, 'slow response and 100');
        const rs = c.parsed();
        assert.deepEqual(rs.map((r) => r.status), [200, 100]);
        await c.write('abc');
        const all = await c.responses(2);
        assert.equal(all[2]!.text, 'got abc');
      } finally {
        c.destroy();
      }
    },
  );
});

test('Expect: 100-continue with the body already sent: no 100 is needed, the body is read', async () => {
  await withEngine(
    async (req, res) => {
      await delay(20);
      res.end(`got ${await req.body.text()}`);
    },
    {},
    async ({ port }) => {
      const { responses } = await exchange(port, 'POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\nConnection: close\r\n\r\nxyz');
      assert.deepEqual(responses.map((r) => r.status), [200]);
      assert.equal(responses[0]!.text, 'got xyz');
    },
  );
});

test('a handler that reads part of a body and answers: the rest is discarded, the connection reused', async () => {
  await withEngine(
    async (req, res) => {
      if (req.method === 'GET') {
        res.end(`get ${req.path}`);
        return;
      }
      for await (const chunk of req.body) {
        res.end(`first chunk ${chunk.length > 0}`);
        break;
      }
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write(`POST /cl HTTP/1.1\r\nHost: x\r\nContent-Length: 400000\r\n\r\n${'a'.repeat(1000)}`);
        const [r] = await c.responses(1);
        assert.equal(r!.text, 'first chunk true');
        await c.write('b'.repeat(399_000) + chunkedPost('/ch', ['x'.repeat(70_000), 'y'.repeat(70_000), 'z']) + 'GET /next HTTP/1.1\r\nHost: x\r\n\r\n');
        const rs = await c.responses(3, 5000);
        assert.deepEqual(rs.map((x) => x.text), ['first chunk true', 'first chunk true', 'get /next']);
      } finally {
        c.destroy();
      }
    },
  );
});

test('a request that times out while its body is still arriving gets 503, its reader fails, the connection closes', async () => {
  let readError: unknown = null;
  await withEngine(
    async (req) => {
      try {
        await req.body.text();
      } catch (error) {
        readError = error;
      }
    },
    { requestTimeout: 200 },
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nsome');
        const trickle = setInterval(() => {
          if (!c.socket.destroyed && !c.ended) c.socket.write('x'.repeat(100));
        }, 20);
        try {
          await c.waitFor(() => c.ended || c.closed, 3000, 'close');
        } finally {
          clearInterval(trickle);
        }
        const rs = c.parsed();
        assert.equal(rs.length, 1);
        assert.equal(rs[0]!.status, 503);
        assert.equal(rs[0]!.headers.connection, 'close');
        await delay(10);
        assert.ok(readError instanceof HttpError);
        assert.equal(readError.status, 503);
      } finally {
        c.destroy();
      }
    },
  );
});
