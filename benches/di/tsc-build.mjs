// Compiles benchmark entry files (and what they import from the source tree) with tsc into a
// temporary directory, so that benchmarks run the JavaScript a production build runs. (tsx, i.e.
// esbuild, lowers the fields of decorated classes to Object.defineProperty calls, which makes
// creating instances of them several times slower than tsc's native class fields.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { root } from '../lib/load.mjs';

/** Returns a function mapping a repository path (e.g. 'benches/di/server-decorated.ts') to its compiled .js. */
export function tscBuild(files) {
  const out = mkdtempSync(join(tmpdir(), 'armature-di-bench-'));
  process.once('exit', () => rmSync(out, { recursive: true, force: true }));
  const config = join(out, 'tsconfig.json');
  writeFileSync(config, JSON.stringify({
    extends: join(root, 'tsconfig.base.json'),
    compilerOptions: {
      outDir: out, rootDir: root, declaration: false, declarationMap: false, sourceMap: false, noEmitOnError: false,
      typeRoots: [join(root, 'node_modules/@types')], skipLibCheck: true,
    },
    files: files.map((f) => join(root, f)),
  }));
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', config], { encoding: 'utf8' });
  if (tsc.status !== 0 && tsc.status !== 2) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'));
  return (file) => join(out, relative(root, join(root, file)).replace(/\.ts$/, '.js'));
}
