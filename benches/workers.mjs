#!/usr/bin/env node
// Workers (issue 13): does a second worker change what a request costs, and do two workers share
// the connections? Same run, rounds interleaved:
//   one       : the app in one process, pinned to core 0 (benches/workers/server.ts, WORKERS=0)
//   two-core0 : the same app with listen({ workers: 2 }), primary and both workers on core 0: the
//               same CPU as `one`, so what differs is the cost of being two workers
//   two       : listen({ workers: { count: 2, affinity: true } }): worker 1 on core 0, worker 2
//               on core 1 (which it shares with wrk: a 2-core machine has no third core)
// For each: requests/s, and CPU time per request: user + system of the serving processes (the
// primary included: with node:cluster it accepts the connections) from /proc/<pid>/stat, over the
// requests wrk completed. With two workers: each worker's share of the open connections (counted
// from /proc/net/tcp during the run) and of the requests (each worker counts its own).
// Targets: CPU per request with two workers within 10% of one process; connections split no worse
// than 60/40. wrk: 100 connections, pinned to core 1. Bounded: ROUNDS × modes × tests × DURATION s.
//   npm run bench:workers                 (ROUNDS=3 DURATION=5 TESTS=plaintext,json)
//   /opt/node24/node_modules/.bin/node benches/workers.mjs   (Node ≥ 22.12: SO_REUSEPORT mode)
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { cpuTicks, envList, envNumber, freePort, load, localSockets, median, processTree, requireWrk, root, socketsHeld, startServer } from './lib/load.mjs';

requireWrk();
const ROUNDS = envNumber('ROUNDS', 3);
const DURATION = envNumber('DURATION', 5);
const TESTS = envList('TESTS', ['plaintext', 'json']);
const CONNECTIONS = 100;
const server = join(root, 'benches/workers/server.ts');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const MODES = [
  { name: 'one', label: 'one process', workers: 0, cores: '0', affinity: false },
  { name: 'two-core0', label: '2 workers, core 0', workers: 2, cores: '0', affinity: false },
  { name: 'two', label: '2 workers, cores 0+1', workers: 2, cores: '0,1', affinity: true },
];

/** Established connections to 127.0.0.1:port held by each of `pids`. */
function connectionsByPid(port, pids) {
  const established = localSockets(port, '01');
  return Object.fromEntries(pids.map((pid) => [pid, socketsHeld(pid, established)]));
}

/** GET /worker on fresh connections until every one of `n` workers has answered (each once). */
async function workerCounts(port, n) {
  const seen = new Map();
  for (let i = 0; i < 200 && seen.size < n; i++) {
    const body = await new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/worker', agent: false }, (res) => {
        let text = '';
        res.on('data', (d) => { text += d; });
        res.on('end', () => resolve(JSON.parse(text)));
      }).on('error', reject);
    });
    if (!seen.has(body.pid)) seen.set(body.pid, body);
  }
  return seen;
}

const results = {};
for (let round = 1; round <= ROUNDS; round++) {
  for (const mode of MODES) {
    const workers = mode.workers;
    const port = await freePort();
    const s = await startServer(server, { port, env: { WORKERS: String(workers), AFFINITY: mode.affinity ? '1' : '0' }, cores: mode.cores });
    try {
      await sleep(300);
      // the primary and its workers (tsx's esbuild helper, if any, is not part of the server)
      const tree = processTree(s.pid).filter((p) => { try { return readFileSync(`/proc/${p}/comm`, 'utf8').trim() !== 'esbuild'; } catch { return false; } });
      for (const test of TESTS) {
        const url = `http://127.0.0.1:${port}/${test}`;
        await load('wrk', url, { duration: 2, connections: CONNECTIONS }); // warm-up
        const before = workers === 0 ? [] : [...(await workerCounts(port, workers)).values()];
        const ticks0 = tree.map(cpuTicks);
        const running = load('wrk', url, { duration: DURATION, connections: CONNECTIONS });
        await sleep((DURATION * 1000) / 2);
        const conns = connectionsByPid(port, tree);
        const r = await running;
        const used = tree.map((pid, i) => cpuTicks(pid) - ticks0[i]);
        const ticks = used.reduce((sum, t) => sum + t, 0);
        const row = { rps: r.rps, requests: r.requests, cpuUs: (ticks * 10_000) / r.requests, errors: r.non2xx || r.socketErrors || 0 };
        if (workers > 0) {
          const after = await workerCounts(port, workers);
          const served = before.map((b) => (after.get(b.pid)?.requests ?? NaN) - b.requests);
          const total = served.reduce((a, b) => a + b, 0);
          row.requestShare = served.map((n) => n / total);
          const held = before.map((b) => conns[b.pid] ?? 0);
          const open = held.reduce((a, b) => a + b, 0);
          row.connectionShare = held.map((n) => n / open);
          row.connections = held;
          // worker 1's own cost: its CPU over the requests it answered (in 'two' it has core 0 to
          // itself, as the single process had)
          const w1 = tree.indexOf(before[0].pid);
          row.worker1CpuUs = w1 === -1 ? NaN : (used[w1] * 10_000) / served[0];
        }
        ((results[test] ??= {})[mode.name] ??= []).push(row);
        const share = row.connectionShare ? `, connections ${row.connections.join('/')}, requests ${row.requestShare.map((x) => Math.round(x * 100)).join('/')}%` : '';
        console.error(`round ${round} ${mode.label.padEnd(20)} ${test.padEnd(9)} ${Math.round(r.rps)} req/s, ${row.cpuUs.toFixed(2)} µs CPU/req${share}${row.errors ? `, errors ${row.errors}` : ''}`);
      }
    } finally {
      await s.stop();
    }
  }
}

console.log(`\nbench:workers, Node ${process.version}, ${new Date().toISOString()}, median of ${ROUNDS} rounds × ${DURATION} s, ${CONNECTIONS} connections, wrk on core 1\n`);
console.log('| test | mode | req/s | server CPU µs/req | ÷ one process | worker 1 CPU µs/req (÷ one process) | connections, larger share (per round) | requests, larger share |');
console.log('|---|---|---:|---:|---:|---:|---|---|');
const m = (rows, f) => median(rows.map(f));
for (const test of TESTS) {
  const one = m(results[test].one, (r) => r.cpuUs);
  for (const mode of MODES) {
    const rows = results[test][mode.name];
    const cpu = m(rows, (r) => r.cpuUs);
    const spread = mode.workers === 0 ? '–' : `${Math.round(m(rows, (r) => Math.max(...r.connectionShare)) * 100)}% (${rows.map((r) => r.connections.join('/')).join(', ')})`;
    const requests = mode.workers === 0 ? '–' : `${Math.round(m(rows, (r) => Math.max(...r.requestShare)) * 100)}%`;
    const w1 = mode.workers === 0 ? '–' : `${m(rows, (r) => r.worker1CpuUs).toFixed(2)} (${(m(rows, (r) => r.worker1CpuUs) / one).toFixed(2)}×)`;
    console.log(`| ${test} | ${mode.label} | ${Math.round(m(rows, (r) => r.rps)).toLocaleString('en-US')} | ${cpu.toFixed(2)} | ${(cpu / one).toFixed(2)}× | ${w1} | ${spread} | ${requests} |`);
  }
}
