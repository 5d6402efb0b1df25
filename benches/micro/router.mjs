#!/usr/bin/env node
// Router micro benchmark: Armature's RadixRouter against find-my-way and Hono's TrieRouter and
// RegExpRouter, in one run, on the GitHub-shaped table of benches/micro/routes.mjs.
//
//   npm run build && node --expose-gc benches/micro/router.mjs     (or: npm run bench:micro -- router)
//   env: ROUNDS (default 3), BATCH (lookups per call, default 4096), FRESH=0 to reuse path
//        strings, LRU_SIZE (default 1024) for the cache experiment, ONLY (regular expression on
//        the groups, e.g. ONLY='^full' or ONLY=miss), ISOLATE=0 (all groups in one process)
//
// Two suites:
//  - full (450 routes): armature, find-my-way, hono-trie, and armature+lru (an experiment: an
//    LRU cache of dynamic lookups in front of the tree, see LruRadix);
//  - regexp-subset (the routes Hono's RegExpRouter accepts, see regexpCompatible): the same
//    routers and hono-regexp, all on that subset.
//
// Kinds of lookup: static (routes without parameters), parametric (one sample path per dynamic
// route), miss (404s: extra segments, typos, unknown prefixes, and known paths under a method
// that lacks them), mix (all static + parametric samples and ~10% misses, shuffled), and
// param-varied (BATCH distinct parametric paths, ids and names varying as in real traffic: the
// case that decides whether a cache of dynamic lookups pays).
//
// Harness: mitata, through benches/micro/harness.mjs (each suite × kind in its own process,
// ROUNDS rounds, median of mitata's p50), so that what is timed is only the lookups:
//  - sanity pass first: every router must pick the same route for every query (Hono returns all
//    matching handlers in registration order; it passes when the expected one is among them),
//    and Armature's params must equal find-my-way's; every loop's hit count is checked;
//  - each router × kind gets its own copy of the lookup loop (new Function), so that call sites
//    stay monomorphic and one router's feedback cannot slow another's;
//  - a call is one pass over BATCH lookups on FRESH strings, sliced from a Buffer the way a server
//    gets them from a socket (a V8 string caches its hash, so reusing the same strings would
//    flatter hash maps); mitata makes them as a computed parameter, outside the timing.
//  Run it a few times: medians move by a few percent between runs, find-my-way's by more.
import FindMyWay from 'find-my-way';
import { TrieRouter } from 'hono/router/trie-router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { RadixRouter } from '../../packages/core/dist/router/index.js';
import { routes, samplePath } from './routes.mjs';
import { compare, inGroupProcess, selected, writeResults } from './harness.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const BATCH = Number(process.env.BATCH ?? 4096);
const FRESH = process.env.FRESH !== '0';
const LRU_SIZE = Number(process.env.LRU_SIZE ?? 1024);

// ---------------------------------------------------------------------------------------------
// Routers. Each route's value is its index in the table.

/**
 * Experiment: RadixRouter with an LRU cache for dynamic lookups (hits and misses), in front of
 * the tree walk and behind the static map, as it would sit inside the router. A cached match is
 * returned with a copy of its params (a shared mutable params object would leak between
 * requests). Per-method maps, so no key concatenation. Best case for a cache: the benchmark's
 * working set (< 600 distinct paths) fits in it; real traffic with ids in paths hits it less.
 */
class LruRadix {
  constructor(size) {
    this.router = new RadixRouter();
    this.size = size;
    this.caches = new Map();
  }
  add(method, path, value) {
    this.router.add(method, path, value);
    if (!this.caches.has(method)) this.caches.set(method, new Map());
  }
  find(method, path) {
    const table = this.router.tables.get(method);
    if (table === undefined) return null;
    const hit = table.statics.get(path);
    if (hit !== undefined) return hit;
    const cache = this.caches.get(method);
    const cached = cache.get(path);
    if (cached !== undefined) {
      cache.delete(path); // most recently used goes last
      cache.set(path, cached);
      return cached === MISS ? null : { value: cached.value, params: { ...cached.params } };
    }
    const m = this.router.find(method, path);
    if (cache.size >= this.size) cache.delete(cache.keys().next().value);
    cache.set(path, m === null ? MISS : m);
    return m === null ? null : { value: m.value, params: { ...m.params } };
  }
}
const MISS = { value: -1, params: {} };

const ROUTERS = {
  armature: () => ({ router: new RadixRouter(), call: 'router.find(m, p)', hit: 'r !== null', id: (r) => (r === null ? -1 : r.value), params: (r) => r?.params }),
  'find-my-way': () => ({ router: FindMyWay(), on: true, call: 'router.find(m, p)', hit: 'r !== null', id: (r) => (r === null ? -1 : r.store.id), params: (r) => r?.params }),
  'hono-trie': () => ({ router: new TrieRouter(), call: 'router.match(m, p)', hit: 'r[0].length !== 0', ids: (r) => r[0].map((h) => h[0]) }),
  'hono-regexp': () => ({ router: new RegExpRouter(), call: 'router.match(m, p)', hit: 'r[0].length !== 0', ids: (r) => r[0].map((h) => h[0]) }),
  [`armature+lru${LRU_SIZE}`]: () => ({ router: new LruRadix(LRU_SIZE), call: 'router.find(m, p)', hit: 'r !== null', id: (r) => (r === null ? -1 : r.value), params: (r) => r?.params }),
};

/** Routers for a table of [index, method, path] entries; each route's value is its index. */
function build(table, names) {
  return names.map((name) => {
    const r = { name, ...ROUTERS[name]() };
    for (const [i, method, path] of table) {
      if (r.on) r.router.on(method, path, () => {}, { id: i });
      else r.router.add(method, path, i);
    }
    return r;
  });
}

/**
 * Hono's RegExpRouter compiles all routes of a method into one regular expression and refuses
 * (UnsupportedPathError) a parameter next to static siblings it would have to order, e.g.
 * "/gists/:gist_id" beside "/gists/public" (Hono's SmartRouter then falls back to TrieRouter).
 * The largest prefix-greedy subset of the table it accepts gets a suite of its own.
 */
function regexpCompatible(table) {
  const kept = [];
  for (const entry of table) {
    const probe = new RegExpRouter();
    try {
      for (const [, m, p] of [...kept, entry]) probe.add(m, p, 0);
      probe.match('GET', '/'); // builds the matchers
      kept.push(entry);
    } catch {
      // rejected: leave it out
    }
  }
  return kept;
}

// ---------------------------------------------------------------------------------------------
// Queries

let seed = 42;
function random() {
  // mulberry32: deterministic, so every run times the same queries
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function shuffle(a) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function queries(table, reference) {
  const statics = [];
  const dynamic = [];
  for (const [i, method, path] of table) {
    const q = { method, path: samplePath(path, i), expect: i };
    (path.includes(':') || path.includes('*') ? dynamic : statics).push(q);
  }
  const misses = [];
  const seen = new Set();
  const methods = [...new Set(table.map(([, m]) => m))];
  const tryMiss = (method, path) => {
    const key = `${method} ${path}`;
    if (seen.has(key) || reference.find(method, path) !== null) return;
    seen.add(key);
    misses.push({ method, path, expect: -1 });
  };
  for (const q of [...statics, ...dynamic]) {
    const segments = q.path.split('/');
    tryMiss(q.method, `${q.path}/unknown`); // deeper than any route
    tryMiss(q.method, [...segments.slice(0, -1), `${segments.at(-1)}x`].join('/')); // typo in the last segment
    if (segments.length > 2) tryMiss(q.method, [...segments.slice(0, 2), 'nope', ...segments.slice(3)].join('/')); // typo in the middle
    tryMiss(q.method, `/v4${q.path}`); // unknown prefix
    tryMiss(methods[Math.floor(random() * methods.length)], q.path); // a method without that path (405)
  }
  const miss = shuffle(misses).slice(0, 200);
  const mix = shuffle([...statics, ...dynamic, ...miss.slice(0, Math.round((statics.length + dynamic.length) / 9))]);
  // BATCH distinct paths: as in real traffic, ids and names vary, and no path repeats within a batch
  const dynamicRoutes = table.filter(([, , path]) => path.includes(':') || path.includes('*'));
  const varied = [];
  for (let k = 0; k < BATCH; k++) {
    const [i, method, path] = dynamicRoutes[k % dynamicRoutes.length];
    varied.push({ method, path: samplePath(path, i, 1 + k), expect: i });
  }
  return { static: statics, parametric: dynamic, miss, mix, 'param-varied': varied };
}

// ---------------------------------------------------------------------------------------------
// Sanity: all routers agree on every query

function lookup(r, q) {
  return r.on || r.router instanceof RadixRouter || r.router instanceof LruRadix ? r.router.find(q.method, q.path) : r.router.match(q.method, q.path);
}

function sanity(suite) {
  const { routers, sets } = suite;
  const armature = routers.find((r) => r.name === 'armature');
  const fmw = routers.find((r) => r.name === 'find-my-way');
  let honoNotFirst = 0;
  let checked = 0;
  for (const [kind, qs] of Object.entries(sets)) {
    for (const q of qs) {
      for (const r of routers) {
        const result = lookup(r, q);
        if (r.ids) {
          const ids = r.ids(result);
          const ok = q.expect === -1 ? ids.length === 0 : ids.includes(q.expect);
          if (!ok) throw new Error(`sanity (${suite.name}, ${kind}): ${r.name} ${q.method} ${q.path} → [${ids}], expected ${q.expect} (${routes[q.expect]?.join(' ')})`);
          if (ids.length > 1 && ids[0] !== q.expect) honoNotFirst++;
        } else if (r.id(result) !== q.expect) {
          throw new Error(`sanity (${suite.name}, ${kind}): ${r.name} ${q.method} ${q.path} → ${r.id(result)}, expected ${q.expect}`);
        }
        checked++;
      }
      const a = armature.params(lookup(armature, q));
      const f = fmw.params(lookup(fmw, q));
      if (JSON.stringify({ ...a }) !== JSON.stringify({ ...f })) {
        throw new Error(`sanity: params differ for ${q.method} ${q.path}: armature ${JSON.stringify(a)}, find-my-way ${JSON.stringify(f)}`);
      }
    }
  }
  return { checked, honoNotFirst };
}

// ---------------------------------------------------------------------------------------------
// Timing

/** A batch of `size` lookups cycling through `qs`, with its paths packed into one Buffer. */
function batch(qs, size = BATCH) {
  const methods = [];
  const paths = [];
  let hits = 0;
  for (let i = 0; i < size; i++) {
    const q = qs[i % qs.length];
    methods.push(q.method);
    paths.push(q.path);
    if (q.expect !== -1) hits++;
  }
  const buf = Buffer.from(paths.join(''), 'latin1');
  const offsets = [];
  let at = 0;
  for (const p of paths) offsets.push((at += p.length));
  return { methods, paths, buf, offsets, hits };
}

/** Fresh, flat, hash-less strings, as a server would slice them from socket bytes. */
function freshPaths(b) {
  if (!FRESH) return b.paths;
  const out = new Array(b.paths.length);
  let start = 0;
  for (let i = 0; i < out.length; i++) {
    const end = b.offsets[i];
    out[i] = b.buf.latin1Slice(start, end);
    start = end;
  }
  return out;
}

/** One lookup loop per router × kind: its own code, so its own type feedback. */
function makeLoop(r) {
  return new Function(
    'router',
    'methods',
    'paths',
    `let hits = 0;
     const n = paths.length;
     for (let i = 0; i < n; i++) {
       const m = methods[i];
       const p = paths[i];
       const r = ${r.call};
       if (${r.hit}) hits++;
     }
     return hits;`,
  );
}

const KINDS = ['static', 'parametric', 'miss', 'mix', 'param-varied'];

function makeSuite(name, table, names) {
  const routers = build(table, names);
  const sets = queries(table, routers[0].router);
  const suite = { name, table, routers, sets };
  const { checked, honoNotFirst } = sanity(suite);
  if (!inGroupProcess) {
    console.error(
      `${name}: ${table.length} routes; queries: ${KINDS.map((k) => `${k} ${sets[k].length}`).join(', ')}; ` +
        `sanity: ${checked} lookups agree (Hono lists another matching route first for ${honoNotFirst})`,
    );
  }
  return suite;
}

const full = routes.map(([m, p], i) => [i, m, p]);
const suites = [
  makeSuite('full', full, ['armature', 'find-my-way', 'hono-trie', `armature+lru${LRU_SIZE}`]),
  makeSuite('regexp-subset', regexpCompatible(full), ['armature', 'find-my-way', 'hono-trie', 'hono-regexp']),
];

// One mitata case per suite × kind × router; a call is one pass over BATCH lookups, on fresh
// path strings made by a mitata computed parameter (not timed).
const cases = [];
for (const suite of suites) {
  for (const kind of KINDS) {
    const b = batch(suite.sets[kind]);
    for (const r of suite.routers) {
      const loop = makeLoop(r);
      const hits = loop(r.router, b.methods, freshPaths(b));
      if (hits !== b.hits) throw new Error(`${suite.name} ${r.name} ${kind}: ${hits} hits, expected ${b.hits}`);
      cases.push({
        group: `${suite.name}: ${kind}`,
        name: r.name,
        ops: BATCH,
        *fn() {
          yield { [0]: () => freshPaths(b), bench: (paths) => loop(r.router, b.methods, paths) };
        },
      });
    }
  }
}

// Adversarial paths: almost-matching paths on routes with several parameters in one segment, the
// case that made a backtracking walk polynomial (1 s for the first, minutes for 8 KiB). Each is
// a group of its own with a plain parametric lookup as the yardstick ("plain"), for Armature and
// find-my-way (both answer null to all of them: find-my-way refuses values over its
// maxParamLength, 100, as Armature does). ADV_BATCH lookups per call.
const ADV_BATCH = Number(process.env.ADV_BATCH ?? 16);
const ADVERSARIAL_ROUTES = [
  [0, 'GET', '/users/:id'],
  [1, 'GET', '/dates/:y-:m-:d/events'],
  [2, 'GET', '/v/:a.:b.:c.:d.:e/x'],
  [3, 'GET', '/m/:a-:b/:c-:d/:e-:f/end'],
  [4, 'GET', '/w/:a-:b/*'],
];
const ADVERSARIAL_PATHS = {
  plain: ['/users/42', 0],
  'dates, 1200 dashes': [`/dates/${'-'.repeat(1200)}/x`, -1],
  'dates, 8 KiB': [`/dates/${'-'.repeat(8192)}/x`, -1],
  'dates, 95 dashes': [`/dates/${'-'.repeat(95)}/x`, -1],
  'five params, 400 dots': [`/v/${'.'.repeat(400)}/y`, -1],
  'three segments of 90': [`/m/${'-'.repeat(90)}/${'-'.repeat(90)}/${'-'.repeat(90)}/x`, -1],
  'wildcard behind 4000 dashes': [`/w/${'-'.repeat(4000)}/${'a/'.repeat(2000)}`, -1],
};
const adversarialRouters = build(ADVERSARIAL_ROUTES, ['armature', 'find-my-way']);
for (const [kind, [path, expect]] of Object.entries(ADVERSARIAL_PATHS)) {
  const qs = [{ method: 'GET', path, expect }];
  for (const r of adversarialRouters) {
    if (r.id(lookup(r, qs[0])) !== expect) throw new Error(`sanity (adversarial, ${kind}): ${r.name} → ${r.id(lookup(r, qs[0]))}, expected ${expect}`);
  }
  const b = batch(qs, ADV_BATCH);
  for (const r of adversarialRouters) {
    const loop = makeLoop(r);
    cases.push({
      group: `adversarial: ${kind}`,
      name: r.name,
      ops: ADV_BATCH,
      *fn() {
        yield { [0]: () => freshPaths(b), bench: (paths) => loop(r.router, b.methods, paths) };
      },
    });
  }
}

const measured = await compare(selected(cases), {
  title: `Router lookups, ns per lookup: Armature vs find-my-way and Hono (${FRESH ? 'fresh' : 'reused'} path strings, Node ${process.version})`,
  reference: 'find-my-way',
  rounds: ROUNDS,
});
if (inGroupProcess) process.exit(0);

const results = {};
for (const m of measured) {
  const [suite, kind] = m.group.split(': ');
  ((results[suite] ??= {})[m.name] ??= {})[kind] = { median: m.nsPerOp, p25: m.p25, p75: m.p75 };
}
const speedups = {};
console.log(`\nMedian ns per lookup, batches of ${BATCH}. "vs fmw" = find-my-way's time / this router's time.`);
for (const suite of suites) {
  const res = results[suite.name];
  if (res === undefined) continue;
  const kinds = KINDS.filter((k) => res['find-my-way']?.[k] !== undefined);
  const fmw = res['find-my-way'];
  const lines = [
    `| router | ${kinds.map((k) => `${k} ns`).join(' | ')} | ${kinds.map((k) => `${k} vs fmw`).join(' | ')} |`,
    `|---|${kinds.map(() => '---:').join('|')}|${kinds.map(() => '---:').join('|')}|`,
  ];
  speedups[suite.name] = {};
  for (const r of suite.routers) {
    const row = res[r.name];
    speedups[suite.name][r.name] = Object.fromEntries(kinds.map((k) => [k, +(fmw[k].median / row[k].median).toFixed(2)]));
    lines.push(`| ${r.name} | ${kinds.map((k) => row[k].median.toFixed(1)).join(' | ')} | ${kinds.map((k) => `${(fmw[k].median / row[k].median).toFixed(2)}×`).join(' | ')} |`);
  }
  console.log(`\n${suite.name}: ${suite.table.length} routes\n\n${lines.join('\n')}`);
}

const adversarial = {};
for (const m of measured) {
  if (!m.group.startsWith('adversarial: ')) continue;
  (adversarial[m.group.slice('adversarial: '.length)] ??= {})[m.name] = m.nsPerOp;
}
if (adversarial.plain !== undefined) {
  console.log(`\nAdversarial paths (${ADV_BATCH} lookups per call): ns per lookup, and its cost in plain lookups ("/users/42") of the same router.\n`);
  console.log('| path | armature ns | find-my-way ns | armature / plain | find-my-way / plain | find-my-way / armature |\n|---|---:|---:|---:|---:|---:|');
  for (const [kind, row] of Object.entries(adversarial)) {
    const a = row.armature;
    const f = row['find-my-way'];
    console.log(`| ${kind} | ${a.toFixed(0)} | ${f.toFixed(0)} | ${(a / adversarial.plain.armature).toFixed(0)}× | ${(f / adversarial.plain['find-my-way']).toFixed(0)}× | ${(f / a).toFixed(2)}× |`);
  }
}

writeResults('router', ROUNDS, {
  batch: BATCH,
  freshStrings: FRESH,
  unit: 'ns per lookup: median over the rounds of mitata\'s p50 (p25/p75 likewise), batches of BATCH lookups',
  suites: Object.fromEntries(suites.map((s) => [s.name, { routes: s.table.length, queries: Object.fromEntries(KINDS.map((k) => [k, s.sets[k].length])) }])),
  results,
  speedupVsFindMyWay: speedups,
  adversarial: { lookupsPerCall: ADV_BATCH, routes: ADVERSARIAL_ROUTES.map(([, m, p]) => `${m} ${p}`), nsPerLookup: adversarial },
});
