// Workers on every core (examples/workers): connections spread across two workers, a worker
// killed mid-load is replaced without failing requests on the other's connections, a graceful
// stop loses no request, a crash loop stops the app, and the primary of a DI app builds no providers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startExample } from './example-process.js';

interface Answer {
  worker: number;
  pid: number;
}

function get(port: number, path: string, agent: http.Agent | false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body) as Answer) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${path} within 10 s`)));
    req.on('error', reject);
  });
}

test('connections spread across both workers; each builds its own app', { timeout: 60_000 }, async () => {
  const example = await startExample('examples/workers/main.ts', { WORKERS: '2' });
  try {
    const seen = new Map<number, number>();
    for (let i = 0; i < 60; i++) {
      const a = await get(example.port, '/', false); // a new connection each time
      seen.set(a.pid, (seen.get(a.pid) ?? 0) + 1);
    }
    assert.equal(seen.size, 2, `answered by ${[...seen.keys()].join(', ')}`);
    for (const n of seen.values()) assert.ok(n >= 6, `uneven spread: ${[...seen.values()].join('/')}`);
    // an unexpected error is reported with the number of the worker it happened in
    const failed = await new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: example.port, path: '/fail', agent: false }, (res) => resolve(res.resume().statusCode!)).on('error', reject);
    });
    assert.equal(failed, 500);
    const until = Date.now() + 10_000;
    while (!/handler failed/.test(example.stderr()) && Date.now() < until) await sleep(20);
    const m = /\[armature worker (\d)\] Error: handler failed in pid (\d+)/.exec(example.stderr());
    assert.ok(m, `stderr: ${example.stderr()}`);
    assert.ok(seen.has(Number(m[2])));
  } finally {
    await example.stop();
    example.kill();
  }
});

test('a worker killed mid-load is replaced; requests on the other worker\'s connections never fail', { timeout: 90_000 }, async () => {
  const example = await startExample('examples/workers/main.ts', { WORKERS: '2' });
  const agents: http.Agent[] = [];
  try {
    // keep-alive connections until both workers hold some
    const byPid = new Map<number, http.Agent[]>();
    for (let i = 0; i < 40 && byPid.size < 2; i++) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      agents.push(agent);
      const a = await get(example.port, '/', agent);
      byPid.set(a.pid, [...(byPid.get(a.pid) ?? []), agent]);
    }
    assert.equal(byPid.size, 2);
    const [victim, survivor] = [...byPid.keys()] as [number, number];
    let survivorOk = 0;
    let running = true;
    const load = Promise.all(
      byPid.get(survivor)!.map(async (agent) => {
        while (running) {
          const a = await get(example.port, '/slow?ms=5', agent); // throws on any failure
          assert.equal(a.pid, survivor);
          survivorOk++;
        }
      }),
    );
    await sleep(200);
    process.kill(victim, 'SIGKILL');
    // a replacement appears: new connections reach a third pid
    const pids = new Set<number>();
    const until = Date.now() + 40_000;
    while (Date.now() < until) {
      const a = await get(example.port, '/', false).catch(() => null);
      if (a !== null && a.pid !== victim && a.pid !== survivor) pids.add(a.pid);
      if (pids.size > 0) break;
      await sleep(50);
    }
    running = false;
    await load;
    assert.equal(pids.size, 1, 'a replacement worker serves');
    assert.ok(survivorOk > 10, `requests on the surviving worker: ${survivorOk}`);
    assert.match(example.stderr(), /worker \d \(pid \d+\) exited with signal SIGKILL; restarting it in \d+ ms/);
  } finally {
    for (const a of agents) a.destroy();
    await example.stop();
    example.kill();
  }
});

test('SIGTERM to the primary: every in-flight request completes, then everything exits 0', { timeout: 60_000 }, async () => {
  const example = await startExample('examples/workers/main.ts', { WORKERS: '2' });
  try {
    const inFlight = Array.from({ length: 20 }, () => get(example.port, '/slow?ms=800', false));
    await sleep(300);
    const exited = example.stop('SIGTERM');
    const results = await Promise.allSettled(inFlight);
    const failed = results.filter((r) => r.status === 'rejected');
    assert.equal(failed.length, 0, `lost: ${failed.map((f) => (f as PromiseRejectedResult).reason).join('; ')}`);
    assert.equal(new Set(results.map((r) => (r as PromiseFulfilledResult<Answer>).value.pid)).size, 2);
    assert.equal(await exited, 0);
  } finally {
    example.kill();
  }
});

test('a worker that keeps crashing at start-up stops the app with a clear message', { timeout: 90_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/workers/main.ts'], {
    cwd: new URL('../../..', import.meta.url).pathname,
    env: { ...process.env, PORT: '0', WORKERS: '2', CRASH_AT_START: '1', BACKOFF_MS: '10', MAX_RESTARTS: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 1);
  assert.match(stderr, /worker \d \(pid \d+\) exited with code 1; restarting it in 10 ms/);
  assert.match(stderr, /died 2 times within 60000 ms \(last: code 1\): crash loop, stopping the app/);
});

test('Armature.create(M, { workers }): the primary builds no providers, every worker builds all of them', { timeout: 60_000 }, async () => {
  const example = await startExample('packages/core/test/workers-di.fixture.ts', { WORKERS: '2' });
  try {
    const answers = new Set<number>();
    for (let i = 0; i < 40 && answers.size < 2; i++) answers.add((await get(example.port, '/who', false)).pid);
    assert.equal(answers.size, 2);
    await example.stop();
    const built = [...example.stderr().matchAll(/Greeter built in (\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(new Set(built), answers, `built in ${built.join(', ')}`);
    assert.match(example.stderr(), /onModuleDestroy in \d+/);
  } finally {
    example.kill();
  }
});
