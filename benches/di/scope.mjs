#!/usr/bin/env node
// What request scope costs per request (benches/di/scope.ts), run twice: as tsc output (what a
// production build runs) and under tsx. Writes benches/di/results-scope.json.
//   node benches/di/scope.mjs
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../lib/load.mjs';
import { tscBuild } from './tsc-build.mjs';

function run(label, argv) {
  const out = spawnSync(process.execPath, argv, { cwd: root, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`${label}: ${out.stderr}`);
  const lines = out.stdout.trim().split('\n');
  console.log(`\n${label}`);
  for (const l of lines) if (!l.startsWith('JSON ')) console.log(l);
  return JSON.parse(lines.find((l) => l.startsWith('JSON ')).slice(5));
}

const compiled = tscBuild(['benches/di/scope.ts']);
const results = {
  date: new Date().toISOString(),
  tsc: run('tsc output (production build):', [compiled('benches/di/scope.ts')]),
  tsx: run('tsx (esbuild) — fields of decorated classes become Object.defineProperty calls:', ['--import', 'tsx', join(root, 'benches/di/scope.ts')]),
};
writeFileSync(join(root, 'benches/di/results-scope.json'), JSON.stringify(results, null, 2) + '\n');
