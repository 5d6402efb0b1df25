#!/usr/bin/env node
// npm run bench:micro [-- name …]: the micro benchmarks that put an Armature piece against the
// best-known peer piece, one after the other, each in its own `node --expose-gc` process pinned
// to core 1 (PIN=0: not pinned). Without names: router, serialize, parser, response, i18n.
// Any benches/micro/<name>.mjs can be named (pipeline, app-overhead: the engine and the app
// alone). Environment variables (ROUNDS, ONLY, ISOLATE…) pass through to each benchmark.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { has } from '../lib/load.mjs';

const DEFAULT = ['router', 'serialize', 'parser', 'response', 'i18n'];
const names = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT;
const pin = process.env.PIN !== '0' && has('taskset');

let failed = 0;
for (const name of names) {
  const file = new URL(`./${name}.mjs`, import.meta.url).pathname;
  if (!existsSync(file) || name === 'run' || name === 'harness' || name === 'routes') {
    console.error(`no micro benchmark "${name}" (benches/micro/<name>.mjs)`);
    failed++;
    continue;
  }
  const argv = [process.execPath, '--expose-gc', file];
  console.log(`\n===== ${name} ${'='.repeat(Math.max(0, 88 - name.length))}\n`);
  const r = spawnSync(pin ? 'taskset' : argv[0], pin ? ['-c', '1', ...argv] : argv.slice(1), { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${name}: exit ${r.status ?? r.signal}`);
    failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);
