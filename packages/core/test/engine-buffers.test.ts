// Pooled buffers (issue 13, buffer size auto-tuning): output buffers whose size follows the
// traffic, heads arriving in pieces gathered in a pooled buffer without corrupting the bodies
// that arrived with them, and bytes written from a pooled buffer arriving intact and in order.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { BufferPool, type BufferStats } from '../src/engine/buffer-pool.js';
import { resolveEngineOptions } from '../src/engine/options.js';
import { RawClient, delay, withEngine } from './engine-helpers.js';

const counters = (): BufferStats => ({ outputBufferSize: 0, buffersAllocated: 0, unpooledOutputs: 0 });

test('output buffers follow the size of recent large outputs, bounded, and shrink once the average falls well below', () => {
  const stats = counters();
  const pool = new BufferPool('auto', 16 * 1024, stats);
  assert.equal(pool.outputSize, 16 * 1024);
  // small outputs leave it alone
  for (let i = 0; i < 100; i++) assert.ok(pool.takeOutput(2000) !== null);
  assert.equal(pool.outputSize, 16 * 1024);
  // 64 KiB outputs: not pooled at first, then the size has grown to hold them
  let unpooled = 0;
  for (let i = 0; i < 40; i++) {
    const buf = pool.takeOutput(65 * 1024);
    if (buf === null) unpooled++;
    else pool.giveOutput(buf);
  }
  assert.ok(unpooled > 0 && unpooled < 20, `${unpooled} of 40 were not pooled`);
  assert.equal(pool.outputSize, 128 * 1024);
  assert.equal(stats.outputBufferSize, 128 * 1024);
  assert.equal(stats.unpooledOutputs, unpooled);
  // reused, not allocated again
  const allocated = stats.buffersAllocated;
  for (let i = 0; i < 50; i++) pool.giveOutput(pool.takeOutput(65 * 1024)!);
  assert.equal(stats.buffersAllocated, allocated);
  // a single outlier moves it by an eighth, not to its own size
  pool.takeOutput(600 * 1024);
  assert.ok(pool.outputSize <= 256 * 1024, `size ${pool.outputSize}`);
  // bounded: 4 MiB outputs never make buffers above 1 MiB
  for (let i = 0; i < 60; i++) assert.equal(pool.takeOutput(4 * 1024 * 1024), null);
  assert.equal(pool.outputSize, 1024 * 1024);
  // back to 20 KiB outputs: it shrinks, with hysteresis (not on the first small one)
  pool.takeOutput(20 * 1024);
  assert.equal(pool.outputSize, 1024 * 1024);
  for (let i = 0; i < 60; i++) pool.takeOutput(20 * 1024);
  // 25 KiB with room would be 32 KiB; it stops at 64 KiB, within three times that (no flapping)
  assert.equal(pool.outputSize, 64 * 1024);
});

test('a fixed size stays fixed; larger outputs are counted as unpooled', () => {
  const stats = counters();
  const pool = new BufferPool(16 * 1024, 16 * 1024, stats);
  for (let i = 0; i < 50; i++) assert.equal(pool.takeOutput(64 * 1024), null);
  assert.equal(pool.outputSize, 16 * 1024);
  assert.equal(stats.unpooledOutputs, 50);
  const buf = pool.takeOutput(100)!;
  assert.equal(buf.length, 16 * 1024);
  pool.giveOutput(buf);
  assert.equal(pool.takeOutput(100), buf);
});

test('head buffers: pooled at the head size, larger ones by powers of two up to the header limit', () => {
  const pool = new BufferPool('auto', 16 * 1024, counters());
  const small = pool.takeHead(10);
  assert.equal(small.length, 1024);
  pool.giveHead(small);
  assert.equal(pool.takeHead(500), small);
  assert.equal(pool.takeHead(3000).length, 4096);
  assert.equal(pool.takeHead(70_000).length, 70_000); // a head's last piece with a body after it
  for (let i = 0; i < 40; i++) pool.observeHead(3000);
  assert.equal(pool.headSize, 4096);
});

const sizes = [0, 1, 100, 4096, 4097, 20_000, 65_536, 300_000, 2_000_000];

for (const bufferSize of ['auto', 16 * 1024, 0] as const) {
  test(`bufferSize ${bufferSize}: string and Buffer bodies of every size arrive intact and in order, pipelined`, async () => {
    const bodyOf = (n: number, binary: boolean): string | Buffer => {
      const s = Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i * 7 + n) % 26))).join('');
      return binary ? Buffer.from(s, 'latin1') : s;
    };
    await withEngine(
      (req, res) => {
        const [, kind, n] = req.path.split('/');
        res.end(bodyOf(Number(n), kind === 'bin'));
      },
      // pressure handling off: on a loaded machine the event loop's utilization can pass its
      // threshold while the client parses the first round's 4.7 MB, and a connection idle that
      // long may then be culled between the rounds (as intended; not what this test is about)
      { bufferSize, pressure: false },
      async ({ port, server }) => {
        const c = await RawClient.connect(port);
        try {
          const paths = sizes.flatMap((n) => [`/str/${n}`, `/bin/${n}`]);
          // two rounds: the second after the sizes have been seen (auto has grown by then)
          for (let round = 0; round < 2; round++) {
            const before = c.parsed().length;
            await c.write(paths.map((p) => `GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`).join(''));
            const rs = (await c.responses(before + paths.length, 10_000)).slice(before);
            rs.forEach((r, i) => {
              const [, kind, n] = paths[i]!.split('/');
              assert.equal(r.status, 200);
              assert.ok(r.body.equals(Buffer.from(bodyOf(Number(n), kind === 'bin'))), `body of ${paths[i]}`);
            });
          }
          if (bufferSize === 0) assert.equal(server.stats.outputBufferSize, 0);
          else assert.ok(server.stats.outputBufferSize >= 16 * 1024);
        } finally {
          c.destroy();
        }
      },
    );
  });
}

test('heads arriving a byte at a time on many connections: bodies that came with them stay intact while the head buffers are reused', async () => {
  const bodies = new Map<string, Promise<Buffer>>();
  await withEngine(
    (req, res) => {
      // read the body late, after other connections' heads have gone through the pool
      const body = delay(50).then(() => req.body.bytes());
      bodies.set(req.path, body);
      body.then((b) => res.end(`${b.length}:${b.toString('latin1').slice(0, 8)}`), () => res.end('failed'));
    },
    {},
    async ({ port, server }) => {
      const clients = await Promise.all(Array.from({ length: 6 }, () => RawClient.connect(port)));
      try {
        await Promise.all(
          clients.map(async (c, i) => {
            const body = String.fromCharCode(65 + i).repeat(40 + i);
            const head = `POST /c${i} HTTP/1.1\r\nHost: x\r\nX-Pad: ${'p'.repeat(200)}\r\nContent-Length: ${body.length}\r\n\r\n`;
            // the head a byte at a time, its last byte together with the body's first half
            for (let k = 0; k < head.length - 1; k++) {
              await c.write(head[k]!);
              if (k % 40 === 0) await delay(1);
            }
            await c.write(head[head.length - 1]! + body.slice(0, 20));
            await delay(20);
            await c.write(body.slice(20));
            const [r] = await c.responses(1, 5000);
            assert.equal(r!.text, `${body.length}:${body.slice(0, 8)}`);
            assert.ok((await bodies.get(`/c${i}`)!).equals(Buffer.from(body)));
          }),
        );
        assert.ok(server.stats.buffersAllocated > 0);
      } finally {
        for (const c of clients) c.destroy();
      }
    },
  );
});

test('a head arriving in pieces and then pipelined requests behind it, in the same pooled buffer', async () => {
  await withEngine(
    (req, res) => res.end(req.path),
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        const all = ['/one', '/two', '/three'].map((p) => `GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`).join('');
        for (let i = 0; i < all.length; i += 7) {
          await c.write(all.slice(i, i + 7));
          await delay(1);
        }
        const rs = await c.responses(3, 5000);
        assert.deepEqual(rs.map((r) => r.text), ['/one', '/two', '/three']);
      } finally {
        c.destroy();
      }
    },
  );
});

test('bufferSize is checked: auto, or a whole number of bytes', () => {
  assert.equal(resolveEngineOptions({}).bufferSize, 'auto');
  assert.equal(resolveEngineOptions({ bufferSize: 0 }).bufferSize, 0);
  assert.equal(resolveEngineOptions({ bufferSize: 32768 }).bufferSize, 32768);
  for (const bad of [-1, 1.5, Number.NaN, 'big']) {
    assert.throws(() => resolveEngineOptions({ bufferSize: bad as number }), /bufferSize must be 'auto' or a whole number of bytes/);
  }
});
