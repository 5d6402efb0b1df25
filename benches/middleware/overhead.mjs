#!/usr/bin/env node
// What each middleware costs per request: the server's own CPU time per request (user + system
// from /proc/<pid>/stat divided by the requests wrk completed) on the JSON test, with one
// middleware against none, rounds interleaved in one run, median of the rounds.
// Server pinned to core 0, wrk to core 1, 100 connections, 127.0.0.1 only.
//   npm run bench:middleware        env: ROUNDS=5 DURATION=4 MIDDLEWARE=rate-limit,cors,…
import { join } from 'node:path';
import { cpuPerRequest, envList, envNumber, freePort, median, requireWrk, root, startServer, wrk } from '../lib/load.mjs';
import { markdownTable } from '../lib/report.mjs';

requireWrk();
const rounds = envNumber('ROUNDS', 5);
const duration = envNumber('DURATION', 4);
const variants = ['none', ...envList('MIDDLEWARE', ['rate-limit', 'cors', 'security-headers', 'request-id', 'etag', 'all'])];
const results = Object.fromEntries(variants.map((v) => [v, []]));
for (let round = 1; round <= rounds; round++) {
  for (const variant of variants) {
    const port = await freePort();
    const server = await startServer(join(root, 'benches/middleware/server.ts'), { port, env: { MIDDLEWARE: variant } });
    try {
      const url = `http://127.0.0.1:${port}/json`;
      wrk(url, { duration: 2 }); // warm-up
      const cpu = cpuPerRequest(server.serverPid);
      const r = wrk(url, { duration });
      const perRequest = cpu.stop(r.requests);
      results[variant].push({ rps: r.rps, cpuPerRequest: perRequest });
      console.error(`round ${round} ${variant.padEnd(17)} ${Math.round(r.rps)} req/s, ${perRequest.toFixed(2)} µs CPU/request`);
    } finally {
      await server.stop();
    }
  }
}

const base = median(results.none.map((r) => r.cpuPerRequest));
const rows = variants.map((v) => {
  const cpu = median(results[v].map((r) => r.cpuPerRequest));
  return [v, Math.round(median(results[v].map((r) => r.rps))).toLocaleString('en-US'), cpu.toFixed(2), `${(cpu / base).toFixed(3)}×`];
});
console.log(`\nJSON test, median of ${rounds} rounds × ${duration} s, 100 connections, server on core 0, wrk on core 1 (${new Date().toISOString()}, Node ${process.version})\n`);
console.log(markdownTable(['middleware', 'req/s', 'server CPU µs/request', 'CPU vs none'], rows, [1, 2, 3]));
