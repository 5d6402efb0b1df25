#!/usr/bin/env node
// Flame graph of the Armature TechEmpower server under load (issue "Profiling").
//
//   npm run flame -- <test>        test: plaintext json db queries fortunes updates cached-queries
//   DURATION=3 OUT_DIR=.ci/artifacts npm run flame -- json       (short, for CI)
//
// The server runs on core 0 under a profiler, wrk (else autocannon; LOAD_TOOL to choose) on
// core 1, 127.0.0.1 only: first a warm-up (WARMUP s, not profiled), then the measured run
// (DURATION s). Only the samples taken during the measured run are drawn. Writes <OUT_DIR>/flame-<test>.svg (interactive: hover, click to
// zoom, search), .folded (the stacks as text) and, with the V8 profiler, .cpuprofile (opens in
// Chrome DevTools' Performance panel). See docs/profiling.md.
//
// env: DURATION (10) WARMUP (2) CONNECTIONS (100) DEPTH (pipelining; 16 for plaintext, else 1)
//      FRAMEWORK (armature; any benches/techempower/<name>.ts, e.g. fastify, to compare)
//      PROFILER (v8 | perf)  INTERVAL (V8 sampling interval, µs, 500)  PERF_FREQ (Hz, 999)
//      DB_DRIVER (pg | postgres)  DB_POOL (16)  DB_CORE (1: a local PostgreSQL's core; none)
//      NODE_FLAGS (extra flags for the server, e.g. "--max-semi-space-size=32")
//      OUT_DIR (benches/results)  PORT (a free one)
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { databaseUrl, freePort, has, load, loadTool, probe, root, startServer } from './lib/load.mjs';
import { CATEGORIES, foldCpuProfile, formatFolded, renderFlameGraph, summarize } from '@armature/observability/flame';
import { foldPerfScript, newestPerfMap } from './flame/perf.ts';
import { pinDatabase } from './lib/pin-db.mjs';

const TESTS = {
  plaintext: { path: '/plaintext', depth: 16 },
  json: { path: '/json', depth: 1 },
  db: { path: '/db', depth: 1 },
  queries: { path: '/queries?queries=20', depth: 1 },
  fortunes: { path: '/fortunes', depth: 1 },
  updates: { path: '/updates?queries=20', depth: 1 },
  'cached-queries': { path: '/cached-queries?count=100', depth: 1 },
};

const testName = process.argv[2];
const test = TESTS[testName];
if (test === undefined) {
  console.error(`usage: npm run flame -- <${Object.keys(TESTS).join('|')}>`);
  process.exit(2);
}
const env = process.env;
const duration = Number(env.DURATION ?? 10);
const warmup = Number(env.WARMUP ?? 2);
const connections = Number(env.CONNECTIONS ?? 100);
const depth = Number(env.DEPTH ?? test.depth);
// armature-db.ts (the database tests) was merged into armature.ts
const framework = env.FRAMEWORK === 'armature-db' && !existsSync(join(root, 'benches/techempower/armature-db.ts')) ? 'armature' : env.FRAMEWORK ?? 'armature';
const profiler = env.PROFILER ?? 'v8';
const interval = Number(env.INTERVAL ?? 500);
const perfFreq = Number(env.PERF_FREQ ?? 999);
const extraFlags = (env.NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
const outDir = resolve(root, env.OUT_DIR ?? 'benches/results');
if (profiler !== 'v8' && profiler !== 'perf') {
  console.error(`PROFILER must be v8 or perf, not "${profiler}"`);
  process.exit(2);
}
if (profiler === 'perf' && !has('perf')) {
  console.error('PROFILER=perf needs linux-perf (apt-get install linux-perf); PROFILER=v8 needs nothing');
  process.exit(2);
}
const appFile = join(root, 'benches/techempower', `${framework}.ts`);
if (!existsSync(appFile)) {
  console.error(`FRAMEWORK "${framework}": no ${appFile}`);
  process.exit(2);
}
const name = `flame-${testName}${framework === 'armature' ? '' : `-${framework}`}${profiler === 'perf' ? '-perf' : ''}`;

/** µs on the monotonic clock, the one V8 stamps its samples with. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

const tool = loadTool(); // wrk, else autocannon
const port = Number(env.PORT ?? (await freePort()));
const url = `http://127.0.0.1:${port}${test.path}`;
const work = mkdtempSync(join(tmpdir(), 'armature-flame-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true })); // on failures too
const nodeArgs = profiler === 'v8'
  ? ['--cpu-prof', `--cpu-prof-dir=${work}`, `--cpu-prof-interval=${interval}`, ...extraFlags]
  : ['--perf-basic-prof', '--interpreted-frames-native-stack', ...extraFlags];

// the database tests: PostgreSQL on the load generator's core, as bench:compare runs them
if (!['plaintext', 'json'].includes(testName)) console.error(pinDatabase(databaseUrl()));
console.error(`${name}: ${framework} ${test.path}, ${profiler} profiler, warm-up ${warmup} s, profiled ${duration} s, ${connections} connections, pipelining ${depth}${extraFlags.length ? `, ${extraFlags.join(' ')}` : ''}`);
const server = await startServer(appFile, { port, nodeArgs, env: { NODE_ENV: 'production' } });
let result;
let window;
let perf;
try {
  // one GET first: a 404 or a database that is not there stops the run instead of being profiled
  const status = await probe(port, test.path);
  if (status !== 200) throw new Error(`GET ${url} answered ${status}`);
  if (warmup > 0) await load(tool, url, { connections, duration: warmup, depth });
  if (profiler === 'perf') {
    const data = join(work, 'perf.data');
    const argv = ['perf', 'record', '-F', String(perfFreq), '-g', '-p', String(server.serverPid ?? server.pid), '-o', data, '--', 'sleep', String(duration)];
    const child = spawn(has('taskset') ? 'taskset' : argv[0], has('taskset') ? ['-c', '1', ...argv] : argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (d) => (errors += d));
    perf = { data, done: new Promise((ok) => child.once('exit', (code) => ok({ code, errors }))) };
  }
  window = { from: nowUs() };
  result = await load(tool, url, { connections, duration, depth });
  window.to = nowUs();
  if (perf !== undefined) {
    const { code, errors } = await perf.done;
    if (code !== 0) throw new Error(`perf record failed (${code}): ${errors.trim()}`);
  }
} finally {
  await server.stop(); // SIGTERM: the app closes and exits, and V8 writes its profile
}

mkdirSync(outDir, { recursive: true });
let stacks;
let msPerSample;
let note;
if (profiler === 'v8') {
  // the main thread's profile: CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile, thread 0
  // (tsx's module loader runs in a worker thread, which writes one of its own)
  const file = readdirSync(work).find((f) => /\.0\.\d+\.cpuprofile$/.test(f));
  if (file === undefined) throw new Error(`no main-thread .cpuprofile in ${work}: did the server exit cleanly?`);
  const profile = JSON.parse(readFileSync(join(work, file), 'utf8'));
  const folded = foldCpuProfile(profile, { ...window, root });
  if (folded.samples === 0) throw new Error('no sample falls inside the load window');
  copyFileSync(join(work, file), join(outDir, `${name}.cpuprofile`));
  stacks = folded.stacks;
  msPerSample = folded.durationUs / 1000 / folded.samples;
  note = `${folded.samples} samples of ${folded.profileSamples} (the load window), one per ~${(msPerSample * 1000).toFixed(0)} µs`;
} else {
  const map = `/tmp/perf-${server.serverPid ?? server.pid}.map`; // written by --perf-basic-prof; perf script reads it
  process.on('exit', () => rmSync(map, { force: true }));
  if (existsSync(map)) writeFileSync(map, newestPerfMap(readFileSync(map, 'utf8')));
  const script = spawnSync('perf', ['script', '-i', perf.data], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (script.status !== 0) throw new Error(`perf script failed: ${script.stderr}`);
  stacks = foldPerfScript(script.stdout, root);
  const samples = [...stacks.values()].reduce((a, b) => a + b, 0);
  msPerSample = 1000 / perfFreq;
  note = `${samples} samples at ${perfFreq} Hz, all threads`;
}

const rps = Math.round(result.rps).toLocaleString('en-US');
const svg = renderFlameGraph(stacks, {
  title: `Armature flame graph: ${testName} (${framework}, ${profiler === 'v8' ? 'V8 --cpu-prof' : 'perf + --perf-basic-prof'})`,
  subtitle: `GET ${test.path}, ${connections} connections, pipelining ${depth}, ${duration} s: ${rps} req/s under the profiler; ${note}; Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z`,
  msPerSample,
});
writeFileSync(join(outDir, `${name}.svg`), svg);
writeFileSync(join(outDir, `${name}.folded`), formatFolded(stacks));

const summary = summarize(stacks);
console.log(`\n${rps} req/s (non-2xx ${result.non2xx}${result.socketErrors ? `, socket errors ${result.socketErrors}` : ''}); ${note}`);
console.log(`self time by kind: ${CATEGORIES.filter((c) => summary.categories[c] > 0).map((c) => `${c} ${(100 * summary.categories[c]).toFixed(1)}%`).join(', ')}`);
console.log('top frames by self time:');
for (const t of summary.top) console.log(`  ${(100 * t.share).toFixed(1).padStart(5)}%  ${t.frame}`);
console.log(`\nwrote ${join(outDir, `${name}.svg`)} (and .folded${profiler === 'v8' ? ', .cpuprofile' : ''})`);
