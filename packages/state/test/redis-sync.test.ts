// redisSync() against a real Redis, with several processes: concurrent writers lose no update;
// and, on a private redis-server started for the test (the machine's shared one at REDIS_URL is
// never restarted), a Redis restart in the middle: readers keep the last snapshot while it is
// down, and once it is back the fleet re-seeds the state and every update arrives exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fleet, lateJoiner } from './fleet.js';
import { createServer, type AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { ReadState, redisSync } from '@armature/state';
import { REDIS_URL, redisUnreachable } from '../../../scripts/test-support/redis-probe.js';

const url = REDIS_URL;
let client: Redis | null = null;
let reason: string | null = null;

before(async () => {
  reason = await redisUnreachable('the redisSync tests');
  if (reason === null) client = new Redis(url);
});
after(() => client?.disconnect());

test('three processes incrementing one state through Redis: no lost update, one version per write', async (t) => {
  if (client === null) return t.skip(reason!);
  const name = `test:${randomUUID()}`;
  const reports = await fleet(3, { REDIS_URL: url, NAME: name, INCREMENTS: '50', TOTAL: '150' });
  for (const r of reports) {
    assert.equal(r.n, 150, `process ${r.me}`);
    assert.equal(r.version, 150);
    assert.equal(r.mine, 50);
    assert.equal(r.backwards + r.missing, 0);
  }
  await client.del(`armature:state:{${name}}`, `armature:state:{${name}}:ids`);
});

test('a process joining later gets the latest snapshot; set() reaches the others; bad input is refused', async (t) => {
  if (client === null) return t.skip(reason!);
  const name = `test:${randomUUID()}`;
  const quiet = { client, log: () => {} };
  const [a, b] = await lateJoiner(name, () => redisSync(quiet));
  // an unreadable message on the channel is ignored and reported
  const logs: string[] = [];
  const c = new ReadState({ mode: '' }, { name, sync: redisSync({ client, log: (m) => logs.push(m) }) });
  await c.ready;
  await client.publish(`armature:state:{${name}}`, 'garbage');
  await client.publish(`armature:state:{${name}}`, '99::{not json');
  await sleep(50);
  assert.equal(c.version, 2);
  assert.equal(logs.length, 2);
  await Promise.all([a.close(), b.close(), c.close()]);
  await client.del(`armature:state:{${name}}`, `armature:state:{${name}}:ids`);
});

// ---- a Redis restart in the middle -------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A redis-server of the test's own, with the machine's flags (nothing kept on disk). */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  for (let i = 0; i < 100; i++) {
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return child;
    } catch {
      await sleep(50);
    }
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port}`);
}

test('a Redis restart in the middle: readers keep the snapshot, then no update is lost or applied twice', async (t) => {
  if (spawnSync('redis-server', ['--version']).status !== 0) return t.skip('redis-server is not installed: skipping the restart test');
  const port = await freePort();
  let redis = await startRedis(port);
  const watcher = new Redis(port, '127.0.0.1', { retryStrategy: () => 100 });
  watcher.on('error', () => {});
  const name = `restart:${randomUUID()}`;
  try {
    const reports = await fleet(3, { REDIS_URL: `redis://127.0.0.1:${port}`, NAME: name, INCREMENTS: '60', TOTAL: '180', DELAY_MS: '10' }, async () => {
      // once a third of the increments are in, the server dies and comes back empty
      const deadline = Date.now() + 30_000;
      while (Number((await watcher.hget(`armature:state:{${name}}`, 'v').catch(() => '0')) ?? 0) < 60) {
        if (Date.now() > deadline) throw new Error('the fleet did not reach 60 increments');
        await sleep(5);
      }
      redis.kill('SIGKILL');
      await sleep(700);
      redis = await startRedis(port);
    });
    for (const r of reports) {
      assert.equal(r.n, 180, `process ${r.me} sees every increment once (${JSON.stringify(r)})`);
      assert.equal(r.mine, 60);
      assert.equal(r.backwards + r.missing, 0, 'readers never saw a missing or older snapshot');
    }
    assert.ok(reports.some((r) => r.readsWhileDown > 0), 'some reads happened while Redis was down');
    assert.ok(reports.every((r) => r.logs.some((m) => /answers again/.test(m))), 'every process reconnected');
    const versions = new Set(reports.map((r) => r.version));
    assert.equal(versions.size, 1, 'one version everywhere');
  } finally {
    watcher.disconnect();
    redis.kill('SIGKILL');
  }
});
