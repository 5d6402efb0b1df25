import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formattersFor } from '../src/formatters.js';
import { compileMessage } from '../src/compile.js';
import { createI18n } from '../src/i18n.js';

const cats = (locale: string, ns: number[], type: 'cardinal' | 'ordinal' = 'cardinal') => ns.map((n) => formattersFor(locale).plural(n, type));

test('English cardinal and ordinal', () => {
  assert.deepEqual(cats('en', [0, 1, 2, 1.5]), ['other', 'one', 'other', 'other']);
  assert.deepEqual(cats('en', [1, 2, 3, 4, 11, 21], 'ordinal'), ['one', 'two', 'few', 'other', 'other', 'one']);
});

test('French: 0 and 1.5 are one', () => {
  assert.deepEqual(cats('fr', [0, 1, 1.5, 2, 1000000]), ['one', 'one', 'one', 'other', 'many']);
  const m = compileMessage('{n, plural, one {# fichier} other {# fichiers}}', formattersFor('fr'));
  assert.equal(m({ n: 0 }, null), '0 fichier');
  assert.equal(m({ n: 2 }, null), '2 fichiers');
});

test('Russian and Polish: few/many', () => {
  assert.deepEqual(cats('ru', [1, 2, 5, 11, 21, 22, 25, 1.5]), ['one', 'few', 'many', 'many', 'one', 'few', 'many', 'other']);
  assert.deepEqual(cats('pl', [1, 2, 5, 12, 22, 25]), ['one', 'few', 'many', 'many', 'few', 'many']);
  const m = compileMessage('{n, plural, one {# файл} few {# файла} many {# файлов} other {# файла}}', formattersFor('ru'));
  assert.equal(m({ n: 21 }, null), '21 файл');
  assert.equal(m({ n: 3 }, null), '3 файла');
  assert.equal(m({ n: 11 }, null), '11 файлов');
});

test('Arabic: six categories', () => {
  assert.deepEqual(cats('ar', [0, 1, 2, 3, 11, 100]), ['zero', 'one', 'two', 'few', 'many', 'other']);
});

test('Japanese: other only', () => {
  assert.deepEqual(cats('ja', [0, 1, 2, 5]), ['other', 'other', 'other', 'other']);
  assert.deepEqual(cats('ja', [1, 2], 'ordinal'), ['other', 'other']);
});

test('plural results beyond the small-integer table agree with Intl', () => {
  const pr = new Intl.PluralRules('ru');
  for (const n of [1021, 1022, 1025, 5001, -1, -2, 2.5]) assert.equal(formattersFor('ru').plural(n), pr.select(n));
});

test('formatter instances are cached per locale and options', () => {
  const f = formattersFor('de');
  assert.equal(f, formattersFor('de'));
  assert.equal(f.numberFormat({ style: 'percent' }), f.numberFormat({ style: 'percent' }));
  assert.notEqual(f.numberFormat({ style: 'percent' }), f.numberFormat({ style: 'decimal' }));
  assert.equal(f.dateTimeFormat({ dateStyle: 'short', timeZone: 'UTC' }), f.dateTimeFormat({ dateStyle: 'short', timeZone: 'UTC' }));
  assert.equal(f.pluralRules(), f.pluralRules());
});

test('Translator formatting helpers', () => {
  const i18n = createI18n({ defaultLocale: 'en', timeZone: 'UTC', messages: { en: {}, de: {} } });
  const en = i18n.translator('en');
  const de = i18n.translator('de');
  assert.equal(en.number(1234.5), '1,234.5');
  assert.equal(de.number(1234.5), '1.234,5');
  assert.equal(en.currency(9.99, 'USD'), '$9.99');
  assert.equal(de.currency(9.99, 'EUR'), '9,99\u00a0€');
  assert.equal(en.percent(0.42), '42%');
  assert.equal(en.compact(1_500_000), '1.5M');
  assert.equal(en.compact(1_500_000, 'long'), '1.5 million');
  assert.equal(en.unit(5, 'kilometer-per-hour'), '5 km/h');
  assert.equal(en.date(Date.UTC(2024, 2, 1, 23, 30)), 'Mar 1, 2024');
  assert.equal(en.date(Date.UTC(2024, 2, 1, 23, 30), { dateStyle: 'medium', timeZone: 'Asia/Tokyo' }), 'Mar 2, 2024');
  assert.equal(en.time(Date.UTC(2024, 2, 1, 23, 30)), '11:30 PM');
  assert.equal(en.relativeTime(-1, 'day', { numeric: 'auto' }), 'yesterday');
  assert.equal(de.relativeTime(3, 'hour'), 'in 3 Stunden');
  assert.equal(en.list(['a', 'b', 'c']), 'a, b, and c');
  assert.equal(en.list(['a', 'b'], { type: 'disjunction' }), 'a or b');
  assert.equal(de.list(['a', 'b', 'c']), 'a, b und c');
  assert.equal(en.plural(2, 'ordinal'), 'two');
});
