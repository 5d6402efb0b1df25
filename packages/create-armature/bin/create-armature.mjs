#!/usr/bin/env node
/**
 * create-armature: copies template/ into a new directory, names the app, and pins @armature/core
 * to the release this starter belongs to (they are versioned together).
 *
 *   npm create armature@latest my-app      (once published)
 *   npx ./packages/create-armature my-app  (from a clone)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const self = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
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
const dir = resolve(target);
const name = basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'armature-app';
if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
  console.error(`create-armature: ${target} exists and is not an empty directory; choose another name.`);
  process.exit(1);
}

const values = { name, armatureVersion: `^${self.version}` };
const fill = (text) => text.replace(/\{\{(\w+)\}\}/g, (m, key) => values[key] ?? m);

/** Copies a template directory; `gitignore` becomes `.gitignore` (npm leaves .gitignore files out of tarballs). */
function copy(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    const dest = join(to, entry === 'gitignore' ? '.gitignore' : entry);
    if (statSync(source).isDirectory()) copy(source, dest);
    else writeFileSync(dest, fill(readFileSync(source, 'utf8')));
  }
}
copy(join(here, 'template'), dir);

const cd = relative(process.cwd(), dir) || '.';
console.log(`Created ${name} in ${dir}

Next:
  cd ${cd}
  npm install
  npm run dev      # tsx watch: restarts on every change, http://127.0.0.1:3000/hello
  npm test         # the tests in test/, written with the testing module
  npm run build && npm start   # compiled with tsc, run with plain node`);
