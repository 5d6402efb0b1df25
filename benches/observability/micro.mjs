#!/usr/bin/env node
// What observability costs per request in the app and engine alone, without the kernel or a
// load generator (so it holds still on a busy machine): batches of 16 `GET /json` requests fed to
// an engine Connection over an in-memory socket, one event-loop turn per batch (so the logger
// writes once per 16 lines, as under load), for each combination of features. The logger writes
// to /dev/null. Each variant runs in a process of its own (as in a server, the engine's code then
// sees one kind of response), rounds interleaved; ns per request, median of the rounds' medians,
// and the extra over none.
//   npm run build && taskset -c 0 node benches/observability/micro.mjs      env: SAMPLES=9 ONLY=logger,…
import { spawnSync } from 'node:child_process';
import { nsPerRequest } from '../lib/memory-socket.mjs';
import { createApp } from '../../packages/core/dist/index.js';
import { createLogger, requestLogger } from '../../packages/observability/dist/logger/index.js';
import { createMetrics } from '../../packages/observability/dist/metrics/index.js';
import { observe } from '../../packages/observability/dist/exchange.js';

const logger = (options = {}) => requestLogger({ logger: createLogger({ destination: '/dev/null', pretty: false, ...options.logger }), ...options.request });
const features = {
  none: () => [],
  'noop middleware': () => [(ctx, next) => next()],
  'logger silent': () => [requestLogger({ logger: createLogger({ level: 'silent', destination: '/dev/null', pretty: false }) })],
  logger: () => [logger()],
  'logger, pino formatting': () => [logger({ request: { fields: () => ({}) } })],
  'logger, bufferSize 0': () => [logger({ logger: { bufferSize: 0 } })],
  // what the logger and metrics share: the response observed, its end timed, nothing recorded
  'exchange only': () => [(ctx, next) => { observe(ctx, () => {}); return next(); }],
  metrics: () => [createMetrics({ defaultMetrics: false }).middleware],
  'logger+metrics': () => [logger(), createMetrics({ defaultMetrics: false }).middleware],
};
const one = process.argv[2];
if (one === undefined) {
  // the parent: each variant in a child process, rounds interleaved
  const only = process.env.ONLY?.split(',');
  const names = Object.keys(features).filter((name) => name === 'none' || only === undefined || only.includes(name));
  const rounds = Number(process.env.ROUNDS ?? 5);
  const results = new Map(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const r = spawnSync(process.execPath, [new URL(import.meta.url).pathname, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (r.status !== 0) throw new Error(`${name}: exit ${r.status}`);
      results.get(name).push(Number(r.stdout.trim()));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const base = median(results.get('none'));
  console.log(`Node ${process.version}, median of ${rounds} rounds (one process each) of the median of ${process.env.SAMPLES ?? 9} samples`);
  for (const name of names) {
    const ns = median(results.get(name));
    console.log(`${name.padEnd(26)} ${ns.toFixed(0).padStart(5)} ns/request${name === 'none' ? '' : `   +${(ns - base).toFixed(0)} ns (${((ns / base - 1) * 100).toFixed(1)}%)`}   rounds: ${results.get(name).map((x) => x.toFixed(0)).join(' ')}`);
  }
  process.exit(0);
}
if (!(one in features)) throw new Error(`unknown variant "${one}" (${Object.keys(features).join(', ')})`);
const app = createApp();
for (const m of features[one]()) app.use(m);
app.get('/json', () => ({ message: 'Hello, World!' }));

const batch = Buffer.from('GET /json HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n'.repeat(16)); // what wrk sends
const iterations = 5000;
const samples = Number(process.env.SAMPLES ?? 9);

// CPU time: a busy machine takes the core away, not the work; one turn per batch for every variant
const measure = (handle) => nsPerRequest(handle, {
  batch, perBatch: 16, expect: 'Hello, World!', iterations, samples, clock: 'cpu',
  settle: () => new Promise((r) => setImmediate(r)),
});

await measure(app.handle); // warm-up
console.log(String(await measure(app.handle)));
