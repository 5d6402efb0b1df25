/** The API report (scripts/api-report.mjs): the build matches the checked-in api/ reports, and what a report keeps and drops. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain .mjs script without declarations
import { report } from '../api-report.mjs';

const script = fileURLToPath(new URL('../api-report.mjs', import.meta.url));

test('the public API of the build matches the checked-in reports in api/ (npm run api:update after a meant change)', () => {
  const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('a report lists exports sorted, follows referenced internal types, drops comments and private members', () => {
  const dir = mkdtempSync(join(tmpdir(), 'armature-api-'));
  try {
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'inner.d.ts'), [
      'export interface Hidden { a: number }',
      'export declare class Widget {',
      '    /** a comment that must not show */',
      '    private secret;',
      '    size(h: Hidden): number;',
      '}',
    ].join('\n'));
    writeFileSync(join(dir, 'dist', 'index.d.ts'), "export { Widget } from './inner.js';\nexport declare function make(): import('./inner.js').Widget;\nexport { make as build };\n");
    const text: string = report({ pkg: '@x/y', dir, subpath: '.', dts: join(dir, 'dist', 'index.d.ts'), report: 'y.api.md' });
    assert.match(text, /\/\/ export Widget\ndeclare class Widget \{\n {4}size\(h: Hidden\): number;\n\}/);
    assert.match(text, /\/\/ export make \(also as build\)\ndeclare function make\(\)/);
    assert.ok(text.indexOf('export Widget') < text.indexOf('export make'), 'sorted by name');
    assert.match(text, /not exported by this entry point[\s\S]*\/\/ Hidden\ninterface Hidden \{\n {4}a: number;\n\}/);
    assert.doesNotMatch(text, /secret|a comment/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
