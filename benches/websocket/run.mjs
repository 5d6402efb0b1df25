#!/usr/bin/env node
// WebSocket benchmark: echo round trips per second and the server's CPU time per round trip, and
// memory per idle connection, Armature (engine + @armature/websocket) against Fastify with
// @fastify/websocket, both framing with `ws`, measured in the same run, rounds interleaved.
// Server pinned to core 0, load generator (client.mjs, `ws` client) to core 1, 127.0.0.1 only.
//   npm run bench:websocket      env: ROUNDS=3 DURATION=5 CONNECTIONS=50 IDLE=2000 PORT=8090
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuPerRequest, envNumber, freePort, has, median, root, startServer } from '../lib/load.mjs';

const rounds = envNumber('ROUNDS', 3);
const duration = envNumber('DURATION', 5);
const connections = envNumber('CONNECTIONS', 50);
const idle = envNumber('IDLE', 2000);
const frameworks = ['armature', 'fastify'];
const server = join(root, 'benches/websocket/server.ts');
const client = join(root, 'benches/websocket/client.mjs');

function runClient(args) {
  const argv = has('taskset') ? ['taskset', '-c', '1', process.execPath, client, ...args] : [process.execPath, client, ...args];
  const child = spawn(argv[0], argv.slice(1), { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  return { child, next: async () => JSON.parse((await once(lines, 'line'))[0]) };
}

async function memory(port) {
  return (await fetch(`http://127.0.0.1:${port}/memory`)).json();
}

async function measure(framework) {
  const port = await freePort(envNumber('PORT', 8090));
  const s = await startServer(server, { port, env: { FRAMEWORK: framework }, nodeArgs: ['--expose-gc'] });
  try {
    const warm = runClient(['echo', port, connections, 2]);
    await warm.next();
    await once(warm.child, 'exit');
    const cpu = cpuPerRequest(s.serverPid);
    const run = runClient(['echo', port, connections, duration]);
    const { roundTrips } = await run.next();
    await once(run.child, 'exit');
    const cpuUs = cpu.stop(roundTrips);
    await new Promise((r) => setTimeout(r, 300)); // the echo sockets are gone
    const before = await memory(port);
    const hold = runClient(['idle', port, idle]);
    await hold.next();
    await new Promise((r) => setTimeout(r, 500));
    const after = await memory(port);
    hold.child.stdin.end();
    await once(hold.child, 'exit');
    return {
      perSecond: roundTrips / duration,
      cpuUs,
      heapPerSocket: (after.heapUsed - before.heapUsed) / idle,
      rssPerSocket: (after.rss - before.rss) / idle,
    };
  } finally {
    await s.stop();
  }
}

const results = Object.fromEntries(frameworks.map((f) => [f, []]));
for (let r = 0; r < rounds; r++) {
  for (const f of r % 2 === 0 ? frameworks : [...frameworks].reverse()) {
    const m = await measure(f);
    results[f].push(m);
    console.error(`round ${r + 1} ${f}: ${Math.round(m.perSecond)} round trips/s, ${m.cpuUs.toFixed(1)} µs CPU each, ${(m.heapPerSocket / 1024).toFixed(1)} KiB heap and ${(m.rssPerSocket / 1024).toFixed(1)} KiB RSS per idle socket`);
  }
}
const med = (f, k) => median(results[f].map((m) => m[k]));
const rows = frameworks.map((f) => ({
  framework: f,
  perSecond: Math.round(med(f, 'perSecond')),
  cpuUs: Math.round(med(f, 'cpuUs') * 10) / 10,
  heapKiB: Math.round((med(f, 'heapPerSocket') / 1024) * 10) / 10,
  rssKiB: Math.round((med(f, 'rssPerSocket') / 1024) * 10) / 10,
}));
console.log(`\nWebSocket echo (${connections} connections, 32-byte messages, ${duration} s) and ${idle} idle connections; medians of ${rounds} rounds; Node ${process.version}`);
console.log('| server | round trips/s | server CPU per round trip | heap per idle socket | RSS per idle socket |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.framework} | ${r.perSecond} | ${r.cpuUs} µs | ${r.heapKiB} KiB | ${r.rssKiB} KiB |`);
const [a, b] = rows;
console.log(`\nArmature / Fastify: round trips/s ${(a.perSecond / b.perSecond).toFixed(2)}x, CPU per round trip ${(a.cpuUs / b.cpuUs).toFixed(2)}x, heap per idle socket ${(a.heapKiB / b.heapKiB).toFixed(2)}x`);
mkdirSync(join(root, 'benches/results'), { recursive: true });
writeFileSync(join(root, 'benches/results/websocket.json'), JSON.stringify({ node: process.version, rounds, duration, connections, idle, rows, raw: results }, null, 2));
