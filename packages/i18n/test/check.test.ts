import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCatalogs, checkDirectory } from '../src/check.js';

test('missing, extra and syntax problems per locale', () => {
  const catalogs = new Map([
    ['en', new Map([['a', 'A'], ['b', '{n, plural, one {#} other {#}}']])],
    ['fr', new Map([['a', 'A'], ['c', '{broken']])],
  ]);
  const problems = checkCatalogs(catalogs, { defaultLocale: 'en' });
  assert.deepEqual(problems.map((p) => `${p.locale} ${p.kind} ${p.key}`).sort(), ['fr extra c', 'fr missing b', 'fr syntax c']);
  assert.throws(() => checkCatalogs(catalogs, { defaultLocale: 'de' }));
});

test('unused keys from source references, and the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'i18n-check-'));
  mkdirSync(join(dir, 'locales', 'en'), { recursive: true });
  mkdirSync(join(dir, 'locales', 'de'), { recursive: true });
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'locales', 'en', 'common.json'), JSON.stringify({ used: 'U', unused: 'X', nested: { k: 'K' } }));
  writeFileSync(join(dir, 'locales', 'de', 'common.json'), JSON.stringify({ used: 'U', nested: { k: '{x' } }));
  writeFileSync(join(dir, 'src', 'app.ts'), "t('common:used'); t(\"nested.k\")");
  const problems = checkDirectory(join(dir, 'locales'), { defaultLocale: 'en', sources: join(dir, 'src') });
  assert.deepEqual(problems.map((p) => `${p.locale} ${p.kind} ${p.key}`).sort(), ['de missing common:unused', 'de syntax common:nested.k', 'en unused common:unused']);
  const cli = spawnSync(process.execPath, ['--import', 'tsx', new URL('../src/check.ts', import.meta.url).pathname, join(dir, 'locales'), '--default', 'en'], { encoding: 'utf8' });
  assert.equal(cli.status, 1);
  assert.match(cli.stdout, /de\tmissing\tcommon:unused/);
});
