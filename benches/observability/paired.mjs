#!/usr/bin/env node
// The overhead of observability measured in pairs: the app without any feature and the app with
// some, both running at the same time on core 0, each loaded by its own wrk (50 connections) on
// core 1 over the same seconds, so that whatever else the machine does hits both alike. Server
// CPU time per request of each, their ratio per round, median of the rounds. Steadier than the
// interleaved rounds of overhead.mjs on a busy machine (the same-run ratio of each round is
// within a few percent); two servers sharing a core also share its caches, which favours the
// smaller one a little.
//   npm run build && node benches/observability/paired.mjs      env: ROUNDS=5 DURATION=4 FEATURES=logger+metrics,logger,metrics
import { join } from 'node:path';
import { cpuPerRequest, envList, envNumber, freePort, load, median, requireWrk, root, startServer } from '../lib/load.mjs';

requireWrk();
const rounds = envNumber('ROUNDS', 5);
const duration = envNumber('DURATION', 4);
const server = join(root, 'benches/observability/server.ts');
const variants = envList('FEATURES', ['logger+metrics', 'logger', 'metrics']);
const results = new Map(variants.map((v) => [v, []]));
for (let round = 1; round <= rounds; round++) {
  for (const variant of variants) {
    const pair = (round % 2 ? ['none', variant] : [variant, 'none']).map((features) => ({ features, port: 0, running: null }));
    try {
      for (const s of pair) {
        s.port = await freePort();
        s.running = await startServer(server, { port: s.port, env: { FEATURES: s.features } });
      }
      const url = (s) => `http://127.0.0.1:${s.port}/json`;
      await Promise.all(pair.map((s) => load('wrk', url(s), { duration: 2, connections: 50 }))); // warm-up
      const cpu = pair.map((s) => cpuPerRequest(s.running.serverPid));
      const loads = await Promise.all(pair.map((s) => load('wrk', url(s), { duration, connections: 50 })));
      const of = (features) => {
        const i = pair.findIndex((s) => s.features === features);
        return { cpu: cpu[i].stop(loads[i].requests), rps: loads[i].rps };
      };
      const none = of('none');
      const with_ = of(variant);
      results.get(variant).push({ none: none.cpu, cpu: with_.cpu, ratio: with_.cpu / none.cpu });
      console.error(`round ${round} ${variant}: none ${none.cpu.toFixed(2)} µs/request (${Math.round(none.rps)} req/s), ${variant} ${with_.cpu.toFixed(2)} µs/request (${Math.round(with_.rps)} req/s), ratio ${(with_.cpu / none.cpu).toFixed(3)}`);
    } finally {
      for (const s of pair) await s.running?.stop();
    }
  }
}
console.log(`\nJSON test in pairs, median of ${rounds} rounds × ${duration} s, 50 connections per server, both servers on core 0, wrk on core 1 (${new Date().toISOString()}, Node ${process.version})\n`);
console.log('| features | server CPU µs/request, none | with the features | ratio (median) | ratio per round |');
console.log('| --- | ---: | ---: | ---: | --- |');
for (const [variant, rs] of results) {
  console.log(`| ${variant} | ${median(rs.map((r) => r.none)).toFixed(2)} | ${median(rs.map((r) => r.cpu)).toFixed(2)} | ${median(rs.map((r) => r.ratio)).toFixed(3)}× | ${rs.map((r) => r.ratio.toFixed(3)).join(' ')} |`);
}
