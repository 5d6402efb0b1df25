// The Redis store against a real Redis (REDIS_URL, default redis://127.0.0.1:6379): each
// algorithm, one limit shared by two processes, and failing open or closed when Redis is gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { REDIS_URL, redisUnreachable } from '../../../scripts/test-support/redis-probe.js';
import { createApp } from '@armature/core';
import { rateLimit, RedisStore, type RatePolicy } from '@armature/middleware/rate-limit';

let client: Redis | null = null;
let reason = '';

before(async () => {
  reason = (await redisUnreachable('the Redis store tests')) ?? '';
  if (reason !== '') return;
  client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
  await client.connect();
});
after(() => client?.disconnect());

const prefix = () => `rl-test:${randomUUID()}:`;

test('fixed window, sliding window and token bucket decide atomically in Redis', async (t) => {
  if (client === null) return t.skip(reason);
  const store = new RedisStore({ client, prefix: prefix() });
  const policies: RatePolicy[] = [
    { algorithm: 'fixed-window', limit: 5, windowMs: 60_000 },
    { algorithm: 'sliding-window', limit: 5, windowMs: 60_000 },
    { algorithm: 'token-bucket', limit: 5, windowMs: 60_000 },
  ];
  for (const p of policies) {
    // 20 concurrent hits: exactly the limit get through
    const verdicts = await Promise.all(Array.from({ length: 20 }, () => store.hit(`k-${p.algorithm}`, p, 1)));
    assert.equal(verdicts.filter((v) => v.allowed).length, 5, p.algorithm);
    const refused = verdicts.find((v) => !v.allowed)!;
    assert.equal(refused.remaining, 0);
    assert.ok(refused.retryAfterMs > 0 && refused.retryAfterMs <= 120_000, `${p.algorithm} retry ${refused.retryAfterMs}`);
    assert.ok(refused.resetMs > 0 && refused.resetMs <= 60_000, `${p.algorithm} reset ${refused.resetMs}`);
    await store.reset(`k-${p.algorithm}`);
    assert.equal((await store.hit(`k-${p.algorithm}`, p, 1)).allowed, true, `${p.algorithm} after reset`);
  }
});

test('the window of a fixed limit expires in Redis', async (t) => {
  if (client === null) return t.skip(reason);
  const store = new RedisStore({ client, prefix: prefix() });
  const p: RatePolicy = { algorithm: 'fixed-window', limit: 1, windowMs: 150 };
  assert.equal((await store.hit('k', p, 1)).allowed, true);
  assert.equal((await store.hit('k', p, 1)).allowed, false);
  await new Promise((r) => setTimeout(r, 250));
  assert.equal((await store.hit('k', p, 1)).allowed, true);
});

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./rate-limit-server.fixture.ts', import.meta.url).pathname], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  return { child, port: Number(line) };
}

test('two app processes share one limit through Redis', async (t) => {
  if (client === null) return t.skip(reason);
  const env = { REDIS_URL, LIMIT: '10', PREFIX: prefix() };
  const servers = await Promise.all([startServer(env), startServer(env)]);
  try {
    let ok = 0;
    let limited = 0;
    const served = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const { port } = servers[i % 2]!;
      const r = await fetch(`http://127.0.0.1:${port}/`);
      if (r.status === 200) {
        ok++;
        served.add(await r.text());
      } else {
        assert.equal(r.status, 429);
        limited++;
        await r.arrayBuffer();
      }
    }
    assert.equal(ok, 10);
    assert.equal(limited, 20);
    assert.equal(served.size, 2, 'both processes answered within the shared quota');
  } finally {
    for (const { child } of servers) {
      child.stdin!.end();
      if (child.exitCode === null) await once(child, 'exit');
    }
  }
});

test('Redis gone: fail open (allowed, logged once) or closed (503), by option', async () => {
  // a client to a port where nothing listens: never ready
  const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
  dead.on('error', () => {});
  const logs: string[] = [];
  const log = (m: string) => void logs.push(m);
  const open = createApp({ onError: () => {} });
  open.use(rateLimit({ limit: 1, window: '1m', store: new RedisStore({ client: dead, log }) }));
  open.get('/', () => 'ok');
  for (let i = 0; i < 3; i++) assert.equal((await open.inject('/')).statusCode, 200);
  assert.equal(logs.length, 1);
  assert.match(logs[0]!, /failing open/);

  const closed = createApp({ onError: () => {} });
  closed.use(rateLimit({ limit: 1, window: '1m', store: new RedisStore({ client: dead, onFailure: 'closed', log }) }));
  closed.get('/', () => 'ok');
  const r = await closed.inject('/');
  assert.equal(r.statusCode, 503);
  assert.equal(r.headers['retry-after'], '1');
  assert.match(logs[1]!, /failing closed/);
  dead.disconnect();
});
