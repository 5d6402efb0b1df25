#!/usr/bin/env node
// Static files: Armature's serveStatic against Fastify's @fastify/static, a 1 KiB and a 1 MiB file,
// in one run (rounds interleaved, median), server on core 0, wrk on core 1, 127.0.0.1 only.
// Reports req/s and the server's CPU time per request (user + system from /proc).
//   npm run bench:static          env: ROUNDS=3 DURATION=4 CONNECTIONS=50
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envNumber, requireWrk, root } from '../lib/load.mjs';
import { comparePeers } from './peers.mjs';

requireWrk();
const rounds = envNumber('ROUNDS', 3);
const duration = envNumber('DURATION', 4);
const connections = envNumber('CONNECTIONS', 50);
const dir = mkdtempSync(join(tmpdir(), 'armature-static-bench-'));
writeFileSync(join(dir, 'small.txt'), 'x'.repeat(1024));
writeFileSync(join(dir, 'large.bin'), Buffer.alloc(1024 * 1024, 1));
const files = [{ name: '1 KiB', path: '/static/small.txt' }, { name: '1 MiB', path: '/static/large.bin' }];
try {
  await comparePeers({ title: 'Static files', label: 'file', serverFile: join(root, 'benches/middleware/static-server.ts'), env: { STATIC_DIR: dir }, cases: files, rounds, duration, connections });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
