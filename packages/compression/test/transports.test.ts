/**
 * Over real sockets, on the engine and on node:http: curl --compressed round trips, an event
 * stream read event by event, a slow client of a large stream, a client that leaves mid-stream.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { createApp, type Context } from '@armature/core';
import type { HttpResponse } from '@armature/core/http';
import { compression } from '../src/middleware.js';
import { ResponseEncoding } from '../src/encode-response.js';
import { zstdAvailable } from '../src/codings.js';
import { decoder, jsonDocument, serve } from './helpers.js';

const run = promisify(execFile);
const doc = jsonDocument(10 * 1024);
const docText = JSON.stringify(doc);
const KINDS = ['engine', 'node'] as const;
const CODINGS = ['gzip', 'deflate', 'br', ...(zstdAvailable ? ['zstd'] : [])];

/** Text that compresses about 2:1 (16 symbols from an LCG's high bits), so a large stream still fills socket buffers. */
function noisyLine(i: number): string {
  let s = `${i}:`;
  let x = i * 2654435761;
  while (s.length < 1000) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += 'abcdefghijklmnop'[(x >>> 20) & 15];
  }
  return s + '\n';
}

/** Feeds a chunked body's data to `part`, calling `end` at the last chunk. */
function chunkedReader(part: (data: Buffer) => void, end: () => void): { push(d: Buffer): void } {
  let raw: Buffer = Buffer.alloc(0);
  let done = false;
  return {
    push(d: Buffer) {
      raw = raw.length === 0 ? d : Buffer.concat([raw, d]);
      while (!done) {
        const line = raw.indexOf('\r\n');
        if (line === -1) return;
        const size = parseInt(raw.subarray(0, line).toString(), 16);
        if (raw.length < line + 2 + size + 2) return;
        if (size === 0) {
          done = true;
          end();
          return;
        }
        part(raw.subarray(line + 2, line + 2 + size));
        raw = raw.subarray(line + 2 + size + 2);
      }
    },
  };
}

for (const kind of KINDS.filter((k) => (process.env.KIND ?? k) === k)) {
  test(`${kind}: curl --compressed decodes every coding, one-shot and streamed`, async () => {
    const app = createApp();
    app.use(compression());
    app.get('/json', () => doc);
    app.get('/stream', async function* (ctx: Context) {
      ctx.set('Content-Type', 'text/plain; charset=utf-8');
      for (let i = 0; i < 200; i++) yield noisyLine(i);
    });
    const served = await serve(app, kind);
    try {
      const expected = Array.from({ length: 200 }, (_, i) => noisyLine(i)).join('');
      for (const coding of CODINGS) {
        for (const [path, body] of [['/json', docText], ['/stream', expected]] as const) {
          const { stdout } = await run('curl', ['-s', '--compressed', '-H', `Accept-Encoding: ${coding}`, '-D', '-', `http://127.0.0.1:${served.port}${path}`], { maxBuffer: 8 << 20 });
          const split = stdout.indexOf('\r\n\r\n');
          const head = stdout.slice(0, split).toLowerCase();
          assert.match(head, new RegExp(`content-encoding: ${coding}`), `${coding} ${path}`);
          assert.equal(stdout.slice(split + 4), body, `${coding} ${path}`);
        }
      }
      // curl's own Accept-Encoding (deflate, gzip, br, zstd): the server's preference
      const { stdout } = await run('curl', ['-s', '--compressed', '-o', '/dev/null', '-w', '%{size_download} %header{content-encoding}', `http://127.0.0.1:${served.port}/json`]);
      const [size, coding] = stdout.split(' ');
      assert.equal(coding, zstdAvailable ? 'zstd' : 'br');
      assert.ok(Number(size) < docText.length / 4);
    } finally {
      await served.close();
    }
  });

  test(`${kind}: an event stream reaches the client event by event`, async () => {
    const app = createApp();
    app.use(compression());
    let received = 0;
    let arrived: (() => void) | null = null;
    app.get('/events', (ctx: Context) => {
      const stream = ctx.sse({ heartbeat: 0 });
      void (async () => {
        for (let n = 0; n < 5; n++) {
          // the next event only once the client has decoded the previous one: without a
          // flush per event, nothing would arrive and this would wait forever
          stream.send({ event: 'tick', id: n, data: { n, pad: 'x'.repeat(50) } });
          await new Promise<void>((resolve) => {
            arrived = resolve;
            if (received > n) resolve();
          });
        }
        stream.close();
      })();
      return stream;
    });
    const served = await serve(app, kind);
    try {
      for (const coding of CODINGS) {
        received = 0;
        const events = await new Promise<string[]>((resolve, reject) => {
          const socket = net.connect(served.port, '127.0.0.1');
          socket.write(`GET /events HTTP/1.1\r\nHost: x\r\nAccept-Encoding: ${coding}\r\nConnection: close\r\n\r\n`);
          let head = '';
          let inBody = false;
          const unzip = decoder(coding);
          let text = '';
          const seen: string[] = [];
          unzip.on('data', (d: Buffer) => {
            text += d.toString();
            let end: number;
            while ((end = text.indexOf('\n\n')) !== -1) {
              const frame = text.slice(0, end);
              text = text.slice(end + 2);
              if (frame.startsWith('event: tick')) {
                seen.push(frame);
                received++;
                arrived?.();
              }
            }
          });
          unzip.on('end', () => resolve(seen));
          unzip.on('error', reject);
          const body = chunkedReader((part) => unzip.write(part), () => unzip.end());
          socket.on('data', (d: Buffer) => {
            if (!inBody) {
              head += d.toString('latin1');
              const split = head.indexOf('\r\n\r\n');
              if (split === -1) return;
              assert.match(head.toLowerCase(), new RegExp(`content-encoding: ${coding}`));
              d = Buffer.from(head.slice(split + 4), 'latin1');
              inBody = true;
            }
            body.push(d);
          });
          socket.on('error', reject);
        });
        assert.equal(events.length, 5, coding);
        assert.match(events[4]!, /id: 4\ndata: \{"n":4,/);
      }
    } finally {
      await served.close();
    }
  });

  test(`${kind}: a slow client holds the producer back (memory bounded)`, async () => {
    const app = createApp();
    app.use(compression({ encodings: ['gzip'] }));
    let produced = 0;
    const total = 60_000; // 60 MB of text, ~33 MB compressed: more than socket buffers hold
    let finished = false;
    let response: HttpResponse | null = null;
    app.get('/big', async function* (ctx: Context) {
      response = ctx.res;
      ctx.set('Content-Type', 'text/plain');
      for (let i = 0; i < total; i++) {
        produced++;
        yield noisyLine(i);
      }
      finished = true;
    });
    const served = await serve(app, kind);
    try {
      const socket = net.connect(served.port, '127.0.0.1');
      socket.write('GET /big HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n');
      // the client reads nothing (past what its socket buffers take): the producer must come to
      // a standstill once the kernel's buffers are full, with little held in the process
      let last = -1;
      let still = 0;
      for (let i = 0; i < 200 && still < 3 && !finished; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        still = produced === last ? still + 1 : 0;
        last = produced;
      }
      assert.equal(finished, false, 'the producer ran to the end with no one reading');
      assert.ok(produced < total / 2, `produced ${produced} of ${total} lines while the client did not read`);
      const zs = ResponseEncoding.of(response!)!.zlibStream!;
      assert.ok(zs.writableLength + zs.readableLength <= 64 * 1024, `${zs.writableLength} + ${zs.readableLength} bytes held by the compressor`);
      // reading again lets it finish, and the whole body decodes
      const unzip = decoder('gzip');
      let plain = 0;
      unzip.on('data', (d: Buffer) => {
        plain += d.length;
      });
      let head = true;
      let rest: Buffer = Buffer.alloc(0);
      socket.on('data', (d: Buffer) => {
        if (head) {
          rest = Buffer.concat([rest, d]);
          const split = rest.indexOf('\r\n\r\n');
          if (split === -1) return;
          head = false;
          d = rest.subarray(split + 4);
        }
        dechunk.push(d);
      });
      const dechunk = chunkedReader((part) => unzip.write(part), () => unzip.end());
      socket.resume();
      await new Promise((resolve) => unzip.once('end', resolve));
      assert.equal(finished, true);
      assert.equal(plain, total * 1001); // every line is 1001 bytes
    } finally {
      await served.close();
    }
  });

  test(`${kind}: a client leaving mid-stream destroys the zlib stream; the server keeps serving`, async () => {
    const errors: unknown[] = [];
    const app = createApp({ onError: (e) => errors.push(e) });
    app.use(compression());
    let response: HttpResponse | null = null;
    let closedSource: () => void;
    const sourceClosed = new Promise<void>((resolve) => {
      closedSource = resolve;
    });
    app.get('/endless', async function* (ctx: Context) {
      response = ctx.res;
      ctx.set('Content-Type', 'text/plain');
      try {
        for (let i = 0; ; i++) {
          yield noisyLine(i);
          if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        closedSource();
      }
    });
    app.get('/json', () => doc);
    const served = await serve(app, kind);
    try {
      const socket = net.connect(served.port, '127.0.0.1');
      socket.write('GET /endless HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\n\r\n');
      let got = 0;
      await new Promise<void>((resolve) => {
        socket.on('data', (d: Buffer) => {
          got += d.length;
          if (got > 20_000) resolve();
        });
      });
      socket.destroy();
      await sourceClosed; // the generator was returned
      const encoding = ResponseEncoding.of(response!);
      const zs = encoding!.zlibStream!;
      for (let i = 0; i < 50 && !zs.destroyed; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(zs.destroyed, true);
      const { stdout } = await run('curl', ['-s', '--compressed', `http://127.0.0.1:${served.port}/json`]);
      assert.equal(stdout, docText);
      assert.deepEqual(errors, []);
    } finally {
      await served.close();
    }
  });
}

test('over HTTP/2 (listen({ http2: "h2c" })): a compressed JSON answer and a compressed event stream read event by event', async () => {
  const http2 = await import('node:http2');
  const zlib = await import('node:zlib');
  const app = createApp({ onError: () => {} });
  app.use(compression({ encodings: ['gzip'] }));
  app.get('/doc', () => doc);
  let release: () => void = () => {};
  app.get('/events', async (ctx) => {
    const stream = ctx.sse();
    for (let i = 1; i <= 2; i++) {
      await new Promise<void>((r) => (release = r));
      stream.send({ id: i, data: `event ${i}` });
    }
  });
  const { port } = await app.listen({ port: 0, http2: 'h2c' });
  const client = http2.connect(`http://127.0.0.1:${port}`);
  try {
    const answer = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      const req = client.request({ ':path': '/doc', 'accept-encoding': 'gzip' });
      const chunks: Buffer[] = [];
      let headers: Record<string, unknown> = {};
      req.on('response', (h) => (headers = h));
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => resolve({ headers, body: Buffer.concat(chunks) }));
      req.on('error', reject);
    });
    assert.equal(answer.headers['content-encoding'], 'gzip');
    assert.equal(answer.headers[':status'], 200);
    assert.equal(zlib.gunzipSync(answer.body).toString(), docText);
    assert.ok(answer.body.length < docText.length / 2);
    // each event is flushed through gzip and arrives before the next is sent
    const req = client.request({ ':path': '/events', 'accept-encoding': 'gzip' });
    const gunzip = zlib.createGunzip();
    let text = '';
    let notify: () => void = () => {};
    gunzip.on('data', (d: Buffer) => {
      text += d.toString();
      notify();
    });
    req.on('data', (d: Buffer) => gunzip.write(d));
    const headers = await new Promise<Record<string, unknown>>((r) => req.once('response', r));
    assert.equal(headers['content-encoding'], 'gzip');
    for (let i = 1; i <= 2; i++) {
      const arrived = new Promise<void>((r) => (notify = () => text.includes(`data: event ${i}\n\n`) && r()));
      await new Promise((r) => setTimeout(r, 20));
      release();
      await arrived;
    }
    req.close();
  } finally {
    client.destroy();
    await app.close({ timeout: 500 });
  }
});
