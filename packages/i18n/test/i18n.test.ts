import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createI18n, MissingTranslationError } from '../src/i18n.js';
import { localeChain } from '../src/parent-locales.js';
import { flatten, readCatalogDirectory } from '../src/catalog.js';

test('flatten nested keys to dotted keys', () => {
  assert.deepEqual([...flatten({ a: 'A', nav: { home: 'Home', sub: { x: 'X' } } })], [['a', 'A'], ['nav.home', 'Home'], ['nav.sub.x', 'X']]);
  assert.throws(() => flatten({ a: 1 as unknown as string }), TypeError);
});

test('catalogs in code, fallback chain de-AT → de → en', () => {
  const i18n = createI18n({
    defaultLocale: 'en',
    messages: { en: { hi: 'Hello', only: 'English only', n: '{x, number}' }, de: { hi: 'Hallo' }, 'de-AT': { hi: 'Servus' } },
  });
  assert.equal(i18n.t('de-AT', 'hi'), 'Servus');
  assert.equal(i18n.t('de-CH', 'hi'), 'Hallo');
  assert.equal(i18n.t('de-AT', 'only'), 'English only');
  assert.deepEqual(i18n.translator('de-AT').chain, ['de-AT', 'de', 'en']);
  assert.deepEqual(i18n.locales, ['en', 'de', 'de-AT']);
  // a message found in another language's catalog is formatted in that language (its plural rules must match)
  assert.equal(i18n.t('de', 'n', { x: 1234.5 }), '1,234.5');
  // ...while a parent of the same language keeps the request locale's formats
  const ch = createI18n({ defaultLocale: 'en', messages: { en: {}, de: { n: '{x, number}' } } });
  assert.equal(ch.t('de-CH', 'n', { x: 1234.5 }), new Intl.NumberFormat('de-CH').format(1234.5));
  // zh-Hant's CLDR parent is the root: Traditional Chinese never falls back to (Simplified) zh
  assert.deepEqual(localeChain('zh-Hant-TW'), ['zh-Hant-TW', 'zh-Hant']);
});

test('message fallback chains follow CLDR parent locales', () => {
  assert.deepEqual(localeChain('es-AR'), ['es-AR', 'es-419', 'es']);
  assert.deepEqual(localeChain('en-AU'), ['en-AU', 'en-001', 'en']);
  assert.deepEqual(localeChain('en-CH'), ['en-CH', 'en-150', 'en-001', 'en']);
  assert.deepEqual(localeChain('pt-AO'), ['pt-AO', 'pt-PT', 'pt']);
  assert.deepEqual(localeChain('sr-Latn-RS'), ['sr-Latn-RS', 'sr-Latn']);
  assert.deepEqual(localeChain('de-CH-1996'), ['de-CH-1996', 'de-CH', 'de']);
  assert.deepEqual(localeChain('en-US-x-test'), ['en-US-x-test', 'en-US', 'en']);
  const i18n = createI18n({
    defaultLocale: 'en',
    messages: {
      en: { color: 'color', bin: 'trash can', bus: 'bus' },
      'en-001': { color: 'colour', bin: 'rubbish bin' },
      es: { car: 'coche', pc: 'ordenador' },
      'es-419': { car: 'carro' },
      pt: { train: 'trem', phone: 'telefone' },
      'pt-PT': { train: 'comboio' },
      zh: { hi: '你好' },
    },
  });
  assert.equal(i18n.t('en-AU', 'color'), 'colour');
  assert.equal(i18n.t('en-AU', 'bus'), 'bus');
  assert.equal(i18n.t('en-US', 'color'), 'color');
  assert.equal(i18n.t('es-AR', 'car'), 'carro');
  assert.equal(i18n.t('es-AR', 'pc'), 'ordenador');
  assert.equal(i18n.t('es-ES', 'car'), 'coche');
  assert.equal(i18n.t('pt-AO', 'train'), 'comboio');
  assert.equal(i18n.t('pt-BR', 'train'), 'trem');
  assert.deepEqual(i18n.translator('zh-Hant-TW').chain, ['zh-Hant-TW', 'zh-Hant', 'en']);
  // negotiation against the catalogs agrees
  assert.equal(i18n.negotiate('en-NZ'), 'en-001');
  assert.equal(i18n.negotiate('es-MX'), 'es-419');
  assert.equal(i18n.negotiate('pt-MZ'), 'pt-PT');
});

test('configured fallbacks come before the default locale', () => {
  const i18n = createI18n({ defaultLocale: 'en', fallbacks: { 'pt-BR': ['pt-PT'] }, messages: { en: { k: 'en' }, 'pt-PT': { k: 'pt-PT' } } });
  assert.equal(i18n.t('pt-BR', 'k'), 'pt-PT');
});

test('missing keys: key + warn once by default, throw in strict mode', () => {
  const warned: string[] = [];
  const i18n = createI18n({ defaultLocale: 'en', messages: { en: { a: 'A' } }, onMissingKey: (k, l) => warned.push(`${l}:${k}`) });
  assert.equal(i18n.t('fr', 'nope'), 'nope');
  assert.equal(i18n.t('fr', 'nope'), 'nope');
  assert.deepEqual(warned, ['fr:nope']);
  const strict = createI18n({ defaultLocale: 'en', strict: true, messages: { en: { a: 'Hi {name}' } } });
  assert.throws(() => strict.t('en', 'nope'), MissingTranslationError);
  assert.throws(() => strict.t('en', 'a'), /Missing argument "name"/);
  assert.equal(strict.t('en', 'a', { name: 'x' }), 'Hi x');
});

test('a missing select argument throws in strict mode, takes other otherwise', () => {
  const messages = { en: { who: '{g, select, female {She} male {He} other {They}} left', nested: '{n, plural, other {{g, select, a {A} other {O}} #}}' } };
  const strict = createI18n({ defaultLocale: 'en', strict: true, messages });
  assert.throws(() => strict.t('en', 'who'), /Missing argument "g"/);
  assert.throws(() => strict.t('en', 'who', {}), /Missing argument "g"/);
  assert.throws(() => strict.t('en', 'nested', { n: 2 }), /Missing argument "g"/);
  assert.equal(strict.t('en', 'who', { g: 'male' }), 'He left');
  assert.equal(strict.t('en', 'who', { g: 'unknown' }), 'They left', 'a value without a case is not missing');
  const lenient = createI18n({ defaultLocale: 'en', messages });
  assert.equal(lenient.t('en', 'who'), 'They left');
});

test('a bare Date argument is a medium date, as {d, date}', () => {
  const d = new Date(Date.UTC(2024, 0, 15, 13, 5));
  const i18n = createI18n({ defaultLocale: 'en', timeZone: 'UTC', messages: { en: { bare: 'On {d}', date: 'On {d, date}' }, fr: { bare: 'Le {d}' } } });
  assert.equal(i18n.t('en', 'bare', { d }), 'On Jan 15, 2024');
  assert.equal(i18n.t('en', 'bare', { d }), i18n.t('en', 'date', { d }));
  assert.equal(i18n.t('fr', 'bare', { d }), 'Le ' + new Intl.DateTimeFormat('fr', { dateStyle: 'medium', timeZone: 'UTC' }).format(d));
  assert.equal(i18n.translator('en').date(d), 'Jan 15, 2024');
});

test('HTML escaping per call or by default', () => {
  const msgs = { en: { hi: '<b>Hello {name}</b>' } };
  const plain = createI18n({ defaultLocale: 'en', messages: msgs });
  assert.equal(plain.t('en', 'hi', { name: '<x>' }), '<b>Hello <x></b>');
  assert.equal(plain.t('en', 'hi', { name: '<x>' }, { escape: 'html' }), '<b>Hello &lt;x&gt;</b>');
  const html = createI18n({ defaultLocale: 'en', escape: 'html', messages: msgs });
  assert.equal(html.t('en', 'hi', { name: 'a&b' }), '<b>Hello a&amp;b</b>');
  assert.equal(html.t('en', 'hi', { name: 'a&b' }, { escape: 'none' }), '<b>Hello a&b</b>');
  assert.equal(html.t('en', 'hi', { name: 'a' }, { escape: (s) => s.toUpperCase() }), '<b>Hello A</b>');
});

test('JSON directory: namespaces from file names, root files without namespace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'i18n-'));
  mkdirSync(join(dir, 'en'));
  mkdirSync(join(dir, 'fr'));
  writeFileSync(join(dir, 'en', 'common.json'), JSON.stringify({ greeting: 'Hello {name}', nav: { home: 'Home' } }));
  writeFileSync(join(dir, 'en', 'mail.json'), JSON.stringify({ inbox: '{n, plural, one {# mail} other {# mails}}' }));
  writeFileSync(join(dir, 'fr', 'common.json'), JSON.stringify({ greeting: 'Bonjour {name}' }));
  writeFileSync(join(dir, 'ja.json'), JSON.stringify({ title: 'タイトル' }));
  const flat = readCatalogDirectory(dir);
  assert.deepEqual([...flat.get('en')!.keys()], ['common:greeting', 'common:nav.home', 'mail:inbox']);
  const i18n = createI18n({ defaultLocale: 'en', directory: dir, defaultNamespace: 'common' });
  assert.equal(i18n.t('fr', 'common:greeting', { name: 'Ada' }), 'Bonjour Ada');
  assert.equal(i18n.t('fr', 'greeting', { name: 'Ada' }), 'Bonjour Ada');
  assert.equal(i18n.t('fr', 'nav.home'), 'Home');
  assert.equal(i18n.t('fr', 'mail:inbox', { n: 0 }), '0 mails'); // English fallback, English rules
  assert.equal(i18n.t('ja', 'title'), 'タイトル');
  const dotted = createI18n({ defaultLocale: 'en', directory: dir, namespaceSeparator: '.' });
  assert.equal(dotted.t('en', 'mail.inbox', { n: 2 }), '2 mails');
  writeFileSync(join(dir, 'de.json'), '{ broken');
  assert.throws(() => readCatalogDirectory(dir), SyntaxError);
});

test('addMessages invalidates compiled caches', () => {
  const i18n = createI18n({ defaultLocale: 'en', messages: { en: { a: 'one' } } });
  assert.equal(i18n.t('en', 'a'), 'one');
  i18n.addMessages('en', { a: 'two' });
  assert.equal(i18n.t('en', 'a'), 'two');
  i18n.addMessages('en', { b: 'B' }, 'ns');
  assert.equal(i18n.t('en', 'ns:b'), 'B');
});

test('translator t is bound and negotiation uses the catalog locales', () => {
  const i18n = createI18n({ defaultLocale: 'en', messages: { en: { a: 'A' }, fr: { a: 'Ä' } } });
  const { t } = i18n.translator('fr');
  assert.equal(t('a'), 'Ä');
  assert.equal(i18n.negotiate('fr-BE;q=0.9, de'), 'fr');
  assert.equal(i18n.match('en-US'), 'en');
});

test('translator cache stays bounded for arbitrary request locales', () => {
  const i18n = createI18n({ defaultLocale: 'en', messages: { en: { a: 'A' } } });
  for (let i = 0; i < 3000; i++) assert.equal(i18n.t(`en-x-${i.toString(36)}`, 'a'), 'A');
  assert.ok((i18n as unknown as { translators: Map<string, unknown> }).translators.size <= 1000);
  assert.equal(i18n.t('not a tag', 'a'), 'A'); // invalid → default locale
});
