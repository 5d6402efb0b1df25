// Rooms across processes through the real Redis (REDIS_URL, default redis://127.0.0.1:6379):
// two server processes on one channel; a message to a room reaches its peers in both, text and
// binary, and not the sender; a broadcast reaches every peer. Skipped with the reason when Redis
// is not reachable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { sleep } from './helpers.js';
import { REDIS_URL, redisUnreachable } from '../../../scripts/test-support/redis-probe.js';

let reason = '';
const children: ChildProcess[] = [];

before(async () => {
  reason = (await redisUnreachable('the cross-process room tests')) ?? '';
});

after(async () => {
  for (const child of children) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

async function server(channel: string): Promise<number> {
  const fixture = fileURLToPath(new URL('./redis-server.fixture.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, REDIS_URL, channel], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return (JSON.parse(line) as { port: number }).port;
}

async function connect(port: number, room: string): Promise<{ ws: WebSocket; got: Array<string | number[]> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/rooms/${room}`);
  const got: Array<string | number[]> = [];
  ws.on('message', (data: Buffer, isBinary: boolean) => got.push(isBinary ? [...data] : data.toString()));
  await once(ws, 'open');
  return { ws, got };
}

async function until(test: () => boolean): Promise<void> {
  const end = Date.now() + 5000;
  while (!test()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

test('a room spans two processes through Redis pub/sub', async (t) => {
  if (reason !== '') return t.skip(reason);
  const channel = `ws-test:${randomUUID()}`;
  const [p1, p2] = await Promise.all([server(channel), server(channel)]);
  const a = await connect(p1, 'lobby');
  const b = await connect(p2, 'lobby');
  const c = await connect(p2, 'other');
  const d = await connect(p1, 'lobby');
  await sleep(50); // the joins happen on open, just after the handshake
  a.ws.send('hello from process 1');
  await until(() => b.got.length === 1 && d.got.length === 1);
  assert.deepEqual(b.got, ['hello from process 1']);
  assert.deepEqual(d.got, ['hello from process 1']);
  b.ws.send(Buffer.from([1, 2, 250]));
  await until(() => a.got.length === 1 && d.got.length === 2);
  assert.deepEqual(a.got, [[1, 2, 250]]);
  await sleep(100);
  assert.equal(b.got.length, 1, 'the sender does not receive its own message');
  assert.equal(c.got.length, 0, 'another room receives nothing');
  // a broadcast from one process reaches every peer of both
  const res = await fetch(`http://127.0.0.1:${p2}/broadcast?text=all`);
  assert.equal(await res.text(), 'sent');
  await until(() => [a, b, c, d].every((x) => x.got.includes('all')));
  for (const x of [a, b, c, d]) x.ws.close();
});
