// workerSync() with real worker processes (node:cluster): concurrent writers in three workers
// lose no update, every worker converges on the same version, versions arrive in order, and a
// worker started later joins at the latest version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { ReadState, workerSync } from '@armature/state';

test('three workers incrementing at once: no lost update, one order, a late worker catches up', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./workers-sync.fixture.ts', import.meta.url).pathname], {
    env: { ...process.env, WORKERS: '3', INCREMENTS: '100' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, out);
  const reports = out.trim().split('\n').map((l) => JSON.parse(l) as { role: string; worker: string; n: number; version: number; by: Record<string, number>; ordered: boolean; frozen: boolean });
  const writers = reports.filter((r) => r.role === 'writer');
  assert.equal(writers.length, 3);
  for (const r of writers) {
    assert.equal(r.n, 300, `worker ${r.worker} sees every increment`);
    assert.equal(r.version, 300, `worker ${r.worker}: one version per accepted write`);
    assert.deepEqual(Object.values(r.by).sort(), [100, 100, 100]);
    assert.ok(r.ordered, `worker ${r.worker} saw versions in order`);
    assert.ok(r.frozen);
  }
  const late = reports.find((r) => r.role === 'late')!;
  assert.equal(late.n, 300, 'the late worker joined at the latest snapshot');
  assert.equal(late.version, Math.max(...writers.map((r) => r.version)));
});

test('outside workers, states of one name in one process share the in-process authority', async () => {
  const a = new ReadState({ hits: 0 }, { name: 'in-process', sync: workerSync() });
  const b = new ReadState({ hits: 0 }, { name: 'in-process', sync: workerSync() });
  await Promise.all([a.ready, b.ready]);
  await Promise.all([
    ...Array.from({ length: 50 }, () => a.update((d) => void d.hits++)),
    ...Array.from({ length: 50 }, () => b.update((d) => void d.hits++)),
  ]);
  assert.equal(a.value.hits, 100);
  assert.equal(b.value.hits, 100);
  assert.equal(a.version, b.version);
  // set() is last-writer-wins, in the authority's order
  await b.set({ hits: -1 });
  assert.equal(a.value.hits, -1);
  await a.close();
  await b.set({ hits: 7 });
  assert.equal(a.value.hits, -1, 'a closed state no longer hears updates');
});
