// Run by workers-sync.test.ts: a node:cluster primary (importing @armature/state is what starts
// its authority) and WORKERS workers. Each worker joins the state "counter", runs INCREMENTS
// concurrent update()s, waits until it has seen every worker's increments, and prints what it
// holds. Worker 1 then exits and is forked again: the new process must join at the latest version.
import cluster from 'node:cluster';
import { ReadState, workerSync } from '@armature/state';

const WORKERS = Number(process.env.WORKERS ?? 3);
const INCREMENTS = Number(process.env.INCREMENTS ?? 100);
const total = WORKERS * INCREMENTS;

interface Counter {
  n: number;
  by: Record<string, number>;
}

if (cluster.isPrimary) {
  let done = 0;
  const forkOne = (role: string) => cluster.fork({ ROLE: role });
  for (let i = 0; i < WORKERS; i++) forkOne('writer');
  cluster.on('message', (_worker, message: { report?: unknown; role?: string }) => {
    if (message?.report === undefined) return;
    console.log(JSON.stringify(message.report));
    if (message.role === 'writer' && ++done === WORKERS) forkOne('late');
    if (message.role === 'late') {
      for (const w of Object.values(cluster.workers ?? {})) w?.kill();
      setTimeout(() => process.exit(0), 100);
    }
  });
} else {
  const state = new ReadState<Counter>({ n: 0, by: {} }, { name: 'counter', sync: workerSync() });
  await state.ready;
  const me = String(cluster.worker!.id);
  const seen: number[] = [];
  state.subscribe((_, version) => seen.push(version));
  if (process.env.ROLE === 'writer') {
    await Promise.all(Array.from({ length: INCREMENTS }, () => state.update((d) => {
      d.n++;
      d.by[me] = (d.by[me] ?? 0) + 1;
    })));
    while (state.value.n < total) await new Promise((r) => setTimeout(r, 5));
  }
  const ordered = seen.every((v, i) => i === 0 || v > seen[i - 1]!);
  process.send!({ role: process.env.ROLE, report: { role: process.env.ROLE, worker: me, n: state.value.n, version: state.version, by: state.value.by, ordered, frozen: Object.isFrozen(state.value) } });
  if (process.env.ROLE === 'writer') await new Promise(() => {}); // stays a member until the primary ends
}
