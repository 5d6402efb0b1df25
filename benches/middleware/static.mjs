#!/usr/bin/env node
// Static files: Armature's serveStatic against Fastify's @fastify/static, a 1 KiB and a 1 MiB file,
// in one run (rounds interleaved, median), server on core 0, wrk on core 1, 127.0.0.1 only.
// Reports req/s and the server's CPU time per request (user + system from /proc).
//   npm run bench:static          env: ROUNDS=3 DURATION=4 CONNECTIONS=50
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuPerRequest, envNumber, freePort, median, requireWrk, root, startServer, wrk } from '../lib/load.mjs';
import { markdownTable } from '../lib/report.mjs';

requireWrk();
const rounds = envNumber('ROUNDS', 3);
const duration = envNumber('DURATION', 4);
const connections = envNumber('CONNECTIONS', 50);
const dir = mkdtempSync(join(tmpdir(), 'armature-static-bench-'));
writeFileSync(join(dir, 'small.txt'), 'x'.repeat(1024));
writeFileSync(join(dir, 'large.bin'), Buffer.alloc(1024 * 1024, 1));
const files = [{ name: '1 KiB', path: '/static/small.txt' }, { name: '1 MiB', path: '/static/large.bin' }];
const frameworks = ['armature', 'fastify'];
const results = {};
try {
  for (let round = 1; round <= rounds; round++) {
    for (const fw of frameworks) {
      const port = await freePort();
      const server = await startServer(join(root, 'benches/middleware/static-server.ts'), { port, env: { FRAMEWORK: fw, STATIC_DIR: dir } });
      try {
        for (const f of files) {
          const url = `http://127.0.0.1:${port}${f.path}`;
          wrk(url, { duration: 1, connections });
          const cpu = cpuPerRequest(server.serverPid);
          const r = wrk(url, { duration, connections });
          const perRequest = cpu.stop(r.requests);
          if (r.non2xx > 0 || r.socketErrors) console.error(`  ${fw} ${f.name}: non-2xx ${r.non2xx} ${r.socketErrors}`);
          ((results[f.name] ??= {})[fw] ??= []).push({ rps: r.rps, cpu: perRequest });
          console.error(`round ${round} ${fw.padEnd(8)} ${f.name.padEnd(6)} ${Math.round(r.rps)} req/s, ${perRequest.toFixed(1)} µs CPU/request`);
        }
      } finally {
        await server.stop();
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const rows = files.map((f) => {
  const m = (fw, k) => median(results[f.name][fw].map((r) => r[k]));
  return [f.name, Math.round(m('armature', 'rps')).toLocaleString('en-US'), Math.round(m('fastify', 'rps')).toLocaleString('en-US'), m('armature', 'cpu').toFixed(1), m('fastify', 'cpu').toFixed(1), `${(m('fastify', 'cpu') / m('armature', 'cpu')).toFixed(2)}×`];
});
console.log(`\nStatic files, median of ${rounds} rounds × ${duration} s, ${connections} connections, server on core 0, wrk on core 1 (${new Date().toISOString()}, Node ${process.version})\n`);
console.log(markdownTable(['file', 'armature req/s', 'fastify req/s', 'armature CPU µs/req', 'fastify CPU µs/req', 'Fastify CPU / Armature CPU'], rows, [1, 2, 3, 4, 5]));
