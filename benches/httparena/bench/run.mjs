#!/usr/bin/env node
// `npm run bench:httparena`: HttpArena's profiles that make sense on two cores, on the Armature
// entry and on the node:http and Fastify entries written to the same rules, in one run. Each
// round starts every entry in turn (the order rotates) with every listener open (PROFILE=all),
// pinned to core 0; each profile is warmed up, then loaded from core 1 — wrk with the profile's
// request mix (./lua.mjs) for HTTP/1.1, h2load for HTTP/2, ./ws-load.mjs for the echo — while the server's CPU time (from
// /proc) and peak RSS are taken. Medians over the rounds; ratios against Fastify.
//   env: PROFILES=baseline,json  ENTRIES=armature,fastify  ROUNDS=3  DURATION=3 (s)  WARMUP=1 (s)
//        CONNECTIONS=100  REFERENCE=fastify  DATABASE_URL  DATABASE_MAX_CONN=16  DB_CORE=1 (none)
//        OUT=httparena (a name under benches/results, or a path)
// Writes benches/results/<OUT>.json, <OUT>.md (the table) and <OUT>.svg (a chart).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cpuPerRequest, databaseUrl, envList, envNumber, freePort, has, load, otherCpu, requireWrk, root, rssSampler, startServer } from '../../lib/load.mjs';
import { pinDatabase } from '../../lib/pin-db.mjs';
import { chartGroups, compareRows, markdownTable, summarize } from '../../lib/report.mjs';
import { barChart } from '../../lib/svg.mjs';
import { h2load } from './h2load.mjs';
import { STATIC_FILES, jsonPaths, writeScripts } from './lua.mjs';
import { wsLoad } from './ws-load.mjs';

const ENTRY_FILES = {
  armature: 'benches/httparena/armature/main.ts',
  'node-http': 'benches/httparena/node-http.ts',
  fastify: 'benches/httparena/fastify.ts',
};

/** name, listener, how it is loaded. Paths without a script are loaded as they are. */
const ALL_PROFILES = [
  { name: 'baseline', listener: 'h1', script: 'baseline', path: '/baseline11?a=13&b=42' },
  { name: 'pipelined', listener: 'h1', path: '/pipeline', depth: 16 },
  { name: 'short-lived', listener: 'h1', script: 'short-lived', path: '/baseline11?a=13&b=42' },
  { name: 'json', listener: 'h1', script: 'json', path: '/json/1?m=3' },
  { name: 'json-comp', listener: 'h1', script: 'json-comp', path: '/json/25?m=4' },
  { name: 'json-tls', listener: 'h1-tls', script: 'json-tls', path: '/json/1?m=3' },
  { name: 'upload', listener: 'h1', script: 'upload', path: '/upload', connections: 32 },
  { name: 'static', listener: 'h1', script: 'static', path: '/static/reset.css' },
  { name: 'async-db', listener: 'h1', script: 'async-db', path: '/async-db', db: true },
  { name: 'crud', listener: 'h1', script: 'crud', path: '/crud/items/1', db: true },
  { name: 'api-4', listener: 'h1', script: 'api-4', path: '/baseline11?a=1&b=2', db: true },
  { name: 'echo-ws', listener: 'h1', ws: '/ws' },
  { name: 'baseline-h2', listener: 'h2', h2: { uris: ['/baseline2?a=1&b=1'], streams: 100 } },
  { name: 'static-h2', listener: 'h2', h2: { uris: STATIC_FILES.map((f) => `/static/${f}`), streams: 32, headers: ['Accept-Encoding: br;q=1, gzip;q=0.8'] } },
  { name: 'baseline-h2c', listener: 'h2c', h2: { uris: ['/baseline2?a=1&b=1'], streams: 100 } },
  { name: 'json-h2c', listener: 'h2c', h2: { uris: jsonPaths(), streams: 32 } },
];
const PORT_VARIABLES = { h1: 'PORT', 'h1-tls': 'TLS_PORT', h2: 'H2_PORT', h2c: 'H2C_PORT' };
const SCHEME = { h1: 'http', 'h1-tls': 'https', h2: 'https', h2c: 'http' };

requireWrk();
const rounds = envNumber('ROUNDS', 3);
const duration = envNumber('DURATION', 3);
const warmup = envNumber('WARMUP', 1);
const connections = envNumber('CONNECTIONS', 100);
const reference = process.env.REFERENCE ?? 'fastify';
const entries = envList('ENTRIES', Object.keys(ENTRY_FILES));
const names = envList('PROFILES', ALL_PROFILES.map((p) => p.name));
const unknown = [...names.filter((n) => !ALL_PROFILES.some((p) => p.name === n)), ...entries.filter((e) => !(e in ENTRY_FILES))];
if (unknown.length) {
  console.error(`unknown PROFILES or ENTRIES: ${unknown.join(', ')} (profiles: ${ALL_PROFILES.map((p) => p.name).join(', ')}; entries: ${Object.keys(ENTRY_FILES).join(', ')})`);
  process.exit(2);
}
let profiles = ALL_PROFILES.filter((p) => names.includes(p.name));
const skip = {};
if (!has('h2load')) {
  for (const p of profiles.filter((p) => p.h2)) skip[p.name] = 'h2load is not installed (apt-get install nghttp2-client)';
  profiles = profiles.filter((p) => !p.h2);
}
process.env.DATABASE_MAX_CONN ||= '16';

// the data files and the items table, once (the entries generate missing files themselves too)
const setup = spawnSync(process.execPath, ['--import', 'tsx', 'benches/httparena/setup.ts'], { cwd: root, encoding: 'utf8' });
process.stderr.write(setup.stdout + setup.stderr);
if (setup.status !== 0) {
  for (const p of profiles.filter((p) => p.db)) skip[p.name] = 'no database (see npm run httparena:setup)';
  profiles = profiles.filter((p) => !p.db);
}
const pinned = profiles.some((p) => p.db) ? pinDatabase(databaseUrl()) : 'no database profile';

function waitForPort(port, ms = 20000) {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(); });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > until) reject(new Error(`nothing listens on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

const scripts = writeScripts();
const listeners = [...new Set(profiles.map((p) => p.listener))];
const estimate = rounds * entries.length * (profiles.length * (duration + warmup + 1) + 3);
console.error(`${profiles.length} profiles × ${entries.length} entries × ${rounds} rounds, ${duration} s each after ${warmup} s: about ${Math.ceil(estimate / 60)} min; ${pinned}`);

const runs = {};
const status = {};
const unavailable = {};
for (let round = 1; round <= rounds; round++) {
  const shift = (round - 1) % entries.length;
  for (const entry of [...entries.slice(shift), ...entries.slice(0, shift)]) {
    if (unavailable[entry]) continue;
    const ports = {};
    for (const l of listeners) ports[l] = await freePort();
    const env = { PROFILE: 'all', ...Object.fromEntries(Object.entries(PORT_VARIABLES).map(([l, v]) => [v, String(ports[l] ?? 0)])) };
    let server;
    try {
      server = await startServer(join(root, ENTRY_FILES[entry]), { port: ports.h1 ?? ports[listeners[0]], env });
      for (const l of listeners) await waitForPort(ports[l]);
    } catch (e) {
      unavailable[entry] = e.message;
      console.error(`${entry}: not available (${e.message})`);
      await server?.stop();
      continue;
    }
    try {
      for (const p of profiles) {
        (status[entry] ??= {})[p.name] = 'ok';
        const base = `${SCHEME[p.listener]}://127.0.0.1:${ports[p.listener]}`;
        const run = p.h2
          ? (d) => h2load(p.h2.uris.map((u) => base + u), { connections: 16, streams: p.h2.streams, headers: p.h2.headers, duration: d })
          : p.ws
            ? (d) => wsLoad(`ws://127.0.0.1:${ports[p.listener]}${p.ws}`, { connections, duration: d })
            : (d) => load('wrk', base + p.path, { connections: p.connections ?? connections, duration: d, depth: p.depth ?? 1, script: p.script && scripts[p.script] });
        if (warmup > 0) await run(warmup);
        const sampler = rssSampler(server.serverPid);
        const others = otherCpu(p.db ? ['postgres'] : []);
        const cpu = cpuPerRequest(server.serverPid);
        const r = await run(duration);
        r.cpuUs = cpu.stop(r.requests);
        r.rssKb = sampler.stop();
        r.otherCores = others.stop();
        r.round = round;
        ((runs[p.name] ??= {})[entry] ??= []).push(r);
        const trouble = [(r.non2xx > 0 || r.socketErrors) && `non-2xx ${r.non2xx}${r.socketErrors ? `, ${r.socketErrors}` : ''}`, r.otherCores >= 0.1 && `others ${r.otherCores} cores`].filter(Boolean).join('; ');
        console.error(`round ${round} ${entry.padEnd(10)} ${p.name.padEnd(13)} ${Math.round(r.rps).toString().padStart(8)} req/s ${Number.isFinite(r.cpuUs) ? `${r.cpuUs.toFixed(1).padStart(7)} µs CPU/req` : ''}${trouble ? `  (${trouble})` : ''}`);
        if (!(r.rps > 0)) console.error(r.raw.trim().split('\n').slice(-8).join('\n'));
      }
    } finally {
      await server.stop();
    }
  }
}

rmSync(dirname(scripts.baseline), { recursive: true, force: true });
const summary = summarize({ runs, status, unavailable }, { frameworks: entries, tests: [...profiles.map((p) => p.name), ...Object.keys(skip)], skip });
const tests = [...profiles.map((p) => p.name), ...Object.keys(skip)];
const header = ['profile', 'entry', 'req/s', `vs ${reference}`, 'CPU µs/req', `CPU vs ${reference}`, 'p50 ms', 'p99 ms', 'peak RSS MB', 'remarks'];
const table = markdownTable(header, compareRows(summary, { tests, frameworks: entries, reference }), [2, 3, 4, 5, 6, 7, 8]);
const when = new Date().toISOString();
const settings = `${rounds} rounds × ${duration} s after ${warmup} s warm-up; wrk ${connections} connections (upload 32), h2load 16 connections × 100 streams (static-h2, json-h2c: 32); server on core 0, load on core 1; ${pinned}`;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average before the report ${loadavg().map((x) => x.toFixed(2)).join(' ')} (the machine is shared with other agents)`;
console.log(`\nHttpArena profiles, ${when}\n${settings}\n${machine}\n\n${table}`);

const out = process.env.OUT ?? 'httparena';
const base = out.includes('/') ? resolve(out) : join(root, 'benches/results', out);
mkdirSync(dirname(base), { recursive: true });
writeFileSync(`${base}.json`, JSON.stringify({ when, settings, machine, reference, entries, summary }, null, 2) + '\n');
writeFileSync(`${base}.md`, `# HttpArena profiles (${when})\n\n\`npm run bench:httparena\`: ${settings}.\n${machine}.\n\n${table}\n`);
writeFileSync(`${base}.svg`, barChart({ title: 'HttpArena profiles: requests/s (median)', subtitle: `${settings}; shared machine`, groups: chartGroups(summary, { tests, frameworks: entries, reference }), series: entries }));
console.error(`wrote ${base}.json, .md and .svg`);
