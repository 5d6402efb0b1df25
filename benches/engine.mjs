#!/usr/bin/env node
// Engine benchmark (issue "Core engine"): TechEmpower plaintext, plaintext pipelined 16 deep and
// JSON on Armature, Fastify and bare node:http, in one run. Server on core 0, wrk on core 1,
// 100 connections. Several rounds, frameworks interleaved; the median of the rounds is reported.
// Beside req/s (which the load generator caps on a 2-core machine), each server's own CPU time
// per request: user + system of the listening process (/proc/<pid>/stat) over the measured run,
// divided by the requests wrk completed.
//   npm run bench:engine            (ROUNDS=3 DURATION=5 by default)
//   env: FRAMEWORKS=armature,fastify  TESTS=plaintext-pipelined-16  to run a subset
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuPerRequest, median, requireWrk, root, startServer, wrk } from './lib/load.mjs';

requireWrk();
const rounds = Number(process.env.ROUNDS ?? 3);
const duration = Number(process.env.DURATION ?? 5);
const port = Number(process.env.PORT ?? 8080);
const frameworks = (process.env.FRAMEWORKS ?? 'armature,fastify,node-http,canned-net').split(',');
// canned-net is not a framework: it answers without parsing, the ceiling of machine + wrk
const appFile = (fw) => join(root, fw === 'canned-net' ? 'benches/reference' : 'benches/techempower', `${fw}.ts`);
const tests = [
  { name: 'plaintext', path: '/plaintext', depth: 1 },
  { name: 'plaintext-pipelined-16', path: '/plaintext', depth: 16 },
  { name: 'json', path: '/json', depth: 1 },
].filter((t) => !process.env.TESTS || process.env.TESTS.split(',').includes(t.name));

const results = {};
for (let round = 1; round <= rounds; round++) {
  for (const fw of frameworks) {
    const server = await startServer(appFile(fw), { port });
    try {
      for (const t of tests) {
        if (fw === 'canned-net' && t.name === 'json') continue;
        const url = `http://127.0.0.1:${port}${t.path}`;
        wrk(url, { duration: 2, depth: t.depth }); // warm-up
        const cpu = cpuPerRequest(server.serverPid);
        const r = wrk(url, { duration, depth: t.depth });
        r.cpuUs = cpu.stop(r.requests);
        if (r.non2xx > 0 || r.socketErrors) console.error(`  ${fw} ${t.name}: non-2xx ${r.non2xx} ${r.socketErrors}`);
        ((results[t.name] ??= {})[fw] ??= []).push(r);
        console.error(`round ${round} ${fw.padEnd(10)} ${t.name.padEnd(24)} ${Math.round(r.rps)} req/s, ${r.cpuUs.toFixed(2)} µs CPU/req`);
      }
    } finally {
      await server.stop();
    }
  }
}

const summary = {};
const cpuLines = [`| test | ${frameworks.map((f) => `${f} µs`).join(' | ')} | fastify / armature | node-http / armature | armature / canned-net |`, `|---|${frameworks.map(() => '---:').join('|')}|---:|---:|---:|`];
const lines = [`| test | ${frameworks.join(' | ')} | armature / fastify | armature / node-http | armature / canned-net |`, `|---|${frameworks.map(() => '---:').join('|')}|---:|---:|---:|`];
for (const t of tests) {
  const row = {};
  for (const fw of frameworks) {
    const runs = results[t.name][fw];
    if (!runs) continue;
    row[fw] = { rps: median(runs.map((r) => r.rps)), cpuUs: median(runs.map((r) => r.cpuUs)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), runs: runs.map((r) => Math.round(r.rps)) };
  }
  summary[t.name] = row;
  const ratio = (a, b) => (row[a] && row[b] ? (row[a].rps / row[b].rps).toFixed(2) + '×' : 'n/a');
  const cell = (fw) => (row[fw] ? Math.round(row[fw].rps).toLocaleString('en-US') : '–');
  lines.push(`| ${t.name} | ${frameworks.map(cell).join(' | ')} | ${ratio('armature', 'fastify')} | ${ratio('armature', 'node-http')} | ${ratio('armature', 'canned-net')} |`);
  const us = (fw) => (row[fw] ? row[fw].cpuUs.toFixed(2) : '–');
  // CPU: how many times Armature's cost each costs (fastify 1.8× = Fastify spends 1.8× Armature's CPU)
  const cost = (a, b) => (row[a] && row[b] ? (row[a].cpuUs / row[b].cpuUs).toFixed(2) + '×' : 'n/a');
  cpuLines.push(`| ${t.name} | ${frameworks.map(us).join(' | ')} | ${cost('fastify', 'armature')} | ${cost('node-http', 'armature')} | ${cost('armature', 'canned-net')} |`);
}
console.log(`\nMedian requests/s of ${rounds} rounds × ${duration} s, 100 connections, server on core 0, wrk on core 1 (${new Date().toISOString()}, Node ${process.version})\n`);
console.log(lines.join('\n'));
console.log(`\nServer CPU time per request (user + system of the listening process / requests completed), µs, median of the rounds\n`);
console.log(cpuLines.join('\n'));
mkdirSync(join(root, 'benches/results'), { recursive: true });
const file = join(root, 'benches/results', process.env.TESTS || process.env.FRAMEWORKS ? 'engine-subset.json' : 'engine.json');
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, rounds, duration, summary }, null, 2));
console.log(`\nwritten ${file}`);
