/** The publish-readiness check (scripts/check-packages.mjs): the real packages pass, and a package that imports what it does not declare fails. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain .mjs script without declarations
import { checkAll, checkPackage, importsOf, packageOf } from '../check-packages.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

test('every package under packages/ is publish-ready (build first)', () => {
  const { problems } = checkAll();
  assert.deepEqual(problems, []);
});

test('packageOf: bare specifiers name their package; relative, node: and built-ins do not', () => {
  assert.equal(packageOf('busboy'), 'busboy');
  assert.equal(packageOf('mime-db/db.json'), 'mime-db');
  assert.equal(packageOf('@formatjs/icu-messageformat-parser/printer.js'), '@formatjs/icu-messageformat-parser');
  assert.equal(packageOf('./x.js'), null);
  assert.equal(packageOf('node:net'), null);
  assert.equal(packageOf('zlib'), null);
  assert.deepEqual(importsOf("import a from 'a'; export * from './b.js'; const c = await import('c'); import type { D } from 'd';"), ['a', './b.js', 'c', 'd']);
});

test('an import resolved through the workspace root by accident is a problem; so is a missing file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'armature-check-'));
  try {
    const pkgDir = join(dir, 'packages', 'core');
    cpSync(join(root, 'packages', 'core', 'package.json'), join(pkgDir, 'package.json'));
    cpSync(join(root, 'LICENSE'), join(pkgDir, 'LICENSE'));
    writeFileSync(join(pkgDir, 'README.md'), '# x\n');
    writeFileSync(join(pkgDir, 'tsconfig.json'), '{}');
    mkdirSync(join(pkgDir, 'dist'));
    writeFileSync(join(pkgDir, 'dist', 'index.js'), "import { parse } from 'busboy';\nimport { x } from './x.js';\n");
    const { problems } = checkPackage(pkgDir, rootManifest);
    assert.ok(problems.some((p: string) => /dist\/index\.js imports "busboy" but busboy is not in dependencies/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p: string) => /dist\/index\.d\.ts is promised by the manifest but missing/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p: string) => /repository must be/.test(p)), 'the directory is not packages/core of this repository');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
