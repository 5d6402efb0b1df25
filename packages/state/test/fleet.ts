// A fleet of processes sharing one state (fleet.fixture.ts): starts `size` of them, runs
// `whileRunning` once all have joined, and resolves with each one's report; and the checks every
// transport passes in one process (lateJoiner).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { ReadState, type StateSync } from '@armature/state';

export interface Report {
  me: string;
  n: number;
  version: number;
  mine: number;
  backwards: number;
  missing: number;
  readsWhileDown: number;
  logs: string[];
}

/** Starts one fleet member; resolves with its report when it exits. */
function member(env: Record<string, string>, started: () => void): Promise<Report> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./fleet.fixture.ts', import.meta.url).pathname], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b;
    if (out.startsWith('ready\n')) started();
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop()!;
      if (code !== 0) reject(new Error(`fleet member exited with ${code}: ${out}`));
      else resolve(JSON.parse(last) as Report);
    });
  });
}

export async function fleet(size: number, env: Record<string, string>, whileRunning?: () => Promise<void>): Promise<Report[]> {
  let ready = 0;
  let allReady!: () => void;
  const readyAll = new Promise<void>((r) => (allReady = r));
  const reports = Array.from({ length: size }, () => member(env, () => ++ready === size && allReady()));
  await Promise.race([readyAll, Promise.all(reports)]);
  if (whileRunning !== undefined) await whileRunning();
  return Promise.all(reports);
}

/**
 * Two states of one name on a transport: b joins after a wrote and gets a's snapshot, a hears
 * b's update, and a value JSON cannot carry is refused. Resolves with both (open).
 */
export async function lateJoiner(name: string, sync: () => StateSync): Promise<[ReadState<{ mode: string }>, ReadState<{ mode: string }>]> {
  const a = new ReadState({ mode: 'a' }, { name, sync: sync() });
  await a.ready;
  await a.set({ mode: 'b' });
  const b = new ReadState({ mode: 'initial' }, { name, sync: sync() });
  await b.ready;
  assert.deepEqual(b.value, { mode: 'b' });
  assert.equal(b.version, 1);
  const heard = new Promise<number>((r) => a.subscribe((_, v) => r(v)));
  await b.update((d) => void (d.mode = 'c'));
  assert.equal(await heard, 2);
  assert.deepEqual(a.value, { mode: 'c' });
  await assert.rejects(a.set({ mode: 1n } as never), /BigInt/);
  return [a, b];
}
