#!/usr/bin/env node
// HTTP/2 with h2load: Armature's listen({ http2 }) (the engine hands HTTP/2 connections to
// node:http2), Armature through node:http2's own server (app.nodeListener()), and Fastify's
// http2 mode, in cleartext (h2c, prior knowledge) and over TLS (ALPN h2). For each: req/s and the
// server's own CPU time per request (user + system from /proc/<pid>/stat over the requests h2load
// completed). Server pinned to core 0, h2load to core 1, 127.0.0.1 only; rounds interleaved,
// medians reported, ratios against Fastify from the same rounds.
//   npm run bench:http2     env: ROUNDS=3 DURATION=4 CLIENTS=16 STREAMS=10 MODES=h2c,tls PATHS=/json
//                               FRAMEWORKS=armature,armature-node,fastify
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cpuTicks, envList, envNumber, freePort, has, median, root, startServer } from '../lib/load.mjs';
import { markdownTable } from '../lib/report.mjs';

if (!has('h2load')) {
  console.error('h2load is not installed: apt-get update && apt-get install -y nghttp2-client');
  process.exit(2);
}
const rounds = envNumber('ROUNDS', 3);
const duration = envNumber('DURATION', 4);
const clients = envNumber('CLIENTS', 16);
const streams = envNumber('STREAMS', 10);
const modes = envList('MODES', ['h2c', 'tls']);
const paths = envList('PATHS', ['/json']);
const frameworks = envList('FRAMEWORKS', ['armature', 'armature-node', 'fastify']);
const pin = (core, argv) => (has('taskset') ? ['taskset', '-c', String(core), ...argv] : argv);

/** Parses h2load's summary: req/s, requests that succeeded, and those that did not. */
function parseH2load(text) {
  const rps = Number(/finished in [\d.]+m?s, ([\d.]+) req\/s/.exec(text)?.[1] ?? NaN);
  const m = /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(text);
  const status = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(text);
  return {
    rps,
    succeeded: m ? Number(m[4]) : NaN,
    failed: m ? Number(m[5]) + Number(m[6]) + Number(m[7]) : NaN,
    non2xx: status ? Number(status[2]) + Number(status[3]) + Number(status[4]) : NaN,
  };
}

function h2load(url, seconds) {
  const argv = pin(1, ['h2load', '-t1', `-c${clients}`, `-m${streams}`, '-D', String(seconds), url]);
  const out = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: (seconds + 30) * 1000 });
  const r = parseH2load(out.stdout ?? '');
  if (!Number.isFinite(r.rps)) throw new Error(`h2load gave no figures: ${(out.stdout || out.stderr || '').slice(-400)}`);
  return r;
}

/** h2load must have spoken HTTP/2 (it says which protocol was negotiated). */
function checkProtocol(url) {
  const argv = ['h2load', '-n1', '-c1', url];
  const out = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 20_000 }).stdout ?? '';
  if (!/Application protocol: h2/.test(out) || !/1 succeeded/.test(out)) throw new Error(`not served over HTTP/2: ${out.slice(-400)}`);
}

const TICK_US = 1e6 / 100; // USER_HZ
const results = {}; // `${mode}|${path}|${fw}` → [{ rps, cpu }] by round
const started = new Date().toISOString();
for (let round = 1; round <= rounds; round++) {
  for (const mode of modes) {
    for (const fw of frameworks) {
      const port = await freePort();
      let server;
      try {
        server = await startServer(join(root, 'benches/http2/server.ts'), { port, env: { FRAMEWORK: fw, MODE: mode } });
      } catch (error) {
        console.error(`round ${round} ${fw} ${mode}: ${error.message}; skipped`);
        continue;
      }
      try {
        for (const path of paths) {
          const url = `${mode === 'tls' ? 'https' : 'http'}://127.0.0.1:${port}${path}`;
          if (round === 1) checkProtocol(url);
          h2load(url, 1); // warm-up
          const before = cpuTicks(server.serverPid);
          const r = h2load(url, duration);
          const cpu = ((cpuTicks(server.serverPid) - before) * TICK_US) / r.succeeded;
          if (r.failed > 0 || r.non2xx > 0) console.error(`  ${fw} ${mode} ${path}: ${r.failed} failed, ${r.non2xx} non-2xx`);
          (results[`${mode}|${path}|${fw}`] ??= [])[round - 1] = { rps: r.rps, cpu };
          console.error(`round ${round} ${mode.padEnd(3)} ${fw.padEnd(13)} ${path.padEnd(10)} ${Math.round(r.rps)} req/s, ${cpu.toFixed(1)} µs CPU/request`);
        }
      } finally {
        await server.stop();
      }
    }
  }
}

const rows = [];
for (const mode of modes) {
  for (const path of paths) {
    const ref = results[`${mode}|${path}|fastify`] ?? [];
    for (const fw of frameworks) {
      const runs = results[`${mode}|${path}|${fw}`] ?? [];
      const done = runs.filter(Boolean);
      if (done.length === 0) continue;
      const pairs = runs.map((r, i) => [r, ref[i]]).filter(([r, f]) => r && f);
      const rpsRatio = pairs.length ? median(pairs.map(([r, f]) => r.rps / f.rps)) : NaN;
      const cpuRatio = pairs.length ? median(pairs.map(([r, f]) => f.cpu / r.cpu)) : NaN;
      rows.push([mode, path, fw, Math.round(median(done.map((r) => r.rps))).toLocaleString('en-US'), median(done.map((r) => r.cpu)).toFixed(1), `${rpsRatio.toFixed(2)}×`, `${cpuRatio.toFixed(2)}×`]);
    }
  }
}
console.log(`\nHTTP/2 with h2load (-c${clients} -m${streams}), median of ${rounds} rounds × ${duration} s; server on core 0, h2load on core 1 (${started}, Node ${process.version}, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')})\n`);
console.log(markdownTable(['mode', 'path', 'server', 'req/s', 'server CPU µs/request', 'req/s vs Fastify', 'CPU/request: Fastify ÷ this'], rows, [3, 4, 5, 6]));
