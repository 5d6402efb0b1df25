// Health checks: liveness and readiness answers (terminus's shape), indicators against the real
// PostgreSQL and Redis of this machine (DATABASE_URL, REDIS_URL; skipped with the reason when
// unreachable), timeouts, and readiness turning 503 the moment graceful shutdown starts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import pg from 'pg';
import { Redis } from 'ioredis';
import { REDIS_URL, redisUnreachable } from '../../../scripts/test-support/redis-probe.js';
import { createApp } from '@armature/core';
import { createHealth, heapIndicator, IndicatorDown, postgresIndicator, redisIndicator } from '@armature/observability/health';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
let pool: pg.Pool | null = null;
let redis: Redis | null = null;
let pgReason = '';
let redisReason = '';

before(async () => {
  const p = new pg.Pool({ connectionString: databaseUrl, max: 2, connectionTimeoutMillis: 2000 });
  p.on('error', () => {});
  try {
    await p.query('SELECT 1');
    pool = p;
  } catch (error) {
    pgReason = `PostgreSQL is not reachable at ${databaseUrl} (${(error as Error).message}): skipping`;
    console.log(`# ${pgReason}`);
    await p.end().catch(() => {});
  }
  redisReason = (await redisUnreachable('the Redis indicator tests')) ?? '';
  if (redisReason === '') {
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    await redis.connect();
  }
});
after(async () => {
  await pool?.end();
  redis?.disconnect();
});

test('liveness and readiness: 200 when every indicator is up, 503 with the reason when one is down', async () => {
  let dbUp = true;
  const health = createHealth({
    indicators: {
      db: () => {
        if (!dbUp) throw new Error('connection refused');
      },
      cache: () => ({ hits: 3 }),
    },
    livenessIndicators: { heap: heapIndicator(64 * 1024 * 1024 * 1024) },
  });
  const app = createApp();
  app.use(health.middleware);
  const live = await app.inject('/health/live');
  assert.equal(live.statusCode, 200);
  assert.equal(live.headers['cache-control'], 'no-store');
  assert.equal(JSON.parse(live.body).details.heap.status, 'up');
  const ready = await app.inject('/health/ready');
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(JSON.parse(ready.body), {
    status: 'ok',
    info: { db: { status: 'up' }, cache: { hits: 3, status: 'up' } },
    error: {},
    details: { db: { status: 'up' }, cache: { hits: 3, status: 'up' } },
  });
  dbUp = false;
  const down = await app.inject('/health/ready');
  assert.equal(down.statusCode, 503);
  const body = JSON.parse(down.body);
  assert.equal(body.status, 'error');
  assert.deepEqual(body.error.db, { status: 'down', message: 'connection refused' });
  assert.equal(body.info.cache.status, 'up');
  assert.equal((await app.inject('/health/live')).statusCode, 200); // readiness problems never fail liveness
  assert.equal((await app.inject({ method: 'POST', url: '/health/ready' })).statusCode, 404);
});

test('an indicator slower than the timeout is down; concurrent probes share one run', async () => {
  let runs = 0;
  const health = createHealth({
    timeout: 50,
    indicators: {
      slow: () => {
        runs++;
        return new Promise((r) => setTimeout(r, 500));
      },
    },
  });
  const started = Date.now();
  const [a, b] = await Promise.all([health.check('readiness'), health.check('readiness')]);
  assert.ok(Date.now() - started < 400);
  assert.equal(runs, 1);
  assert.equal(a, b);
  assert.deepEqual(a.error.slow, { status: 'down', message: 'timed out after 50 ms' });
});

test('memory indicator down with its details; bad options are refused', async () => {
  const health = createHealth({ livenessIndicators: { heap: heapIndicator(1) } });
  const report = await health.check('liveness');
  assert.equal(report.status, 'error');
  assert.equal(report.error.heap!.maxBytes, 1);
  assert.match(String(report.error.heap!.message), /heap used \d+ bytes is over 1/);
  assert.throws(() => createHealth({ readiness: 'ready' }), /must be a path starting with/);
  assert.throws(() => createHealth({ indicators: { db: 'SELECT 1' as never } }), /indicator "db" must be a function/);
  assert.throws(() => heapIndicator(0), /positive/);
  assert.ok(new IndicatorDown('x', { a: 1 }).details.a === 1);
});

test('PostgreSQL indicator against the real server (and a dead one)', async (t) => {
  if (pool === null) return t.skip(pgReason);
  const dead = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/test', connectionTimeoutMillis: 500 });
  dead.on('error', () => {});
  const health = createHealth({ indicators: { postgres: postgresIndicator(pool), replica: postgresIndicator(dead) } });
  const report = await health.check('readiness');
  assert.equal(report.details.postgres!.status, 'up');
  assert.equal(report.details.replica!.status, 'down');
  assert.match(String(report.details.replica!.message), /ECONNREFUSED|connect/);
  await dead.end();
});

test('Redis indicator against the real server (and a dead one)', async (t) => {
  if (redis === null) return t.skip(redisReason);
  const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  dead.on('error', () => {});
  const health = createHealth({ timeout: 1000, indicators: { redis: redisIndicator(redis), other: redisIndicator(dead) } });
  const report = await health.check('readiness');
  assert.equal(report.details.redis!.status, 'up');
  assert.equal(report.details.other!.status, 'down');
  dead.disconnect();
});

function get(port: number, path: string, agent: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', reject);
  });
}

test('readiness is 503 from the moment graceful shutdown starts, while in-flight requests finish', async () => {
  const health = createHealth();
  const app = createApp();
  app.use(health.middleware);
  health.watch(app);
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  app.get('/slow', async () => {
    await held;
    return 'done';
  });
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  try {
    assert.equal((await get(port, '/health/ready', agent)).status, 200);
    const slow = get(port, '/slow', agent);
    await new Promise((r) => setTimeout(r, 50));
    // the probe's own connection is busy when close() starts, so it is still served
    const probe = new http.Agent({ keepAlive: true, maxSockets: 1 });
    assert.equal((await get(port, '/health/live', probe)).status, 200);
    const closing = app.close({ timeout: 5000 });
    const during = get(port, '/health/ready', probe);
    const answer = await during.catch((error: Error) => ({ status: 0, body: error.message }));
    // either our readiness answer or the engine's refusal of a connection: never a 200
    assert.notEqual(answer.status, 200);
    assert.equal(health.shuttingDown, true);
    assert.equal((await health.check('readiness')).status, 'shutting_down');
    release();
    assert.deepEqual(await slow, { status: 200, body: 'done' });
    await closing;
    probe.destroy();
  } finally {
    agent.destroy();
  }
});

test('shutdown() turns readiness off for good; liveness stays up', async () => {
  const health = createHealth();
  const app = createApp();
  app.use(health.middleware);
  assert.equal((await app.inject('/health/ready')).statusCode, 200);
  health.shutdown();
  const r = await app.inject('/health/ready');
  assert.equal(r.statusCode, 503);
  assert.equal(JSON.parse(r.body).status, 'shutting_down');
  assert.equal((await app.inject('/health/live')).statusCode, 200);
});
