import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { EngineRequest } from '../src/engine/engine-request.js';
import { PreparedFields } from '../src/http/index.js';
import { RawClient, delay, exchange, withEngine } from './engine-helpers.js';

const get = (path: string, extra = '', method = 'GET'): string => `${method} ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;
const socketOf = (req: EngineRequest): Socket => (req as unknown as { socket: Socket }).socket;

test('end(body) sends Content-Length for strings (UTF-8 byte length), Buffers and typed arrays', async () => {
  await withEngine(
    (req, res) => {
      if (req.path === '/string') res.end('héllo wörld ✓');
      else if (req.path === '/buffer') res.end(Buffer.from([1, 2, 3]));
      else if (req.path === '/typed') res.end(new Uint8Array(new Uint8Array([9, 8, 7, 6, 5]).buffer, 1, 3));
      else if (req.path === '/empty') res.end();
      else if (req.path === '/user-length') {
        res.setHeader('Content-Length', '999');
        res.end('ab'); // the engine's length wins over a stale one
      }
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write(get('/string') + get('/buffer') + get('/typed') + get('/empty') + get('/user-length'));
        const rs = await c.responses(5);
        assert.equal(rs[0]!.headers['content-length'], String(Buffer.byteLength('héllo wörld ✓')));
        assert.equal(rs[0]!.text, 'héllo wörld ✓');
        assert.deepEqual([...rs[1]!.body], [1, 2, 3]);
        assert.deepEqual([...rs[2]!.body], [8, 7, 6]);
        assert.equal(rs[3]!.headers['content-length'], '0');
        assert.equal(rs[4]!.headers['content-length'], '2');
        assert.equal(rs[4]!.text, 'ab');
        for (const r of rs) {
          assert.equal(r.framing, 'length');
          assert.equal(r.fields.filter(([n]) => n.toLowerCase() === 'content-length').length, 1, 'exactly one Content-Length');
        }
      } finally {
        c.destroy();
      }
    },
  );
});

test('write() streams use chunked framing on HTTP/1.1 and close-delimited bodies on HTTP/1.0', async () => {
  const handler = async (_req: EngineRequest, res: import('../src/engine/engine-response.js').EngineResponse): Promise<void> => {
    res.setHeader('Content-Type', 'text/plain');
    res.write('one,');
    await delay(5);
    res.write(Buffer.from('two,'));
    res.write(''); // empty chunks must not end the chunked body early
    res.end('three');
  };
  await withEngine(handler, {}, async ({ port }) => {
    const c = await RawClient.connect(port);
    try {
      await c.write(get('/') + get('/'));
      const rs = await c.responses(2);
      for (const r of rs) {
        assert.equal(r.framing, 'chunked');
        assert.equal(r.headers['transfer-encoding'], 'chunked');
        assert.equal(r.headers['content-length'], undefined);
        assert.equal(r.text, 'one,two,three');
      }
    } finally {
      c.destroy();
    }
    const old = await exchange(port, 'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    assert.equal(old.responses.length, 1);
    assert.equal(old.responses[0]!.framing, 'close');
    assert.equal(old.responses[0]!.headers.connection, 'close');
    assert.equal(old.responses[0]!.headers['transfer-encoding'], undefined);
    assert.equal(old.responses[0]!.text, 'one,two,three');
    assert.ok(old.closed);
  });
});

test('send() streams a Readable and an async iterable', async () => {
  await withEngine(
    async (req, res) => {
      if (req.path === '/readable') await res.send(Readable.from(['a', 'b', 'c']));
      else await res.send((async function* () {
        yield 'x';
        await delay(2);
        yield new Uint8Array([121]);
      })());
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write(get('/readable') + get('/iterable'));
        const rs = await c.responses(2);
        assert.deepEqual(rs.map((r) => r.text), ['abc', 'xy']);
      } finally {
        c.destroy();
      }
    },
  );
});

test('HEAD gets the headers of GET, including its Content-Length, and no body', async () => {
  await withEngine(
    (req, res) => {
      res.setHeader('Content-Type', 'text/plain');
      if (req.path === '/stream') {
        res.write('streamed body');
        res.end();
      } else {
        res.end('the GET body');
      }
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      c.headIndexes.add(0);
      c.headIndexes.add(2);
      try {
        await c.write(get('/', '', 'HEAD') + get('/') + get('/stream', '', 'HEAD') + get('/'));
        const rs = await c.responses(4);
        assert.equal(rs[0]!.headers['content-length'], String('the GET body'.length));
        assert.equal(rs[0]!.body.length, 0);
        assert.equal(rs[1]!.text, 'the GET body');
        assert.equal(rs[2]!.headers['transfer-encoding'], 'chunked');
        assert.equal(rs[2]!.body.length, 0);
        assert.equal(rs[3]!.text, 'the GET body');
        // no stray bytes: the raw stream is exactly the four responses
        const raw = c.data.toString('latin1');
        assert.equal(raw.split('HTTP/1.1 200 OK').length - 1, 4);
        assert.ok(raw.endsWith('\r\n\r\nthe GET body'));
      } finally {
        c.destroy();
      }
    },
  );
});

test('204 and 304 responses carry no body even when the handler writes one', async () => {
  await withEngine(
    (req, res) => {
      res.statusCode = req.path === '/204' ? 204 : 304;
      if (req.query === 'write') {
        res.write('ignored');
        res.end();
      } else {
        res.end('ignored');
      }
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write(get('/204') + get('/304') + get('/204?write') + get('/304?write') + get('/204'));
        const rs = await c.responses(5);
        assert.deepEqual(rs.map((r) => r.status), [204, 304, 204, 304, 204]);
        for (const r of rs) {
          assert.equal(r.headers['content-length'], undefined);
          assert.equal(r.headers['transfer-encoding'], undefined);
        }
        assert.ok(!c.data.toString('latin1').includes('ignored'));
        assert.ok(c.data.toString('latin1').endsWith('\r\n\r\n'), 'no stray body bytes between responses');
      } finally {
        c.destroy();
      }
    },
  );
});

test('Connection: close is honoured and HTTP/1.0 closes unless keep-alive is asked for', async () => {
  let n = 0;
  await withEngine(
    (_req, res) => res.end(`n${++n}`),
    {},
    async ({ port }) => {
      const close = await exchange(port, get('/', 'Connection: close\r\n') + get('/never'));
      assert.equal(close.responses.length, 1);
      assert.equal(close.responses[0]!.headers.connection, 'close');
      assert.ok(close.closed);

      const old = await exchange(port, 'GET / HTTP/1.0\r\n\r\n');
      assert.equal(old.responses[0]!.headers.connection, 'close');
      assert.ok(old.closed);

      const c = await RawClient.connect(port);
      try {
        await c.write('GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
        const [r] = await c.responses(1);
        assert.equal(r!.headers.connection, 'keep-alive');
        await delay(20);
        assert.equal(c.ended, false, 'kept alive');
        await c.write('GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
        const rs = await c.responses(2);
        assert.equal(rs[1]!.headers.connection, 'keep-alive');
        await c.write('GET /c HTTP/1.0\r\n\r\n');
        const last = await c.responses(3);
        assert.equal(last[2]!.headers.connection, 'close');
        assert.ok(await c.waitClosed());
      } finally {
        c.destroy();
      }

    },
  );
});

test('a handler may close the connection with a Connection: close response header', async () => {
  await withEngine(
    (req, res) => {
      if (req.path === '/bye') res.setHeader('Connection', 'close');
      res.end(req.path);
    },
    {},
    async ({ port }) => {
      const { responses, closed } = await exchange(port, get('/hi') + get('/bye') + get('/never'));
      assert.deepEqual(responses.map((r) => r.text), ['/hi', '/bye']);
      assert.equal(responses[1]!.headers.connection, 'close');
      assert.equal(responses[1]!.fields.filter(([n]) => n.toLowerCase() === 'connection').length, 1);
      assert.ok(closed);
    },
  );
});

test('a response header value with CR or LF throws and nothing is split', async () => {
  const thrown: unknown[] = [];
  await withEngine(
    (req, res) => {
      for (const value of ['a\r\nSet-Cookie: evil=1', 'a\rb', 'a\nb', 'a\0b']) {
        try {
          res.setHeader('X-Value', value);
        } catch (error) {
          thrown.push(error);
        }
      }
      try {
        res.appendHeader('X-List', ['ok', 'bad\r\nX-Injected: 1']);
      } catch (error) {
        thrown.push(error);
      }
      try {
        res.setHeader('Bad Name', 'v');
      } catch (error) {
        thrown.push(error);
      }
      if (req.path === '/uncaught') res.setHeader('X-Evil', 'x\r\nX-Injected: 1');
      res.end('done');
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write(get('/') + get('/uncaught'));
        const rs = await c.responses(2);
        assert.equal(thrown.length, 12);
        for (const e of thrown) assert.ok(e instanceof TypeError);
        assert.equal(rs[0]!.status, 200);
        assert.equal(rs[0]!.headers['set-cookie'], undefined);
        assert.equal(rs[0]!.headers['x-injected'], undefined);
        assert.equal(rs[0]!.headers['x-value'], undefined);
        assert.equal(rs[1]!.status, 500);
        assert.equal(rs[1]!.headers['x-injected'], undefined);
        assert.ok(!c.data.toString('latin1').includes('X-Injected'));
      } finally {
        c.destroy();
      }
    },
  );
});

test('prepared fields: checked once, set on each response replacing earlier values, as setHeader would', async () => {
  assert.throws(() => new PreparedFields([['X-Ok', 'v'], ['X-Evil', 'a\r\nX-Injected: 1']]), TypeError);
  assert.throws(() => new PreparedFields([['Bad Name', 'v']]), /Invalid header name/);
  assert.throws(() => new PreparedFields([['X-List', ['ok', 'bad\nX-Injected: 1']]]), TypeError);
  const prepared = new PreparedFields([['X-Frame-Options', 'DENY'], ['X-Twice', 'first'], ['Link', ['</a>; rel=preload', '</b>; rel=preload']], ['X-Twice', 'second'], ['X-Title', 'café']]);
  assert.deepEqual(prepared.entries(), [['X-Frame-Options', 'DENY'], ['Link', '</a>; rel=preload'], ['Link', '</b>; rel=preload'], ['X-Twice', 'second'], ['X-Title', 'café']]);
  let late: unknown = null;
  await withEngine(
    (req, res) => {
      res.setHeader('x-frame-options', 'SAMEORIGIN');
      res.setHeader('X-Kept', 'yes');
      res.setFields(prepared);
      if (req.path === '/override') res.setHeader('X-Frame-Options', 'SAMEORIGIN');
      res.end('done');
      try {
        res.setFields(prepared);
      } catch (error) {
        late = error;
      }
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write(get('/') + get('/override'));
        const rs = await c.responses(2);
        assert.equal(rs[0]!.headers['x-frame-options'], 'DENY');
        assert.equal(rs[0]!.headers['x-kept'], 'yes');
        assert.equal(rs[0]!.headers['x-twice'], 'second');
        assert.equal(rs[0]!.headers['link'], '</a>; rel=preload, </b>; rel=preload');
        assert.equal(Buffer.from(rs[0]!.headers['x-title']!, 'latin1').toString('utf8'), 'café', 'a non-ASCII value is written as UTF-8');
        assert.equal(rs[1]!.headers['x-frame-options'], 'SAMEORIGIN');
        assert.match(String(late), /headers were already sent/);
      } finally {
        c.destroy();
      }
    },
  );
});

test('a throwing or rejecting handler gets a 500 problem document without a stack trace', async () => {
  await withEngine(
    async (req, res) => {
      res.setHeader('X-Partial', 'set before the error');
      res.setHeader('Content-Type', 'text/html');
      if (req.path === '/sync') throw new Error('secret sync detail');
      await delay(1);
      if (req.path === '/async') throw new Error('secret async detail');
      throw 'a string';
    },
    {},
    async ({ port, errors }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write(get('/sync') + get('/async') + get('/string'));
        const rs = await c.responses(3);
        for (const [i, r] of rs.entries()) {
          assert.equal(r.status, 500);
          assert.equal(r.headers['content-type'], 'application/problem+json', 'the fields of the failed representation are replaced');
          // the same answer as the app's (http/problem.ts): other fields stay, the path is the instance
          assert.equal(r.headers['x-partial'], 'set before the error');
          assert.deepEqual(JSON.parse(r.text), { type: 'about:blank', title: 'Internal Server Error', status: 500, instance: ['/sync', '/async', '/string'][i] });
          assert.ok(!r.text.includes('secret') && !r.text.includes('.ts:'));
        }
        assert.equal(errors.length, 3, 'each error is reported to onError');
        assert.equal(c.ended, false, 'the connection survives');
      } finally {
        c.destroy();
      }
    },
  );
});

test('development mode puts the stack trace into the 500 answer', async () => {
  await withEngine(
    async (req) => {
      if (req.path === '/sync') throw new Error('visible sync detail');
      await delay(1);
      throw new Error('visible async detail');
    },
    { development: true },
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write(get('/sync') + get('/async'));
        const rs = await c.responses(2);
        const details = rs.map((r) => JSON.parse(r.text).detail as string);
        assert.match(details[0]!, /^Error: visible sync detail\n\s+at /);
        assert.match(details[1]!, /^Error: visible async detail\n\s+at /);
        assert.ok(details[1]!.includes('engine-responses.test.ts'));
      } finally {
        c.destroy();
      }
    },
  );
});

test('an error after the head was sent aborts the connection instead of sending a second response', async () => {
  await withEngine(
    async (_req, res) => {
      res.write('partial');
      await delay(5);
      throw new Error('mid-stream');
    },
    {},
    async ({ port, errors }) => {
      const { raw, closed, responses } = await exchange(port, get('/'));
      assert.ok(closed);
      assert.equal(responses.length, 0, 'the chunked body is never completed');
      assert.ok(raw.includes('partial'));
      assert.ok(!raw.includes('500'));
      assert.equal(errors.length, 1);
    },
  );
});

test('a handler that never answers gets 503 after requestTimeout, and the connection closes', async () => {
  await withEngine(
    (req, res) => {
      if (req.path === '/fast') res.end('fast');
      // otherwise: never answers
    },
    { requestTimeout: 200 },
    async ({ port, errors }) => {
      const started = Date.now();
      const { responses, closed } = await exchange(port, get('/fast') + get('/hang') + get('/after'), { waitMs: 3000 });
      const elapsed = Date.now() - started;
      assert.deepEqual(responses.map((r) => r.status), [200, 503]);
      assert.equal(responses[1]!.headers.connection, 'close');
      assert.equal(JSON.parse(responses[1]!.text).status, 503);
      assert.ok(closed);
      assert.ok(elapsed >= 190 && elapsed < 1500, `503 after ${elapsed} ms`);
      assert.equal(errors.length, 1);
    },
  );
});

test('a streamed response respects drain with a slow reader: bounded buffering, complete delivery', async () => {
  const CHUNK = 64 * 1024;
  const TOTAL = 48 * 1024 * 1024;
  let written = 0;
  let maxQueued = 0;
  await withEngine(
    async (req, res) => {
      const socket = socketOf(req);
      const chunk = Buffer.alloc(CHUNK, 'x');
      while (written < TOTAL) {
        written += CHUNK;
        const ok = res.write(chunk);
        maxQueued = Math.max(maxQueued, socket.writableLength);
        if (!ok) await res.drained();
      }
      res.end();
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        c.socket.pause();
        await c.write(get('/'));
        await delay(300);
        const writtenWhilePaused = written;
        assert.ok(writtenWhilePaused < 24 * 1024 * 1024, `the handler was held back (wrote ${writtenWhilePaused} bytes while the client was paused)`);
        assert.ok(maxQueued <= 64 * 1024 + CHUNK + 16, `user-space queue stayed bounded (${maxQueued} bytes)`);
        // now read it all, counting bytes without keeping them
        let received = 0;
        c.socket.removeAllListeners('data');
        const done = new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`only ${received} bytes arrived`)), 10_000);
          c.socket.on('data', (d: Buffer) => {
            received += d.length;
            // the chunked body ends with the zero-length chunk
            if (d.length >= 5 && d.subarray(d.length - 5).toString('latin1') === '0\r\n\r\n') {
              clearTimeout(timer);
              resolve();
            }
          });
        });
        c.socket.resume();
        await done;
        const framing = (TOTAL / CHUNK) * (CHUNK.toString(16).length + 4) + 5;
        assert.ok(received > TOTAL + framing, `received ${received}`);
        assert.equal(written, TOTAL);
      } finally {
        c.destroy();
      }
    },
  );
});

test('the Date header is present, valid and current; Server only when serverName is set', async () => {
  const handler = (_req: EngineRequest, res: import('../src/engine/engine-response.js').EngineResponse): void => res.end('x');
  await withEngine(handler, {}, async ({ port }) => {
    const { responses } = await exchange(port, get('/', 'Connection: close\r\n'));
    const date = responses[0]!.headers.date!;
    assert.match(date, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    assert.ok(Math.abs(Date.parse(date) - Date.now()) < 2500, `Date ${date} is current`);
    assert.equal(responses[0]!.headers.server, undefined);
  });
  await withEngine(handler, { serverName: 'Armature' }, async ({ port }) => {
    const c = await RawClient.connect(port);
    try {
      await c.write(get('/'));
      await c.responses(1);
      await delay(1600); // across a second boundary the Date moves on (margin for a loaded machine)
      await c.write(get('/'));
      const rs = await c.responses(2);
      assert.equal(rs[0]!.headers.server, 'Armature');
      assert.equal(rs[1]!.headers.server, 'Armature');
      assert.ok(Date.parse(rs[1]!.headers.date!) > Date.parse(rs[0]!.headers.date!), 'the Date header is refreshed');
    } finally {
      c.destroy();
    }
  });
  await withEngine(
    (_req, res) => {
      res.setHeader('Server', 'custom');
      res.setHeader('Date', 'Thu, 01 Jan 1970 00:00:00 GMT');
      res.end();
    },
    { serverName: 'Armature' },
    async ({ port }) => {
      const { responses } = await exchange(port, get('/', 'Connection: close\r\n'));
      assert.equal(responses[0]!.headers.server, 'custom', 'a handler-set Server header is not duplicated');
      assert.equal(responses[0]!.headers.date, 'Thu, 01 Jan 1970 00:00:00 GMT');
    },
  );
});

test('a streamed response to a client that goes away stops the stream instead of spinning', async () => {
  let iterations = 0;
  let stopped!: () => void;
  const ended = new Promise<void>((r) => (stopped = r));
  await withEngine(
    async (_req, res) => {
      const chunk = Buffer.alloc(16 * 1024, 'y');
      await res.send((function* () {
        while (iterations < 1_000_000) {
          iterations++;
          yield chunk;
        }
      })());
      stopped();
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      await c.write(get('/'));
      await c.waitFor(() => c.data.length > 100_000, 2000, 'some of the stream');
      c.destroy();
      await Promise.race([ended, delay(2000)]);
      assert.ok(iterations < 10_000, `the source was abandoned soon after the client left (${iterations} chunks pulled)`);
    },
  );
});

test('a streamed body that does not match its Content-Length cannot corrupt the next response', async () => {
  const thrown: unknown[] = [];
  await withEngine(
    (req, res) => {
      if (req.path === '/short') {
        res.setHeader('Content-Length', '10');
        res.write('12345');
        res.end(); // 5 bytes short: the connection must close, or the next response becomes body
        return;
      }
      if (req.path === '/long') {
        res.setHeader('Content-Length', '4');
        res.write('1234');
        try {
          res.write('HTTP/1.1 200 OK\r\nX-Smuggled: 1\r\n\r\n');
        } catch (error) {
          thrown.push(error);
        }
        res.end();
        return;
      }
      if (req.path === '/exact') {
        res.setHeader('Content-Length', '6');
        res.write('abc');
        res.end('def');
        return;
      }
      res.end(`next ${req.path}`);
    },
    {},
    async ({ port }) => {
      const exact = await exchange(port, get('/exact') + get('/n'), { until: (c) => c.parsed().length === 2 });
      assert.deepEqual(exact.responses.map((r) => r.text), ['abcdef', 'next /n']);

      const short = await exchange(port, get('/short') + get('/n'));
      assert.ok(short.closed, 'closed after the short body');
      assert.ok(!short.raw.includes('next /n'), 'nothing follows the short body');

      const long = await exchange(port, get('/long') + get('/n'), { until: (c) => c.parsed().length === 2 });
      assert.equal(thrown.length, 1, 'writing past the Content-Length throws');
      assert.deepEqual(long.responses.map((r) => r.text), ['1234', 'next /n']);
      assert.ok(!long.raw.includes('X-Smuggled'));
    },
  );
});

test('a head like the last one is reused, and every part it depends on still shows: status, fields, length, Date, Connection', async () => {
  // the server keeps the last head it built (HeadCache); each response below differs from the
  // one before it in one part, or is the same and must come out byte for byte as it would anyway
  let dateCalls = 0;
  await withEngine(
    (req, res) => {
      const [, kind, n] = req.path.split('/');
      if (kind === 'same' || kind === 'close') res.setHeader('Content-Type', 'text/plain');
      if (kind === 'value') res.setHeader('Content-Type', 'text/html');
      if (kind === 'more') res.setHeader('Content-Type', 'text/plain').setHeader('X-More', n!);
      if (kind === 'status') res.status(201).setHeader('Content-Type', 'text/plain');
      if (kind === 'date') {
        dateCalls++;
        res.setHeader('Content-Type', 'text/plain').setHeader('Date', 'Thu, 01 Jan 2026 00:00:00 GMT');
      }
      if (kind === 'close') res.setHeader('Connection', 'close');
      res.end(kind === 'length' ? 'longer body' : 'hello');
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        const paths = ['/same/1', '/same/2', '/value/1', '/same/3', '/more/a', '/more/b', '/status/1', '/same/4', '/length/1', '/date/1', '/date/2', '/same/5'];
        await c.write(paths.map((p) => get(p)).join('') + get('/same/6', 'Connection: keep-alive\r\n').replace('HTTP/1.1', 'HTTP/1.0') + get('/close/1'));
        const rs = await c.responses(paths.length + 2);
        const field = (i: number, name: string): string | undefined => rs[i]!.headers[name];
        assert.equal(field(0, 'content-type'), 'text/plain');
        assert.equal(rs[1]!.head, rs[0]!.head, 'the same response again: the same head');
        assert.equal(field(2, 'content-type'), 'text/html');
        assert.equal(field(3, 'content-type'), 'text/plain');
        assert.equal(field(4, 'x-more'), 'a');
        assert.equal(field(5, 'x-more'), 'b');
        assert.equal(rs[6]!.status, 201);
        assert.equal(rs[7]!.status, 200);
        assert.equal(field(8, 'content-length'), String('longer body'.length));
        assert.equal(rs[8]!.text, 'longer body');
        assert.equal(field(9, 'date'), 'Thu, 01 Jan 2026 00:00:00 GMT');
        assert.equal(field(10, 'date'), 'Thu, 01 Jan 2026 00:00:00 GMT');
        assert.equal(rs[9]!.fields.filter(([n]) => n.toLowerCase() === 'date').length, 1, 'the handler\'s Date only, once');
        assert.notEqual(field(11, 'date'), 'Thu, 01 Jan 2026 00:00:00 GMT', 'the engine\'s Date again after a handler\'s');
        assert.equal(dateCalls, 2);
        // HTTP/1.0 keep-alive after a cached 1.1 head, then a close
        assert.equal(field(12, 'connection'), 'keep-alive');
        assert.equal(rs[12]!.text, 'hello');
        assert.equal(field(13, 'connection'), 'close');
        assert.equal(rs[13]!.fields.filter(([n]) => n.toLowerCase() === 'connection').length, 1);
        for (const r of rs) assert.equal(r.fields.filter(([n]) => n.toLowerCase() === 'content-length').length, 1);
        for (const i of [0, 1, 3, 7, 11]) assert.equal(field(i, 'keep-alive'), field(0, 'keep-alive'));
      } finally {
        c.destroy();
      }
    },
  );
});

test('a cached head is not reused once the server announces a close: the response that closes says so', async () => {
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await withEngine(
    async (req, res) => {
      res.setHeader('Content-Type', 'text/plain');
      if (req.path === '/slow') await held;
      res.end('x');
    },
    {},
    async (e) => {
      const c = await RawClient.connect(e.port);
      try {
        await c.write(get('/fast'));
        const [first] = await c.responses(1);
        assert.equal(first!.headers.connection, undefined);
        await c.write(get('/slow'));
        await delay(20);
        const closing = e.server.close({ timeout: 1000 });
        release();
        const second = (await c.responses(2))[1];
        assert.equal(second!.headers.connection, 'close', 'the same fields, but the server is closing');
        await closing;
      } finally {
        c.destroy();
      }
    },
  );
});

test('a reused head carries the current Date: the same response a second later has the new one', async () => {
  await withEngine(
    (_req, res) => {
      res.setHeader('Content-Type', 'text/plain');
      res.end('same');
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        await c.write(get('/'));
        const first = (await c.responses(1))[0]!.headers.date!;
        await delay(1100);
        await c.write(get('/'));
        const second = (await c.responses(2))[1]!.headers.date!;
        assert.notEqual(second, first);
        assert.ok(Math.abs(Date.parse(second) - Date.now()) < 2000, `current: ${second}`);
      } finally {
        c.destroy();
      }
    },
  );
});
