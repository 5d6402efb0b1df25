#!/usr/bin/env node
// Response compression against Fastify + @fastify/compress and Express + compression, at the same
// levels (gzip GZIP_LEVEL, default 6; brotli BR_QUALITY, default 4): a 10 KiB JSON response and a
// 1 MiB body streamed in 16 KiB chunks, each with gzip and with brotli. For each: req/s and the
// server's own CPU time per request (user + system from /proc/<pid>/stat over the requests wrk
// completed), with the compressed size. Server pinned to core 0, wrk to core 1, 127.0.0.1 only;
// rounds interleaved, medians reported, ratios against Fastify from the same rounds.
//   npm run bench:compression      env: ROUNDS=3 DURATION=4 FRAMEWORKS=armature,fastify,express
import { spawnSync, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envList, envNumber, freePort, has, median, requireWrk, root, startServer, parseWrk } from '../lib/load.mjs';
import { markdownTable } from '../lib/report.mjs';

requireWrk();
const rounds = envNumber('ROUNDS', 3);
const duration = envNumber('DURATION', 4);
const frameworks = envList('FRAMEWORKS', ['armature', 'fastify', 'express']);
const cases = [
  { name: '10 KiB JSON', path: '/json', coding: 'gzip', connections: 50 },
  { name: '10 KiB JSON', path: '/json', coding: 'br', connections: 50 },
  { name: '1 MiB stream', path: '/stream', coding: 'gzip', connections: 8 },
  { name: '1 MiB stream', path: '/stream', coding: 'br', connections: 8 },
];
const TICK_US = 1e6 / 100; // USER_HZ

function cpuMicros(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_US;
}

const pin = (core, argv) => (has('taskset') ? ['taskset', '-c', String(core), ...argv] : argv);

function wrk(url, coding, connections, seconds) {
  const argv = pin(1, ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '--latency', '-H', `Accept-Encoding: ${coding}`, url]);
  const out = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: (seconds + 30) * 1000 }).stdout ?? '';
  return { ...parseWrk(out), requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN), raw: out };
}

/** Compressed size and Content-Encoding of one response, checked to decode (curl --compressed). */
function sizeOf(url, coding) {
  const out = execFileSync('curl', ['-s', '-H', `Accept-Encoding: ${coding}`, '-o', '/dev/null', '-w', '%{size_download} %header{content-encoding}', url], { encoding: 'utf8' });
  const [size, encoding] = out.trim().split(' ');
  const plain = execFileSync('curl', ['-s', '--compressed', '-H', `Accept-Encoding: ${coding}`, '-o', '/dev/null', '-w', '%{size_download}', url], { encoding: 'utf8' });
  return { size: Number(size), encoding, ok: Number(plain) > 0 };
}

const results = {}; // key `${case}|${coding}|${fw}` → [{ rps, cpu }]
const sizes = {};
const started = new Date().toISOString();
for (let round = 1; round <= rounds; round++) {
  for (const fw of frameworks) {
    const port = await freePort();
    let server;
    try {
      server = await startServer(join(root, 'benches/compression/server.ts'), { port, env: { FRAMEWORK: fw } });
    } catch (error) {
      // a loaded machine may start a server too slowly: that round of that framework is skipped
      console.error(`round ${round} ${fw}: ${error.message}; skipped`);
      for (const c of cases) (results[`${c.name}|${c.coding}|${fw}`] ??= [])[round - 1] = undefined;
      continue;
    }
    try {
      for (const c of cases) {
        const url = `http://127.0.0.1:${port}${c.path}`;
        const key = `${c.name}|${c.coding}|${fw}`;
        if (sizes[key] === undefined) {
          const s = sizeOf(url, c.coding);
          if (s.encoding !== c.coding) throw new Error(`${fw} ${c.path}: Content-Encoding "${s.encoding}", expected ${c.coding}`);
          sizes[key] = s.size;
        }
        wrk(url, c.coding, c.connections, 1); // warm-up
        const before = cpuMicros(server.serverPid);
        const r = wrk(url, c.coding, c.connections, duration);
        const cpu = (cpuMicros(server.serverPid) - before) / r.requests;
        if (r.non2xx > 0 || r.socketErrors) console.error(`  ${fw} ${c.path} ${c.coding}: non-2xx ${r.non2xx} ${r.socketErrors}`);
        (results[key] ??= [])[round - 1] = { rps: r.rps, cpu };
        console.error(`round ${round} ${fw.padEnd(13)} ${c.name.padEnd(13)} ${c.coding.padEnd(4)} ${Math.round(r.rps)} req/s, ${cpu.toFixed(1)} µs CPU/request`);
      }
    } finally {
      await server.stop();
    }
  }
}

const rows = [];
for (const c of cases) {
  const ref = results[`${c.name}|${c.coding}|fastify`];
  for (const fw of frameworks) {
    const key = `${c.name}|${c.coding}|${fw}`;
    const runs = (results[key] ?? []).filter(Boolean);
    if (runs.length === 0 || sizes[key] === undefined) continue;
    const rps = median(runs.map((r) => r.rps));
    const cpu = median(runs.map((r) => r.cpu));
    // same-round ratios (rounds where both ran), then their median
    const pairs = (results[key] ?? []).map((r, i) => [r, ref?.[i]]).filter(([r, f]) => r && f);
    const rpsRatio = pairs.length ? median(pairs.map(([r, f]) => r.rps / f.rps)) : NaN;
    const cpuRatio = pairs.length ? median(pairs.map(([r, f]) => f.cpu / r.cpu)) : NaN;
    rows.push([`${c.name}, ${c.coding}`, fw, Math.round(rps).toLocaleString('en-US'), cpu.toFixed(1), sizes[key].toLocaleString('en-US'), `${rpsRatio.toFixed(2)}×`, `${cpuRatio.toFixed(2)}×`]);
  }
}
console.log(`\nCompression, median of ${rounds} rounds × ${duration} s; server on core 0, wrk on core 1; gzip level ${process.env.GZIP_LEVEL ?? 6}, brotli quality ${process.env.BR_QUALITY ?? 4} for all (${started}, Node ${process.version}, shared machine)\n`);
console.log(markdownTable(['response', 'framework', 'req/s', 'server CPU µs/request', 'bytes on the wire', 'req/s vs Fastify', 'CPU/request: Fastify ÷ this'], rows, [2, 3, 4, 5, 6]));
