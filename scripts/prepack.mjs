#!/usr/bin/env node
/**
 * `prepack` of every built package under packages/: `tsc -b` of the package, then removal of
 * every file in dist/ whose source is gone (a renamed or deleted module must not ship in the
 * tarball), then a check that the files the manifest promises exist. Runs in the package's
 * directory (npm sets it), before `npm pack` and `npm publish`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const dir = process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const build = spawnSync(process.execPath, [tsc, '-b', dir], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

/** dist/a/b.js, .js.map, .d.ts, .d.ts.map → src/a/b.ts */
const OUTPUT = /\.(js|d\.ts)(\.map)?$/;
function prune(folder) {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) {
      prune(path);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else if (OUTPUT.test(name)) {
      const source = join(dir, 'src', relative(join(dir, 'dist'), path)).replace(OUTPUT, '.ts');
      if (!existsSync(source)) {
        console.log(`prepack: removing ${relative(dir, path)} (its source is gone)`);
        rmSync(path);
      }
    }
  }
}
prune(join(dir, 'dist'));

for (const file of ['README.md', 'LICENSE', pkg.types, ...Object.values(pkg.bin ?? {})]) {
  if (!existsSync(join(dir, file))) {
    console.error(`${pkg.name}: ${file} is missing; the tarball would ship without it`);
    process.exit(1);
  }
}
