#!/usr/bin/env node
// Uploads: Armature's multipartParts against Fastify's @fastify/multipart, a form with two fields
// and a 1 KiB file, and one with a 1 MiB file, read part by part (bytes counted, nothing stored).
// Same run, rounds interleaved, median; server on core 0, wrk (POST through a Lua script) on
// core 1, 127.0.0.1 only. Reports req/s and the server's CPU time per request.
//   npm run bench:upload        env: ROUNDS=3 DURATION=4 CONNECTIONS=20
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envNumber, requireWrk, root } from '../lib/load.mjs';
import { comparePeers } from './peers.mjs';

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
  { name: '1 KiB file', bytes: 1024, path: '/upload' },
  { name: '1 MiB file', bytes: 1024 * 1024, path: '/upload' },
];
for (const c of cases) {
  c.body = join(dir, `${c.bytes}.body`);
  writeFileSync(c.body, form(c.bytes));
  c.script = join(dir, `${c.bytes}.lua`);
  writeFileSync(c.script, `wrk.method = "POST"\nwrk.headers["Content-Type"] = "multipart/form-data; boundary=${boundary}"\nlocal f = io.open("${c.body}", "rb")\nwrk.body = f:read("*a")\nf:close()\n`);
}
try {
  await comparePeers({ title: 'Uploads (multipart, read part by part)', label: 'form', serverFile: join(root, 'benches/middleware/upload-server.ts'), cases, rounds, duration, connections });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
