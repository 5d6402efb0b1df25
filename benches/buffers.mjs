#!/usr/bin/env node
// Buffer size auto-tuning (issue 13): the engine's pooled output buffers following recent traffic
// (BUFFER_SIZE=auto) against one fixed size (16 KiB), in the same run, rounds interleaved.
// Workloads: "small" (every request a short JSON object) and "mixed" (three short JSON answers,
// then one of 64 KiB, repeated). Per mode and workload: the server's V8 heap bytes allocated per
// request, garbage collections and their time per 1,000 requests (v8.GCProfiler in the server),
// its CPU time per request (/proc/<pid>/stat) and peak RSS. Server on core 0, wrk on core 1,
// 50 connections, 127.0.0.1 only, bounded in time.
// REFERENCE_CORE=<a checkout>/packages/core/dist/index.js adds a mode "reference": the same server
// on another build of the core (e.g. main's before a change).
//   npm run bench:buffers        env: ROUNDS=5 DURATION=4 MODES=auto,16384 WORKLOADS=small,mixed
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuPerRequest, envList, envNumber, freePort, median, requireWrk, root, rssSampler, startServer, wrk } from './lib/load.mjs';
import { markdownTable } from './lib/report.mjs';

requireWrk();
const rounds = envNumber('ROUNDS', 5);
const duration = envNumber('DURATION', 4);
const connections = envNumber('CONNECTIONS', 50);
const modes = [...envList('MODES', ['auto', '16384']), ...(process.env.REFERENCE_CORE ? ['reference'] : [])];
const dir = mkdtempSync(join(tmpdir(), 'armature-buffers-'));
const scripts = {
  small: join(dir, 'small.lua'),
  mixed: join(dir, 'mixed.lua'),
};
writeFileSync(scripts.small, 'init = function() req = wrk.format(nil, "/small") end\nrequest = function() return req end\n');
writeFileSync(scripts.mixed, `init = function()
  small = wrk.format(nil, "/small")
  large = wrk.format(nil, "/large")
  n = 0
end
request = function()
  n = n + 1
  if n % 4 == 0 then return large end
  return small
end
`);
const workloads = envList('WORKLOADS', ['small', 'mixed']);

async function gcSince(port) {
  const res = await fetch(`http://127.0.0.1:${port}/gc`);
  return res.json();
}

const results = {};
for (let round = 1; round <= rounds; round++) {
  const order = round % 2 === 1 ? modes : [...modes].reverse();
  for (const mode of order) {
    const port = await freePort();
    const env = mode === 'reference' ? { REFERENCE_CORE: process.env.REFERENCE_CORE } : { BUFFER_SIZE: mode, REFERENCE_CORE: '' };
    const server = await startServer(join(root, 'benches/buffers/server.ts'), { port, env });
    try {
      for (const w of workloads) {
        const url = `http://127.0.0.1:${port}/`;
        wrk(url, { duration: 2, connections, script: scripts[w] }); // warm-up
        await gcSince(port);
        const rss = rssSampler(server.serverPid);
        const cpu = cpuPerRequest(server.serverPid);
        const r = wrk(url, { duration, connections, script: scripts[w] });
        const cpuUs = cpu.stop(r.requests);
        const gc = await gcSince(port);
        const entry = {
          rps: r.rps,
          cpuUs,
          allocatedPerRequest: gc.allocated / r.requests,
          collectionsPer1k: (gc.collections * 1000) / r.requests,
          gcUsPerRequest: (gc.gcMs * 1000) / r.requests,
          rssMb: rss.stop() / 1024,
          unpooledPer1k: (gc.unpooledOutputs * 1000) / r.requests,
          buffersAllocated: gc.buffersAllocated,
          outputBufferSize: gc.outputBufferSize,
        };
        ((results[w] ??= {})[mode] ??= []).push(entry);
        if (r.non2xx > 0 || r.socketErrors) console.error(`  ${mode} ${w}: non-2xx ${r.non2xx} ${r.socketErrors}`);
        console.error(`round ${round} ${mode.padEnd(6)} ${w.padEnd(6)} ${Math.round(r.rps)} req/s, ${cpuUs.toFixed(2)} µs CPU/req, ${Math.round(entry.allocatedPerRequest)} B heap/req, ${entry.gcUsPerRequest.toFixed(2)} µs GC/req, ${entry.collectionsPer1k.toFixed(2)} GCs/1k, RSS ${entry.rssMb.toFixed(0)} MB, output buffers ${gc.outputBufferSize} B (${gc.buffersAllocated} allocated), unpooled outputs ${entry.unpooledPer1k.toFixed(0)}/1k`);
      }
    } finally {
      await server.stop();
    }
  }
}

const fmt = (n, d = 2) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
console.log(`\nbench:buffers, median of ${rounds} rounds × ${duration} s, ${connections} connections, server on core 0, wrk on core 1 (${new Date().toISOString()}, Node ${process.version})\n`);
const rows = [];
for (const w of workloads) {
  for (const mode of modes) {
    const runs = results[w][mode];
    const m = (k) => median(runs.map((r) => r[k]));
    const label = mode === 'auto' || mode === 'reference' ? mode : `fixed ${mode} B`;
    rows.push([w, label, fmt(m('rps'), 0), fmt(m('cpuUs')), fmt(m('allocatedPerRequest'), 0), fmt(m('gcUsPerRequest')), fmt(m('collectionsPer1k')), fmt(m('unpooledPer1k'), 0), fmt(m('rssMb'), 0)]);
  }
}
console.log(markdownTable(['workload', 'buffers', 'req/s', 'server CPU µs/request', 'V8 heap bytes allocated/request', 'GC µs/request', 'GCs per 1,000 requests', 'unpooled outputs per 1,000 requests', 'peak RSS MB'], rows, [2, 3, 4, 5, 6, 7, 8]));
for (const other of modes.slice(1)) {
  console.log(`\nSame-round ratios (${modes[0]} ÷ ${other}), median of the rounds:`);
  for (const w of workloads) {
    const a = results[w][modes[0]];
    const b = results[w][other];
    const ratio = (k) => median(a.map((x, i) => x[k] / b[i][k])).toFixed(3);
    console.log(`  ${w}: CPU/request ${ratio('cpuUs')}×, heap allocated/request ${ratio('allocatedPerRequest')}×, GC time/request ${ratio('gcUsPerRequest')}×, GCs ${ratio('collectionsPer1k')}×, peak RSS ${ratio('rssMb')}×`);
  }
}
process.exit(0);
