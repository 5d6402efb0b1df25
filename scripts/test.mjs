#!/usr/bin/env node
/**
 * Runs every test of the repository with node:test, TypeScript through tsx: each package's
 * (packages/<name>/test), the benchmarks' tools (benches/test) and the repository scripts'
 * (scripts/test). Usage: node scripts/test.mjs [filter] — filter keeps files whose path contains it.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv[2] ?? '';
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.test.ts') && p.includes(filter)) files.push(p);
  }
}
const dirs = readdirSync(join(root, 'packages')).map((pkg) => join(root, 'packages', pkg, 'test'));
dirs.push(join(root, 'benches', 'test'), join(root, 'scripts', 'test'));
for (const dir of dirs) {
  try { statSync(dir); } catch { continue; }
  walk(dir);
}
if (files.length === 0) {
  console.error(`no test files found${filter ? ` matching "${filter}"` : ''}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files.sort()], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(result.status ?? 1);
