#!/usr/bin/env node
/**
 * create-armature: the starter app in a new directory (the scaffolding is lib/scaffold.mjs,
 * which `armature new` uses too).
 *
 *   npm create armature@latest my-app      (once published)
 *   npx ./packages/create-armature my-app  (from a clone)
 */
import { relative } from 'node:path';
import { scaffold, ScaffoldError } from '../lib/scaffold.mjs';

const USAGE = 'usage: create-armature <directory>   (npm create armature@latest my-app)';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const target = args.find((a) => !a.startsWith('-'));
if (target === undefined) {
  console.error(`create-armature: name the directory to create.\n${USAGE}`);
  process.exit(1);
}
let created;
try {
  created = scaffold(target);
} catch (error) {
  if (!(error instanceof ScaffoldError)) throw error;
  console.error(`create-armature: ${error.message}`);
  process.exit(1);
}
const { dir, name } = created;
const cd = relative(process.cwd(), dir) || '.';
console.log(`Created ${name} in ${dir}

Next:
  cd ${cd}
  npm install
  npm run dev      # tsx watch: restarts on every change, http://127.0.0.1:3000/hello
  npm test         # the tests in test/, written with the testing module
  npm run build && npm start   # compiled with tsc, run with plain node`);
