import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCatalogs, checkDirectory } from '../src/catalog-check.js';

const cliSource = fileURLToPath(new URL('../src/check.ts', import.meta.url));
/** tsx by location: the command runs from a temporary directory that has no node_modules of its own. */
const tsx = import.meta.resolve('tsx');
const lines = (problems: { locale: string; kind: string; key: string }[]) => problems.map((p) => `${p.locale} ${p.kind} ${p.key}`).sort();

test('missing, extra and syntax problems per locale', () => {
  const catalogs = new Map([
    ['en', new Map([['a', 'A'], ['b', '{n, plural, one {#} other {#}}']])],
    ['fr', new Map([['a', 'A'], ['c', '{broken']])],
  ]);
  const problems = checkCatalogs(catalogs, { defaultLocale: 'en' });
  assert.deepEqual(lines(problems), ['fr extra c', 'fr missing b', 'fr syntax c']);
  assert.throws(() => checkCatalogs(catalogs, { defaultLocale: 'de' }), /No catalog for the default locale de \(found: en, fr\)/);
});

test('messages are compiled for their locale: an unsupported skeleton or unit is a syntax problem', () => {
  const catalogs = new Map([['en', new Map([['speed', '{v, number, ::unit/kilometer-per-hour}'], ['bad', '{v, number, ::unit/furlong-per-fortnight}'], ['q', '{d, date, ::yQQQ}']])]]);
  assert.deepEqual(lines(checkCatalogs(catalogs, { defaultLocale: 'en' })), ['en syntax bad', 'en syntax q']);
});

test('the keys the middleware reads are never unused, and their messages get only {message}, {status}, {count}', () => {
  const en = new Map([
    ['errors.validation', '{count, plural, one {# field} other {# fields}}'],
    ['errors.404', 'Not found: {message}'],
    ['errors.429.title', 'Slow down'],
    ['errors.429.detail', 'Too many requests ({status}): {retryAfter}'],
    ['common:errors.413', '{field} too large'],
    ['errors.hint', 'not an error key: {anything}'],
    ['used', 'U'],
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'i18n-check-src-'));
  writeFileSync(join(dir, 'app.ts'), "t('used'); t('errors.hint')");
  const problems = checkCatalogs(new Map([['en', en]]), { defaultLocale: 'en', sources: dir });
  assert.deepEqual(lines(problems), ['en arguments common:errors.413', 'en arguments errors.429.detail']);
  assert.match(problems.find((p) => p.key === 'errors.429.detail')!.message!, /uses \{retryAfter\}; error messages get only \{message\}, \{status\}, \{count\}/);
});

function fixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'i18n-check-'));
  mkdirSync(join(dir, 'locales', 'en'), { recursive: true });
  mkdirSync(join(dir, 'locales', 'de'), { recursive: true });
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'locales', 'en', 'common.json'), JSON.stringify({ used: 'U', unused: 'X', nested: { k: 'K' }, errors: { 404: 'Not here' } }));
  writeFileSync(join(dir, 'locales', 'de', 'common.json'), JSON.stringify({ used: 'U', nested: { k: '{x' }, errors: { 404: 'Nicht da' } }));
  writeFileSync(join(dir, 'src', 'app.ts'), "t('common:used'); t(\"nested.k\")");
  return dir;
}

test('unused keys from source references', () => {
  const dir = fixture();
  const problems = checkDirectory(join(dir, 'locales'), { defaultLocale: 'en', sources: join(dir, 'src') });
  assert.deepEqual(lines(problems), ['de missing common:unused', 'de syntax common:nested.k', 'en unused common:unused']);
});

/** Runs the command as npm installs it: a symlink in node_modules/.bin to the package's file. */
function runThroughSymlink(cwd: string, args: string[]) {
  const bin = join(cwd, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  const link = join(bin, 'armature-i18n-check');
  try {
    symlinkSync(cliSource, link);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return spawnSync(process.execPath, ['--import', tsx, link, ...args], { cwd, encoding: 'utf8' });
}

test('the command run through a symlink (npx, node_modules/.bin) reports and exits 1', () => {
  const dir = fixture();
  const cli = runThroughSymlink(dir, ['locales', '--default', 'en', '--sources', 'src']);
  assert.equal(cli.status, 1, cli.stderr);
  assert.match(cli.stdout, /^de\tmissing\tcommon:unused$/m);
  assert.match(cli.stdout, /^de\tsyntax\tcommon:nested\.k\t/m);
  assert.match(cli.stdout, /^en\tunused\tcommon:unused$/m);
  assert.match(cli.stdout, /3 problem\(s\), 2 failing/);
  assert.doesNotMatch(cli.stdout, /errors\.404/, 'errors.<status> is read by the middleware');
});

test('the command: a clean catalog exits 0, --strict fails on warnings, usage and missing directories exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'i18n-check-ok-'));
  mkdirSync(join(dir, 'locales'));
  writeFileSync(join(dir, 'locales', 'en.json'), JSON.stringify({ a: 'A', b: 'B' }));
  writeFileSync(join(dir, 'locales', 'fr.json'), JSON.stringify({ a: 'A', b: 'B', c: 'C' }));
  const warn = runThroughSymlink(dir, ['locales']);
  assert.equal(warn.status, 0, warn.stdout + warn.stderr);
  assert.match(warn.stdout, /^fr\textra\tc$/m);
  assert.equal(runThroughSymlink(dir, ['locales', '--strict']).status, 1);
  writeFileSync(join(dir, 'locales', 'fr.json'), JSON.stringify({ a: 'A', b: 'B' }));
  const ok = runThroughSymlink(dir, ['locales']);
  assert.equal(ok.status, 0);
  assert.match(ok.stdout, /ok: no problems/);
  const missing = runThroughSymlink(dir, ['nowhere']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /catalog directory .*nowhere does not exist/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(runThroughSymlink(dir, []).status, 2);
  assert.equal(runThroughSymlink(dir, ['locales', '--default', 'de']).status, 2);
});

test('package.json points the bin at the command, which has a shebang', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { bin: Record<string, string> };
  assert.equal(pkg.bin['armature-i18n-check'], './dist/check.js');
  assert.match(readFileSync(cliSource, 'utf8'), /^#!\/usr\/bin\/env node\n/);
});
