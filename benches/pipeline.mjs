#!/usr/bin/env node
// Full-pipeline overhead (issue: "a route through the app — params, one middleware, JSON
// response — reaches at least 90% of the bare engine's requests per second in the same run").
//   engine : EngineServer with a raw handler that parses /users/123 itself and answers {"id":"123"}
//   app    : app route /users/:id with one middleware and a JSON response (benches/pipeline/app.ts)
//   app-async (ASYNC=1): the same with an async middleware
// GET /users/123, 100 connections, non-pipelined and pipelined 16 deep; servers on core 0, wrk
// on core 1. ROUNDS (5) rounds of DURATION (3) s, servers alternating; medians are reported, and
// the ratio of each round's pair.
//   npx tsc -b packages/core && node benches/pipeline.mjs
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { median, requireWrk, root, startServer, wrk } from './lib/load.mjs';

requireWrk();
const busy = spawnSync('pgrep', ['-a', '-x', 'wrk']).stdout?.toString().trim();
if (busy) {
  console.error(`wrk is already running (another benchmark?):\n${busy}\nTry again later.`);
  process.exit(3);
}
const rounds = Number(process.env.ROUNDS ?? 5);
const duration = Number(process.env.DURATION ?? 3);
const port = Number(process.env.PORT ?? 8080);
const servers = [
  { name: 'engine', file: 'benches/pipeline/engine.ts', env: {} },
  { name: 'app', file: 'benches/pipeline/app.ts', env: {} },
  ...(process.env.ASYNC ? [{ name: 'app-async', file: 'benches/pipeline/app.ts', env: { ASYNC_MW: '1' } }] : []),
];
const depths = [1, 16];

// all servers run at once on their own ports (pinned to core 0; an idle one costs nothing), so
// that the measurements can alternate closely: noise on a shared machine hits both sides alike
const portInUse = (p) =>
  new Promise((resolve) => {
    const socket = net.connect(p, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
for (let i = 0; i < servers.length; i++) {
  if (await portInUse(port + i)) {
    console.error(`port ${port + i} is in use: set PORT to a free base port`);
    process.exit(3);
  }
}
const started = [];
try {
  for (const [i, s] of servers.entries()) {
    const server = await startServer(join(root, s.file), { port: port + i, env: s.env });
    started.push(server);
    s.url = `http://127.0.0.1:${port + i}/users/123`;
    const check = await fetch(s.url).then(async (r) => `${r.status} ${await r.text()}`);
    if (check !== '200 {"id":"123"}') throw new Error(`${s.name} answered ${check}`);
    for (const depth of depths) wrk(s.url, { duration: 1, depth }); // warm-up
  }
} catch (error) {
  for (const server of started) await server.stop();
  throw error;
}

const runs = {}; // runs[depth][server] = [rps…]
try {
  for (let round = 1; round <= rounds; round++) {
    for (const depth of depths) {
      for (const s of round % 2 === 1 ? servers : [...servers].reverse()) {
        const r = wrk(s.url, { duration, depth });
        if (r.non2xx > 0 || r.socketErrors) console.error(`  ${s.name} depth ${depth}: non-2xx ${r.non2xx} ${r.socketErrors}`);
        ((runs[depth] ??= {})[s.name] ??= []).push(r.rps);
        console.error(`round ${round} depth ${String(depth).padEnd(3)} ${s.name.padEnd(10)} ${Math.round(r.rps)} req/s`);
      }
    }
  }
} finally {
  for (const server of started) await server.stop();
}

const summary = {};
const names = servers.map((s) => s.name);
const lines = [`| GET /users/123 | ${names.join(' | ')} | ${names.slice(1).map((n) => `${n} / engine`).join(' | ')} |`, `|---|${names.map(() => '---:').join('|')}|${names.slice(1).map(() => '---:').join('|')}|`];
for (const depth of depths) {
  const row = {};
  for (const n of names) row[n] = { rps: median(runs[depth][n]), runs: runs[depth][n].map(Math.round) };
  for (const n of names.slice(1)) {
    row[n].ratio = row[n].rps / row.engine.rps;
    row[n].roundRatios = runs[depth][n].map((x, i) => x / runs[depth].engine[i]);
  }
  summary[depth === 1 ? 'non-pipelined' : `pipelined-${depth}`] = row;
  lines.push(`| ${depth === 1 ? 'non-pipelined' : `pipelined ${depth}`} | ${names.map((n) => Math.round(row[n].rps).toLocaleString('en-US')).join(' | ')} | ${names.slice(1).map((n) => `${(row[n].ratio * 100).toFixed(1)}% (per round: ${row[n].roundRatios.map((x) => (x * 100).toFixed(0) + '%').join(', ')}; median ${(median(row[n].roundRatios) * 100).toFixed(1)}%)`).join(' | ')} |`);
}
console.log(`\nMedian requests/s of ${rounds} rounds × ${duration} s, 100 connections, servers on core 0, wrk on core 1 (${new Date().toISOString()}, Node ${process.version})\n`);
console.log(lines.join('\n'));
mkdirSync(join(root, 'benches/results'), { recursive: true });
const file = join(root, 'benches/results', 'pipeline.json');
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, rounds, duration, summary }, null, 2));
console.log(`\nwritten ${file}`);
