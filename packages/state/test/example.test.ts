// examples/state: a flag changed through one worker is served by every worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startExample } from '../../core/test/example-process.js';
import { REDIS_URL, redisUnreachable } from '../../../scripts/test-support/redis-probe.js';

interface FlagsAnswer {
  flags: Record<string, boolean>;
  version: number;
  worker: number;
}

test('the feature-flag example: a change through one worker reaches the other', async () => {
  const example = await startExample('examples/state/main.ts', { WORKERS: '2' });
  try {
    const base = `http://127.0.0.1:${example.port}`;
    const put = await fetch(`${base}/flags/new-checkout`, { method: 'PUT', headers: { 'content-type': 'application/json', connection: 'close' }, body: '{"enabled":true}' });
    assert.equal(put.status, 200);
    const written = (await put.json()) as FlagsAnswer;
    assert.equal(written.version, 1);
    // fresh connections until both workers have answered
    const seen = new Map<number, FlagsAnswer>();
    for (let i = 0; i < 100 && seen.size < 2; i++) {
      const r = await fetch(`${base}/flags`, { headers: { connection: 'close' } });
      const a = (await r.json()) as FlagsAnswer;
      seen.set(a.worker, a);
    }
    assert.equal(seen.size, 2, 'both workers answered');
    for (const a of seen.values()) {
      assert.equal(a.flags['new-checkout'], true, `worker ${a.worker}`);
      assert.equal(a.version, 1);
    }
    // /products: the second GET on a worker is a hit; adding a product invalidates every worker's copy
    const loads = new Map<number, number>();
    for (let i = 0; i < 100 && loads.size < 2; i++) {
      const r = await fetch(`${base}/products`, { headers: { connection: 'close' } });
      const a = (await r.json()) as { worker: number; loads: number; products: string[] };
      if (loads.has(a.worker)) assert.equal(a.loads, loads.get(a.worker), `worker ${a.worker} answered from its cache`);
      else loads.set(a.worker, a.loads);
    }
    assert.equal(loads.size, 2);
    const added = await fetch(`${base}/products`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: '{"name":"pear"}' });
    assert.equal(added.status, 200);
    // the product list itself lives in the process that took the POST (a database would be shared):
    // what every worker shows is that its cached answer is gone (a fresh load)
    const fresh = new Set<number>();
    for (let i = 0; i < 100 && fresh.size < 2; i++) {
      const a = (await (await fetch(`${base}/products`, { headers: { connection: 'close' } })).json()) as { worker: number; loads: number };
      if (a.loads > loads.get(a.worker)!) fresh.add(a.worker);
    }
    assert.equal(fresh.size, 2, 'both workers dropped their cached answer');
    const checkout = await fetch(`${base}/checkout`);
    assert.deepEqual(await checkout.json(), { checkout: 'new' });
    const bad = await fetch(`${base}/flags/Bad%20Name`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"enabled":true}' });
    assert.equal(bad.status, 400);
    const notBool = await fetch(`${base}/flags/beta`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"enabled":"yes"}' });
    assert.equal(notBool.status, 400);
    assert.equal(await example.stop('SIGTERM'), 0);
  } finally {
    example.kill();
  }
});

test('the feature-flag example with REDIS_URL: two processes share the flags through Redis', async (t) => {
  const reason = await redisUnreachable('the example across two processes');
  if (reason !== null) return t.skip(reason);
  const url = REDIS_URL;
  const { Redis } = await import('ioredis');
  const probe = new Redis(url);
  const name = `example-flags-${process.pid}-${Date.now()}`;
  const env = { REDIS_URL: url, WORKERS: '0', FLAGS_NAME: name };
  const [one, two] = await Promise.all([startExample('examples/state/main.ts', env), startExample('examples/state/main.ts', env)]);
  try {
    const put = await fetch(`http://127.0.0.1:${one.port}/flags/beta`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"enabled":true}' });
    assert.equal(put.status, 200);
    const { version } = (await put.json()) as FlagsAnswer;
    let seen: FlagsAnswer | null = null;
    for (let i = 0; i < 100; i++) {
      seen = (await (await fetch(`http://127.0.0.1:${two.port}/flags`)).json()) as FlagsAnswer;
      if (seen.version === version) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(seen!.flags.beta, true);
    assert.equal(seen!.version, version);
    assert.equal(await one.stop('SIGTERM'), 0);
    assert.equal(await two.stop('SIGTERM'), 0);
  } finally {
    one.kill();
    two.kill();
    await probe.del(`armature:state:{${name}}`, `armature:state:{${name}}:ids`);
    probe.disconnect();
  }
});
