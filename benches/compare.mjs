#!/usr/bin/env node
// Comparison runner (issue #5): every TechEmpower test type on every framework, server on core 0,
// load generator on core 1, 127.0.0.1 only. Interleaved rounds (each round starts each framework
// in turn), median reported, ratios against Fastify, peak RSS of the server process.
//   npm run bench:compare
//   env: FRAMEWORKS=armature,fastify  TESTS=plaintext,json  ROUNDS=3  DURATION=3 (s)  WARMUP=1 (s)
//        CONNECTIONS=100  REFERENCE=fastify  LOAD_TOOL=wrk|autocannon  PORT (default: a free one)
//        DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)  DB_DRIVER=pg|postgres  DB_POOL=16
//        DB_CORE=1 (where a local PostgreSQL runs during the run; none to leave it)  OUT=compare (a name, or a path)
// Writes benches/results/<OUT>.json and <OUT>.svg (OUT is compare-subset when FRAMEWORKS or TESTS is set).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { databaseUrl as databaseUrlFromEnv, envList, envNumber, freePort, loadTool, measureRounds, root, startFramework } from './lib/load.mjs';
import { chartGroups, compareRows, markdownTable, summarize } from './lib/report.mjs';
import { barChart } from './lib/svg.mjs';
import { pinDatabase } from './lib/pin-db.mjs';

const ALL_TESTS = [
  { name: 'plaintext', path: '/plaintext', depth: 1 },
  { name: 'plaintext-pipelined-16', path: '/plaintext', depth: 16 },
  { name: 'json', path: '/json', depth: 1 },
  { name: 'db', path: '/db', depth: 1, db: true },
  { name: 'queries', path: '/queries?queries=20', depth: 1, db: true },
  { name: 'fortunes', path: '/fortunes', depth: 1, db: true },
  { name: 'updates', path: '/updates?queries=20', depth: 1, db: true },
  // served from memory, but the app fills its cache from the World table at start-up
  { name: 'cached-queries', path: '/cached-queries?count=20', depth: 1, db: true },
];
const DEFAULT_FRAMEWORKS = ['armature', 'fastify', 'express', 'hono', 'nestjs', 'node-http'];

const tool = loadTool();
const rounds = envNumber('ROUNDS', 3);
const duration = envNumber('DURATION', 3);
const warmup = envNumber('WARMUP', 1);
const connections = envNumber('CONNECTIONS', 100);
const reference = process.env.REFERENCE ?? 'fastify';
const frameworks = envList('FRAMEWORKS', DEFAULT_FRAMEWORKS);
const testNames = envList('TESTS', ALL_TESTS.map((t) => t.name));
const unknown = testNames.filter((n) => !ALL_TESTS.some((t) => t.name === n));
if (unknown.length) {
  console.error(`unknown TESTS: ${unknown.join(', ')} (known: ${ALL_TESTS.map((t) => t.name).join(', ')})`);
  process.exit(2);
}
const tests = ALL_TESTS.filter((t) => testNames.includes(t.name));
const port = await freePort(envNumber('PORT', 0));
const databaseUrl = databaseUrlFromEnv();
// The servers inherit these: the same driver and pool for every framework (benches/database/drivers.ts).
process.env.DB_DRIVER ||= 'pg';
process.env.DB_POOL ||= '16';

/** Connects to the database's port (2 s limit) and runs the idempotent set-up; resolves with a reason to skip, or null. */
async function prepareDatabase() {
  let url;
  try {
    url = new URL(databaseUrl);
  } catch {
    return `DATABASE_URL is not a URL`;
  }
  const host = url.hostname || '127.0.0.1';
  const dbPort = Number(url.port || 5432);
  const reachable = await new Promise((resolve) => {
    const s = net.connect({ host, port: dbPort, timeout: 2000 });
    s.once('connect', () => { s.destroy(); resolve(null); });
    s.once('timeout', () => { s.destroy(); resolve('no answer within 2 s'); });
    s.once('error', (e) => { s.destroy(); resolve(e.code ?? e.message); });
  });
  if (reachable) return `PostgreSQL at ${host}:${dbPort} is unreachable (${reachable})`;
  const setup = spawnSync(process.execPath, ['--import', 'tsx', 'benches/database/setup.ts'], { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, DATABASE_URL: databaseUrl } });
  if (setup.status !== 0) return `database set-up failed: ${(setup.stderr || setup.error?.message || '').trim().split('\n').at(-1)}`;
  console.error(setup.stdout.trim());
  return null;
}

const skip = {};
let databasePlacement = null;
if (tests.some((t) => t.db)) {
  const reason = await prepareDatabase();
  if (reason) {
    console.error(`skipping the database tests: ${reason}`);
    for (const t of tests) if (t.db) skip[t.name] = 'skipped: no database';
  } else {
    databasePlacement = pinDatabase(databaseUrl);
    console.error(databasePlacement);
  }
}
const run = tests.filter((t) => !skip[t.name]);

const upper = rounds * frameworks.length * run.length * (warmup + duration);
console.error(`${tool}, ${connections} connections, port ${port}; ${rounds} rounds × ${frameworks.length} frameworks × ${run.length} tests × (${warmup} s warm-up + ${duration} s): at most ~${Math.ceil(upper / 60)} min of load`);
const started = Date.now();
const measured = await measureRounds({ frameworks, tests: run, rounds, duration, warmup, connections, tool, port, start: startFramework });

const names = tests.map((t) => t.name);
const summary = summarize(measured, { frameworks, tests: names, skip });
const when = new Date().toISOString();
const database = databasePlacement === null ? '' : `, ${process.env.DB_DRIVER} pool of ${process.env.DB_POOL}, ${databasePlacement}`;
const about = `${tool}, ${connections} connections, median of ${rounds} rounds × ${duration} s (${warmup} s warm-up), server on core 0, load on core 1${database}, Node ${process.version}, ${when}`;
console.log(`\n${about}; ratios against ${reference}; peak RSS = highest VmHWM/VmRSS of the server process over the rounds\n`);
const header = ['test', 'framework', 'req/s', `vs ${reference}`, 'CPU µs/req', `CPU vs ${reference}`, 'p50 ms', 'p99 ms', 'peak RSS MB', 'remarks'];
console.log(markdownTable(header, compareRows(summary, { tests: names, frameworks, reference }), [2, 3, 4, 5, 6, 7, 8]));
for (const [fw, reason] of Object.entries(measured.unavailable)) console.log(`\n${fw}: not available: ${reason}`);
console.error(`\n(${Math.round((Date.now() - started) / 1000)} s)`);

const out = process.env.OUT ?? (process.env.FRAMEWORKS || process.env.TESTS ? 'compare-subset' : 'compare');
// a bare name goes to benches/results; a path is taken as it is
const base = out.includes('/') ? resolve(out) : join(root, 'benches/results', out);
mkdirSync(dirname(base), { recursive: true });
const machine = { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg().map((l) => Math.round(l * 100) / 100) };
const data = { date: when, node: process.version, tool, connections, rounds, duration, warmup, reference, machine, database: databasePlacement && { driver: process.env.DB_DRIVER, pool: Number(process.env.DB_POOL), placement: databasePlacement }, frameworks, tests, skipped: skip, unavailable: measured.unavailable, summary };
writeFileSync(`${base}.json`, `${JSON.stringify(data, null, 2)}\n`);
const svg = barChart({ title: 'TechEmpower test types: requests/s (longer is better)', subtitle: about, series: frameworks, groups: chartGroups(summary, { tests: names, frameworks, reference }) });
writeFileSync(`${base}.svg`, svg);
console.log(`\nwritten ${base}.json and ${base}.svg`);
