#!/usr/bin/env node
// Micro benchmark of @armature/state (the BUILT package: `npm run build` first).
//   npm run bench:micro -- state      (or: taskset -c 1 node --expose-gc benches/micro/state.mjs)
//   env: ROUNDS (default 3), ONLY (regular expression on the groups), ISOLATE=0 (one process)
// 1. Reading a feature flag: `flags.value.beta` on a ReadState against the same read of a plain
//    object holding its snapshot in a field (the reference) and a Map get (eight of each, read in
//    turn, so that no read can be hoisted). Target of issue 17: within 1.2× of the plain read.
// 2. A cache hit on 1,000 keys: ReadCache.get (SIEVE) against Map.get (the floor, no bound) and
//    lru-cache's get (LRU: reorders on every hit).
// 3. Not timed: the hit ratio of a bounded cache (1,000 entries) on a Zipf-like stream over
//    10,000 keys, ReadCache (SIEVE) against lru-cache (LRU), the same stream for both.
// Harness: mitata through benches/micro/harness.mjs (each group in its own process, ROUNDS
// rounds, median of mitata's p50). Results: benches/results/state.json.
import { ReadCache, ReadState } from '../../packages/state/dist/index.js';
import { LRUCache } from 'lru-cache';
import { compare, do_not_optimize, inGroupProcess, selected, writeResults } from './harness.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const cases = [];

// ---- 1. reading a flag -----------------------------------------------------------------------
// Eight of each, read in turn, so that the JIT cannot hoist one read out of the loop: the plain
// reference is a snapshot held in a field of a plain object (what an app swaps by hand), read
// the same way as the ReadState's.
const FLAGS = { beta: true, newCheckout: false, limits: { rps: 100 }, regions: ['eu', 'us'] };
const plains = Array.from({ length: 8 }, () => ({ value: structuredClone(FLAGS), version: 2 }));
const states = [];
for (let i = 0; i < 8; i++) {
  const s = new ReadState(structuredClone(FLAGS));
  await s.update((d) => void (d.limits.rps = 99)); // states that have been written
  await s.update((d) => void (d.limits.rps = 100));
  states.push(s);
}
const maps = Array.from({ length: 8 }, () => new Map(Object.entries(structuredClone(FLAGS))));
const READ = 'read one flag';
// Each case is a function of its own (new Function), so that its call site sees one shape.
const reader = (body, srcs) => new Function('srcs', 'keep', `let i = 0; return () => keep(${body});`)(srcs, do_not_optimize);
cases.push({ group: READ, name: 'plain object', fn: reader('srcs[(i = (i + 1) & 7)].value.beta', plains) });
cases.push({ group: READ, name: 'ReadState', fn: reader('srcs[(i = (i + 1) & 7)].value.beta', states) });
cases.push({ group: READ, name: 'Map get', fn: reader("srcs[(i = (i + 1) & 7)].get('beta')", maps) });

// ---- 2. a cache hit ----------------------------------------------------------------------------
const KEYS = Array.from({ length: 1000 }, (_, i) => `user:${(i * 7919) % 100000}`);
const readCache = new ReadCache({ max: 2000 });
const lru = new LRUCache({ max: 2000 });
const hitMap = new Map();
for (const k of KEYS) {
  readCache.set(k, { id: k });
  lru.set(k, { id: k });
  hitMap.set(k, { id: k });
}
const HIT = 'cache hit, 1,000 keys';
const hitter = (src) => new Function('src', 'keys', 'keep', 'let i = 0; return () => keep(src.get(keys[(i = (i + 1) % keys.length)]));')(src, KEYS, do_not_optimize);
cases.push({ group: HIT, name: 'Map get', fn: hitter(hitMap) });
cases.push({ group: HIT, name: 'ReadCache', fn: hitter(readCache) });
cases.push({ group: HIT, name: 'lru-cache', fn: hitter(lru) });

const measured = await compare(selected(cases), {
  title: `@armature/state, ns per read: ReadState vs a plain object and a Map; ReadCache vs Map and lru-cache (Node ${process.version})`,
  reference: 'plain object',
  rounds: ROUNDS,
});
if (inGroupProcess) process.exit(0);

// ---- 3. hit ratio (not timed) --------------------------------------------------------------------
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
// Zipf-like with exponent ~1 over 10,000 keys (inverse transform on a harmonic CDF), 200,000 requests
const N = 10_000;
const cdf = [];
let h = 0;
for (let k = 1; k <= N; k++) cdf.push((h += 1 / k));
const draw = () => {
  const u = rnd() * h;
  let lo = 0;
  let hi = N - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};
const stream = Array.from({ length: 200_000 }, draw);
function hitRatio(cache) {
  let hits = 0;
  for (const k of stream) {
    if (cache.get(k) !== undefined) hits++;
    else cache.set(k, k + 1);
  }
  return +(hits / stream.length).toFixed(4);
}
const ratio = { ReadCache: hitRatio(new ReadCache({ max: 1000 })), 'lru-cache': hitRatio(new LRUCache({ max: 1000 })) };

const ns = (group, name) => measured.find((m) => m.group === group && m.name === name)?.nsPerOp;
const per = (a, b) => (a === undefined || b === undefined ? null : +(a / b).toFixed(2));
const figures = {
  readStateOverPlainRead: per(ns(READ, 'ReadState'), ns(READ, 'plain object')),
  mapGetOverPlainRead: per(ns(READ, 'Map get'), ns(READ, 'plain object')),
  readCacheOverMapGet: per(ns(HIT, 'ReadCache'), ns(HIT, 'Map get')),
  lruCacheOverReadCache: per(ns(HIT, 'lru-cache'), ns(HIT, 'ReadCache')),
  hitRatioZipf1000of10000: ratio,
};
console.log(`\nReadState read ÷ plain read: ${figures.readStateOverPlainRead}× (target ≤ 1.2×); Map get ÷ plain read: ${figures.mapGetOverPlainRead}×`);
console.log(`ReadCache hit ÷ Map get: ${figures.readCacheOverMapGet}×; lru-cache hit ÷ ReadCache hit: ${figures.lruCacheOverReadCache}×`);
console.log(`hit ratio, 1,000 entries, Zipf over 10,000 keys: ReadCache (SIEVE) ${ratio.ReadCache}, lru-cache (LRU) ${ratio['lru-cache']}`);
writeResults('state', ROUNDS, { results: measured, figures, notes: 'Reads of a field that is true; hits on 1,000 present keys, rotating; the hit ratio is not timed.' });
