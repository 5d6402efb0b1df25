/** armature build: tsc, then the files TypeScript does not compile copied beside the output. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { armature, linkNodeModules, remove, tempDir } from './app-dir.js';

function app(): string {
  const dir = tempDir();
  linkNodeModules(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'b', private: true, type: 'module' }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'], noEmit: true }, include: ['src'] }));
  writeFileSync(join(dir, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: false, rootDir: 'src', outDir: 'dist' }, include: ['src'] }));
  mkdirSync(join(dir, 'src/locales/fr'), { recursive: true });
  writeFileSync(join(dir, 'src/main.ts'), "import { readFileSync } from 'node:fs';\nexport const catalog = JSON.parse(readFileSync(new URL('./locales/en.json', import.meta.url), 'utf8'));\n");
  writeFileSync(join(dir, 'src/locales/en.json'), '{"hi":"Hi"}');
  writeFileSync(join(dir, 'src/locales/fr/messages.ftl'), 'hi = Salut');
  writeFileSync(join(dir, 'src/types.d.ts'), 'export type X = 1;\n');
  return dir;
}

test('compiles src into dist and copies the catalogs, nested ones included; --clean drops stale output', async () => {
  const dir = app();
  try {
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'dist/stale.js'), '');
    const r = armature(dir, 'build', '--clean');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /copied 2 assets to dist/);
    assert.equal(readFileSync(join(dir, 'dist/locales/fr/messages.ftl'), 'utf8'), 'hi = Salut');
    assert.ok(!existsSync(join(dir, 'dist/stale.js')));
    assert.ok(!existsSync(join(dir, 'dist/types.d.ts')), 'TypeScript sources are not assets');
    const { catalog } = await import(join(dir, 'dist/main.js'));
    assert.deepEqual(catalog, { hi: 'Hi' });
    const none = armature(dir, 'build', '--no-assets', '--clean');
    assert.equal(none.status, 0);
    assert.ok(!existsSync(join(dir, 'dist/locales')));
  } finally {
    remove(dir);
  }
});

test('a type error fails the build with tsc\'s message and exit code; no assets are copied', () => {
  const dir = app();
  try {
    writeFileSync(join(dir, 'src/bad.ts'), 'export const n: number = "text";\n');
    const r = armature(dir, 'build');
    assert.notEqual(r.status, 0);
    assert.match(r.stdout, /src\/bad\.ts.*TS2322/);
    assert.ok(!existsSync(join(dir, 'dist/locales')));
    const noEmit = armature(dir, 'build', '--project', 'tsconfig.json');
    assert.equal(noEmit.status, 1);
    assert.match(noEmit.stderr, /tsconfig\.json has noEmit/);
  } finally {
    remove(dir);
  }
});
