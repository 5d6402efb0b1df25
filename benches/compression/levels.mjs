#!/usr/bin/env node
// Which default levels for dynamic content: for each coding and level, the CPU time to compress
// the benchmark's 10 KiB JSON document (one shot, on the calling thread) and its 1 MiB NDJSON body
// (streamed in 16 KiB chunks), with the compressed sizes. In process, pinned to one core, median
// of ROUNDS. The default is the level past which more CPU buys little: see docs/compression.md.
//   node --import tsx benches/compression/levels.mjs     env: ROUNDS=7

import { CONTENT_CODINGS } from '@armature/core/http';
import { document, streamChunks } from './payload.ts';

const rounds = Number(process.env.ROUNDS ?? 7);
const json = Buffer.from(JSON.stringify(document(10 * 1024)));
const chunks = streamChunks(1024 * 1024, 16 * 1024);
const LEVELS = { gzip: [1, 3, 4, 5, 6, 9], br: [1, 3, 4, 5, 6, 8], zstd: [1, 2, 3, 5, 7] };
const median = (xs) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];

function cpuMicros() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

function oneShot(coding, level) {
  const n = 400;
  for (let i = 0; i < 300; i++) coding.encodeSync(json, level);
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const t = cpuMicros();
    for (let i = 0; i < n; i++) coding.encodeSync(json, level);
    times.push((cpuMicros() - t) / n);
  }
  return { us: median(times), size: coding.encodeSync(json, level).length };
}

async function streamed(coding, level) {
  const times = [];
  let size = 0;
  for (let r = 0; r < rounds; r++) {
    const t = cpuMicros();
    size = await new Promise((resolve, reject) => {
      const z = coding.createEncoder(level);
      let bytes = 0;
      z.on('data', (d) => { bytes += d.length; });
      z.on('end', () => resolve(bytes));
      z.on('error', reject);
      for (const c of chunks) z.write(c);
      z.end();
    });
    times.push(cpuMicros() - t); // this process: the thread pool's work counts too
  }
  return { us: median(times), size };
}

console.log(`| coding | level | 10 KiB JSON: CPU µs | bytes | 1 MiB stream: CPU ms | bytes |`);
console.log(`|---|---:|---:|---:|---:|---:|`);
for (const [name, levels] of Object.entries(LEVELS)) {
  const coding = CONTENT_CODINGS.get(name);
  if (coding === undefined) {
    console.log(`| ${name} | — | not in this runtime (Node ${process.version}) | | | |`);
    continue;
  }
  for (const level of levels) {
    const a = oneShot(coding, level);
    const b = await streamed(coding, level);
    console.log(`| ${name} | ${level} | ${a.us.toFixed(1)} | ${a.size} | ${(b.us / 1000).toFixed(1)} | ${b.size} |`);
  }
}
// one shot on the calling thread against one shot on zlib's thread pool, at the default levels:
// CPU of the whole process per body (the pool's threads count too)
async function pooled(coding, level, body) {
  const n = 200;
  const once = () => new Promise((resolve, reject) => coding.encode(body, level, (e, out) => (e ? reject(e) : resolve(out))));
  for (let i = 0; i < 50; i++) await once();
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const t = cpuMicros();
    for (let i = 0; i < n; i++) await once();
    times.push((cpuMicros() - t) / n);
  }
  return median(times);
}
function synced(coding, level, body) {
  const n = 200;
  for (let i = 0; i < 50; i++) coding.encodeSync(body, level);
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const t = cpuMicros();
    for (let i = 0; i < n; i++) coding.encodeSync(body, level);
    times.push((cpuMicros() - t) / n);
  }
  return median(times);
}
console.log(`\n| coding (default level) | body | calling thread: CPU µs | thread pool: CPU µs |`);
console.log(`|---|---:|---:|---:|`);
const big = Buffer.from(JSON.stringify(document(64 * 1024)));
for (const [name, level] of [['gzip', 5], ['br', 4], ['zstd', 3]]) {
  const coding = CONTENT_CODINGS.get(name);
  if (coding === undefined) continue;
  for (const body of [json, big]) console.log(`| ${name} ${level} | ${body.length} | ${synced(coding, level, body).toFixed(1)} | ${(await pooled(coding, level, body)).toFixed(1)} |`);
}
console.log(`\n(plain: ${json.length} and ${chunks.reduce((s, c) => s + c.length, 0)} bytes; median of ${rounds}; Node ${process.version}; ${new Date().toISOString()}; shared machine)`);

