import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createI18n } from '../src/index.js';

const until = async (check: () => boolean, ms = 15000): Promise<boolean> => {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
};

test('hot reload: a changed catalog file is picked up; a broken one keeps the previous messages', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'armature-i18n-'));
  const errors: unknown[] = [];
  writeFileSync(join(dir, 'en.json'), JSON.stringify({ hi: 'Hello {name}', count: '{n, plural, one {# item} other {# items}}' }));
  const i18n = createI18n({ defaultLocale: 'en', directory: dir, watch: true, onReloadError: (e) => errors.push(e) });
  i18n.addMessages('en', { fromCode: 'kept across reloads' });
  try {
    assert.equal(i18n.t('en', 'hi', { name: 'Ada' }), 'Hello Ada');
    writeFileSync(join(dir, 'en.json'), JSON.stringify({ hi: 'Hi there {name}', count: '{n, plural, one {# thing} other {# things}}' }));
    assert.ok(await until(() => i18n.t('en', 'hi', { name: 'Ada' }) === 'Hi there Ada'), 'the new message is served');
    assert.equal(i18n.t('en', 'count', { n: 2 }), '2 things', 'compiled messages were dropped');
    assert.equal(i18n.t('en', 'fromCode'), 'kept across reloads');

    // a new locale directory appears
    writeFileSync(join(dir, 'fr.json'), JSON.stringify({ hi: 'Bonjour {name}' }));
    assert.ok(await until(() => i18n.t('fr', 'hi', { name: 'Ada' }) === 'Bonjour Ada'), 'a new locale is served');

    writeFileSync(join(dir, 'en.json'), '{ "hi": "half written');
    assert.ok(await until(() => errors.length > 0), 'the failed reload is reported');
    assert.equal(i18n.t('en', 'hi', { name: 'Ada' }), 'Hi there Ada', 'the previous catalogs stay');
  } finally {
    i18n.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no watching unless asked (or NODE_ENV=development)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'armature-i18n-'));
  try {
    writeFileSync(join(dir, 'en.json'), JSON.stringify({ hi: 'Hello' }));
    const i18n = createI18n({ defaultLocale: 'en', directory: dir, watch: false });
    writeFileSync(join(dir, 'en.json'), JSON.stringify({ hi: 'Changed' }));
    assert.equal(i18n.t('en', 'hi'), 'Hello');
    i18n.reload();
    assert.equal(i18n.t('en', 'hi'), 'Changed', 'reload() on demand reads the files again');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
