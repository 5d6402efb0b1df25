/** create-armature: what it writes, and what it refuses. The full round trip (install, build, test, start) is scripts/pack-test.mjs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/create-armature.mjs', import.meta.url));
const self = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const core = JSON.parse(readFileSync(new URL('../../core/package.json', import.meta.url), 'utf8'));

function create(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
}

test('scaffolds a module, a controller, a service, a test, tsconfig and the four scripts', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'create-armature-'));
  try {
    const r = create(cwd, 'My App');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /npm run dev/);
    const dir = join(cwd, 'My App');
    for (const file of ['src/main.ts', 'src/app.module.ts', 'src/hello.controller.ts', 'src/hello.service.ts', 'test/hello.test.ts', 'tsconfig.json', 'tsconfig.build.json', '.gitignore', 'README.md']) {
      assert.ok(existsSync(join(dir, file)), `${file} is written`);
    }
    assert.ok(!existsSync(join(dir, 'gitignore')));
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    assert.equal(pkg.name, 'my-app');
    assert.deepEqual(Object.keys(pkg.scripts).slice(0, 4), ['dev', 'build', 'start', 'test']);
    assert.match(pkg.scripts.dev, /^tsx watch /);
    assert.equal(pkg.dependencies['@armature/core'], `^${self.version}`);
    assert.equal(self.version, core.version, 'the starter and @armature/core are versioned together');
    assert.doesNotMatch(readFileSync(join(dir, 'tsconfig.json'), 'utf8'), /"experimentalDecorators"\s*:/);
    assert.match(readFileSync(join(dir, 'src/main.ts'), 'utf8'), /my-app listening on/);
    assert.doesNotMatch(readFileSync(join(dir, 'README.md'), 'utf8'), /\{\{/);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('refuses a directory that is not empty, and a missing name, with exit code 1', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'create-armature-'));
  try {
    mkdirSync(join(cwd, 'taken'));
    writeFileSync(join(cwd, 'taken', 'file.txt'), 'mine');
    const taken = create(cwd, 'taken');
    assert.equal(taken.status, 1);
    assert.match(taken.stderr, /exists and is not an empty directory/);
    assert.equal(readFileSync(join(cwd, 'taken', 'file.txt'), 'utf8'), 'mine');
    const none = create(cwd);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /usage: create-armature <directory>/);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
