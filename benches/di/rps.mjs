#!/usr/bin/env node
// Decorated controller vs functional route (and a request-scoped controller), same run:
// GET /users/:id, wrk with 100 connections pinned to core 1, each server pinned to core 0,
// ROUNDS (3) × DURATION (5 s) interleaved, median per server. The servers run as tsc output
// (what a production build runs; see tsc-build.mjs).
//   node benches/di/rps.mjs            → prints the table, writes benches/di/results-rps.json
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, requireWrk, root, startServer, wrk } from '../lib/load.mjs';
import { tscBuild } from './tsc-build.mjs';

requireWrk();
const rounds = Number(process.env.ROUNDS ?? 3);
const duration = Number(process.env.DURATION ?? 5);
const port = Number(process.env.PORT ?? 8097);
const servers = ['functional', 'decorated', 'request'];

const busy = spawnSync('pgrep', ['-fa', '^wrk'], { encoding: 'utf8' }).stdout.trim();
if (busy !== '') {
  console.error(`another wrk is running, try again later:\n${busy}`);
  process.exit(3);
}

const compiled = tscBuild(servers.map((s) => `benches/di/server-${s}.ts`));
const runs = Object.fromEntries(servers.map((s) => [s, []]));
for (let round = 1; round <= rounds; round++) {
  for (const name of servers) {
    const server = await startServer(compiled(`benches/di/server-${name}.ts`), { port });
    try {
      const url = `http://127.0.0.1:${port}/users/42`;
      wrk(url, { duration: 2 }); // warm-up
      const r = wrk(url, { duration });
      if (r.non2xx > 0 || r.socketErrors) console.error(`  ${name}: non-2xx ${r.non2xx} ${r.socketErrors}`);
      runs[name].push(r.rps);
      console.error(`round ${round} ${name.padEnd(10)} ${Math.round(r.rps)} req/s`);
    } finally {
      await server.stop();
    }
  }
}

const rps = Object.fromEntries(servers.map((s) => [s, median(runs[s])]));
// the machine's speed drifts between rounds: also compare within each round, then take the median
const paired = (a, b) => median(runs[a].map((x, i) => x / runs[b][i]));
const ratio = (a, b) => rps[a] / rps[b];
console.log(`\nGET /users/:id, median of ${rounds} × ${duration} s, 100 connections (Node ${process.version})`);
for (const s of servers) console.log(`  ${s.padEnd(10)} ${Math.round(rps[s]).toLocaleString('en-US').padStart(9)} req/s   runs ${runs[s].map(Math.round).join(', ')}`);
console.log(`  decorated / functional      ${ratio('decorated', 'functional').toFixed(3)} (median of per-round ratios ${paired('decorated', 'functional').toFixed(3)})`);
console.log(`  request-scoped / singleton  ${ratio('request', 'decorated').toFixed(3)} (median of per-round ratios ${paired('request', 'decorated').toFixed(3)})`);
writeFileSync(join(root, 'benches/di/results-rps.json'), JSON.stringify({
  date: new Date().toISOString(), node: process.version, rounds, duration, connections: 100,
  rps, runs,
  decoratedOverFunctional: ratio('decorated', 'functional'), decoratedOverFunctionalPaired: paired('decorated', 'functional'),
  requestOverSingleton: ratio('request', 'decorated'), requestOverSingletonPaired: paired('request', 'decorated'),
}, null, 2) + '\n');
