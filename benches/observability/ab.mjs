#!/usr/bin/env node
// Before and after in ONE process: the JSON test's engine and app (as micro.mjs: batches of 16
// requests over an in-memory socket, one event-loop turn per batch, CPU time) built from two
// (or more) copies of the repository, samples alternated between them, so that a busy machine
// slows every copy alike. Each copy has its own modules (its own engine, its own type feedback),
// so loading them side by side is fair. Per copy: ns per request, median and minimum of the
// samples, and the median of the per-sample differences to the first copy.
//   node benches/observability/ab.mjs VARIANT DIR [DIR…]     DIR: a built copy (packages/*/dist, benches/lib, node_modules)
//   e.g. git worktree add /tmp/before main && (cd /tmp/before && cp -a ../../work/main/node_modules . && npm run build)
//        node benches/observability/ab.mjs logger+metrics /tmp/before .        env: SAMPLES=15 ITERATIONS=2000
// VARIANT: none, logger, metrics, logger+metrics; DIR@VARIANT picks a variant per copy.
import os from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [variant, ...dirs] = process.argv.slice(2);
if (variant === undefined || dirs.length === 0) {
  console.error('usage: node benches/observability/ab.mjs VARIANT DIR [DIR…]');
  process.exit(2);
}
const samples = Number(process.env.SAMPLES ?? 15);
const iterations = Number(process.env.ITERATIONS ?? 2000);
const batch = Buffer.from('GET /json HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n'.repeat(16)); // what wrk sends

const copies = [];
for (const spec of dirs) {
  const [dir, own = variant] = spec.split('@');
  const at = (path) => pathToFileURL(resolve(dir, path)).href;
  const { createApp } = await import(at('packages/core/dist/index.js'));
  const { createLogger, requestLogger } = await import(at('packages/observability/dist/logger/index.js'));
  const { createMetrics } = await import(at('packages/observability/dist/metrics/index.js'));
  const { nsPerRequest } = await import(at('benches/lib/memory-socket.mjs'));
  const logger = () => requestLogger({ logger: createLogger({ destination: '/dev/null', pretty: false }) });
  const metrics = () => createMetrics({ defaultMetrics: false }).middleware;
  const features = { none: () => [], logger: () => [logger()], metrics: () => [metrics()], 'logger+metrics': () => [logger(), metrics()] };
  if (!(own in features)) throw new Error(`unknown variant "${own}" (${Object.keys(features).join(', ')})`);
  const app = createApp();
  for (const m of features[own]()) app.use(m);
  app.get('/json', () => ({ message: 'Hello, World!' }));
  const measure = () => nsPerRequest(app.handle, {
    batch, perBatch: 16, expect: 'Hello, World!', iterations, samples: 1, clock: 'cpu',
    settle: () => new Promise((r) => setImmediate(r)),
  });
  await measure(); // warm-up
  await measure();
  copies.push({ name: `${dir}@${own}`, measure, xs: [] });
}
const loadBefore = os.loadavg()[0];
for (let s = 0; s < samples; s++) {
  for (const copy of s % 2 === 0 ? copies : [...copies].reverse()) copy.xs.push(await copy.measure());
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`Node ${process.version}, ${samples} alternated samples of ${iterations * 16} requests each, load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`);
for (const copy of copies) {
  const diff = median(copy.xs.map((x, i) => x - copies[0].xs[i]));
  console.log(`${copy.name.padEnd(40)} ${median(copy.xs).toFixed(0).padStart(6)} ns/request (min ${Math.min(...copy.xs).toFixed(0)})   vs first: ${diff >= 0 ? '+' : ''}${diff.toFixed(0)} ns`);
}
