#!/usr/bin/env node
// The overhead of observability measured in pairs: the app without any feature and the app with
// some, both running at the same time on core 0, each loaded by its own wrk (50 connections) on
// core 1 over the same seconds, so that whatever else the machine does hits both alike. Server
// CPU time per request of each, their ratio per round, median of the rounds. Steadier than the
// interleaved rounds of overhead.mjs on a busy machine (the same-run ratio of each round is
// within a few percent); two servers sharing a core also share its caches, which favours the
// smaller one a little.
//   npm run build && node benches/observability/paired.mjs      env: ROUNDS=5 DURATION=4 FEATURES=logger+metrics,logger,metrics
// Two builds against each other (before and after a change, in the same minutes):
//   node benches/observability/paired.mjs DIR@FEATURES DIR@FEATURES   (DIR: a built copy of the
//   repository with its node_modules; the ratio is the second's CPU per request over the first's)
import { join, resolve } from 'node:path';
import { cpuPerRequest, envList, envNumber, freePort, load, median, requireWrk, root, startServer } from '../lib/load.mjs';

requireWrk();
const rounds = envNumber('ROUNDS', 5);
const duration = envNumber('DURATION', 4);
const side = (spec) => {
  const at = spec.lastIndexOf('@');
  if (at <= 0) throw new Error(`expected DIR@FEATURES, got "${spec}"`);
  return { dir: resolve(spec.slice(0, at)), features: spec.slice(at + 1), label: spec };
};
const args = process.argv.slice(2);
if (args.length !== 0 && args.length !== 2) throw new Error('usage: paired.mjs [DIR@FEATURES DIR@FEATURES]');
// each comparison: [reference, measured]
const comparisons = args.length === 2
  ? [[side(args[0]), side(args[1])]]
  : envList('FEATURES', ['logger+metrics', 'logger', 'metrics']).map((f) => [{ dir: root, features: 'none', label: 'none' }, { dir: root, features: f, label: f }]);
const results = comparisons.map(() => []);
for (let round = 1; round <= rounds; round++) {
  for (const [c, [reference, measured]] of comparisons.entries()) {
    // who starts first alternates from round to round
    const pair = (round % 2 ? [reference, measured] : [measured, reference]).map((s) => ({ ...s, port: 0, running: null }));
    try {
      for (const s of pair) {
        s.port = await freePort();
        s.running = await startServer(join(s.dir, 'benches/observability/server.ts'), { port: s.port, env: { FEATURES: s.features } });
      }
      const url = (s) => `http://127.0.0.1:${s.port}/json`;
      await Promise.all(pair.map((s) => load('wrk', url(s), { duration: 2, connections: 50 }))); // warm-up
      const cpu = pair.map((s) => cpuPerRequest(s.running.serverPid));
      const loads = await Promise.all(pair.map((s) => load('wrk', url(s), { duration, connections: 50 })));
      const [ref, with_] = (round % 2 ? [0, 1] : [1, 0]).map((i) => ({ cpu: cpu[i].stop(loads[i].requests), rps: loads[i].rps }));
      results[c].push({ reference: ref.cpu, cpu: with_.cpu, ratio: with_.cpu / ref.cpu });
      console.error(`round ${round} ${measured.label}: ${reference.label} ${ref.cpu.toFixed(2)} µs/request (${Math.round(ref.rps)} req/s), ${measured.label} ${with_.cpu.toFixed(2)} µs/request (${Math.round(with_.rps)} req/s), ratio ${(with_.cpu / ref.cpu).toFixed(3)}`);
    } finally {
      for (const s of pair) await s.running?.stop();
    }
  }
}
console.log(`\nJSON test in pairs, median of ${rounds} rounds × ${duration} s, 50 connections per server, both servers on core 0, wrk on core 1 (${new Date().toISOString()}, Node ${process.version})\n`);
console.log('| measured | reference | server CPU µs/request, reference | measured | ratio (median) | ratio per round |');
console.log('| --- | --- | ---: | ---: | ---: | --- |');
for (const [c, rs] of results.entries()) {
  const [reference, measured] = comparisons[c];
  console.log(`| ${measured.label} | ${reference.label} | ${median(rs.map((r) => r.reference)).toFixed(2)} | ${median(rs.map((r) => r.cpu)).toFixed(2)} | ${median(rs.map((r) => r.ratio)).toFixed(3)}× | ${rs.map((r) => r.ratio.toFixed(3)).join(' ')} |`);
}
