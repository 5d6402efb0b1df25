#!/usr/bin/env node
// Uploads: Armature's multipartParts against Fastify's @fastify/multipart, a form with two fields
// and a 1 KiB file, and one with a 1 MiB file, read part by part (bytes counted, nothing stored).
// Same run, rounds interleaved, median; server on core 0, wrk (POST through a Lua script) on
// core 1, 127.0.0.1 only. Reports req/s and the server's CPU time per request.
//   npm run bench:upload        env: ROUNDS=3 DURATION=4 CONNECTIONS=20
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuPerRequest, envNumber, freePort, has, median, parseWrk, requireWrk, root, startServer } from '../lib/load.mjs';
import { markdownTable } from '../lib/report.mjs';

requireWrk();
const rounds = envNumber('ROUNDS', 3);
const duration = envNumber('DURATION', 4);
const connections = envNumber('CONNECTIONS', 20);
const dir = mkdtempSync(join(tmpdir(), 'armature-upload-bench-'));
const boundary = 'ArmatureBenchBoundary7MA4YWxkTrZu0gW';
function form(fileBytes) {
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nquarterly report\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="tags"\r\n\r\na,b,c\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="data.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.alloc(fileBytes, 0x5a),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}
const cases = [
  { name: '1 KiB file', bytes: 1024 },
  { name: '1 MiB file', bytes: 1024 * 1024 },
];
for (const c of cases) {
  c.body = join(dir, `${c.bytes}.body`);
  writeFileSync(c.body, form(c.bytes));
  c.script = join(dir, `${c.bytes}.lua`);
  writeFileSync(c.script, `wrk.method = "POST"\nwrk.headers["Content-Type"] = "multipart/form-data; boundary=${boundary}"\nlocal f = io.open("${c.body}", "rb")\nwrk.body = f:read("*a")\nf:close()\n`);
}
const pin = (argv) => (has('taskset') ? ['taskset', '-c', '1', ...argv] : argv);
function post(url, script, seconds) {
  const argv = pin(['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '--latency', '-s', script, url]);
  const out = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: (seconds + 30) * 1000 }).stdout ?? '';
  return parseWrk(out);
}
const frameworks = ['armature', 'fastify'];
const results = {};
try {
  for (let round = 1; round <= rounds; round++) {
    for (const fw of frameworks) {
      const port = await freePort();
      const server = await startServer(join(root, 'benches/middleware/upload-server.ts'), { port, env: { FRAMEWORK: fw } });
      try {
        for (const c of cases) {
          const url = `http://127.0.0.1:${port}/upload`;
          post(url, c.script, 1);
          const cpu = cpuPerRequest(server.serverPid);
          const r = post(url, c.script, duration);
          const perRequest = cpu.stop(r.requests);
          if (r.non2xx > 0 || r.socketErrors) console.error(`  ${fw} ${c.name}: non-2xx ${r.non2xx} ${r.socketErrors}`);
          ((results[c.name] ??= {})[fw] ??= []).push({ rps: r.rps, cpu: perRequest });
          console.error(`round ${round} ${fw.padEnd(8)} ${c.name.padEnd(10)} ${Math.round(r.rps)} req/s, ${perRequest.toFixed(1)} µs CPU/request`);
        }
      } finally {
        await server.stop();
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const rows = cases.map((c) => {
  const m = (fw, k) => median(results[c.name][fw].map((r) => r[k]));
  return [c.name, Math.round(m('armature', 'rps')).toLocaleString('en-US'), Math.round(m('fastify', 'rps')).toLocaleString('en-US'), m('armature', 'cpu').toFixed(1), m('fastify', 'cpu').toFixed(1), `${(m('fastify', 'cpu') / m('armature', 'cpu')).toFixed(2)}×`];
});
console.log(`\nUploads (multipart, read part by part), median of ${rounds} rounds × ${duration} s, ${connections} connections, server on core 0, wrk on core 1 (${new Date().toISOString()}, Node ${process.version})\n`);
console.log(markdownTable(['form', 'armature req/s', 'fastify req/s', 'armature CPU µs/req', 'fastify CPU µs/req', 'Fastify CPU / Armature CPU'], rows, [1, 2, 3, 4, 5]));
