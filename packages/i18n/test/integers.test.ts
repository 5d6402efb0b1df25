// The integer fast paths must answer exactly what Intl answers, for every locale the runtime knows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { integerFormat, integerPlural } from '../src/integers.js';

/** Every two-letter language the runtime supports, and three-letter ones and variants it may. */
function runtimeLocales(supported: (tags: string[]) => string[]): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const tags: string[] = [];
  for (const a of letters) for (const b of letters) tags.push(a + b);
  tags.push('fil', 'haw', 'ast', 'ceb', 'yue', 'gsw', 'kea', 'ses', 'sah', 'chr', 'ckb', 'kok', 'mai', 'sat', 'mni',
    'brx', 'doi', 'sc', 'scn', 'vec', 'bho', 'raj', 'nds', 'ksh', 'dsb', 'hsb', 'fur', 'smn', 'pcm', 'syr',
    'en-IN', 'hi-Latn', 'ar-EG', 'ar-SA', 'fa-AF', 'th-u-nu-thai', 'zh-Hant', 'sr-Latn', 'pa-Arab', 'ur-IN',
    'mn-Mong', 'ff-Adlm', 'uz-Arab', 'de-CH', 'fr-CH', 'es-MX', 'pt-PT', 'en-ZA', 'nb', 'nn');
  return supported(tags);
}

/** Every integer below 3000, every multiple of 1000 up to 2.1 million, powers, and random ones. */
function values(): number[] {
  const out: number[] = [];
  for (let n = 0; n < 3000; n++) out.push(n);
  for (let n = 3000; n <= 2_100_000; n += 1000) out.push(n);
  for (let k = 3; k <= 15; k++) for (const m of [1, 2, 5, 11, 21, 101]) out.push(m * 10 ** k, m * 10 ** k + 1);
  let seed = 7;
  for (let i = 0; i < 2000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const digits = 4 + (seed % 12);
    seed = (seed * 1103515245 + 12345) % 2147483648;
    out.push(Math.floor((seed / 2147483648) * 10 ** digits));
  }
  out.push(Number.MAX_SAFE_INTEGER);
  return out;
}

test('integer plural categories equal Intl.PluralRules for every locale, cardinal and ordinal', () => {
  const locales = runtimeLocales((t) => Intl.PluralRules.supportedLocalesOf(t));
  assert.ok(locales.length > 100, `only ${locales.length} locales`);
  const ns = values();
  for (const locale of locales) {
    for (const type of ['cardinal', 'ordinal'] as const) {
      const rules = new Intl.PluralRules(locale, { type });
      const select = integerPlural(rules);
      for (const n of ns) {
        const want = rules.select(n);
        if (select(n) !== want) assert.fail(`${locale} ${type} ${n}: ${select(n)}, Intl says ${want}`);
      }
    }
  }
});

test('the categories the rules are known for: French millions, Cornish, Russian, Arabic', () => {
  const cat = (locale: string, n: number) => integerPlural(new Intl.PluralRules(locale))(n);
  assert.deepEqual([0, 1, 2, 1000, 1_000_000, 3_000_000, 3_000_001].map((n) => cat('fr', n)),
    ['one', 'one', 'other', 'other', 'many', 'many', 'other']);
  // Cornish "two": n % 100 in 2,22,42,…; multiples of 1000 by n % 100000; n % 1000000 = 100000.
  assert.deepEqual([2, 22, 1002, 20_000, 1_040_000, 21_000, 100_000, 3_100_000].map((n) => cat('kw', n)),
    ['two', 'two', 'two', 'two', 'two', 'other', 'two', 'two']);
  assert.deepEqual([1, 2, 5, 11, 21, 1001, 1_000_021, 1012].map((n) => cat('ru', n)),
    ['one', 'few', 'many', 'many', 'one', 'one', 'one', 'many']);
  assert.deepEqual([0, 1, 2, 3, 11, 100, 2003, 2011, 2100].map((n) => cat('ar', n)),
    ['zero', 'one', 'two', 'few', 'many', 'other', 'few', 'many', 'other']);
});

test('integer formatting equals Intl.NumberFormat for every locale', () => {
  const locales = runtimeLocales((t) => Intl.NumberFormat.supportedLocalesOf(t));
  const ns = values();
  for (const locale of locales) {
    const nf = new Intl.NumberFormat(locale);
    const format = integerFormat(nf);
    for (const n of ns) {
      const want = nf.format(n);
      if (format(n) !== want) assert.fail(`${locale} ${n}: ${JSON.stringify(format(n))}, Intl says ${JSON.stringify(want)}`);
    }
  }
});

test('grouping and digits: Indian grouping, ungrouped four digits, native digits', () => {
  const fmt = (locale: string, n: number) => integerFormat(new Intl.NumberFormat(locale))(n);
  assert.equal(fmt('en', 1234567), '1,234,567');
  assert.equal(fmt('en-IN', 123456789), '12,34,56,789');
  assert.equal(fmt('es', 1234), '1234');
  assert.equal(fmt('es', 12345), '12.345');
  assert.equal(fmt('ee', 12345), '12345');
  assert.equal(fmt('ar-EG', 1234), '١٬٢٣٤');
  assert.equal(fmt('th-u-nu-thai', 1234), '๑,๒๓๔');
});

test('a format the fast path cannot reproduce is left to Intl', () => {
  // Grouping turned off, and a currency format with symbols: still exactly Intl's output.
  for (const nf of [new Intl.NumberFormat('en', { useGrouping: false }), new Intl.NumberFormat('de', { style: 'currency', currency: 'EUR' })]) {
    const format = integerFormat(nf);
    for (const n of [0, 7, 1234, 1234567]) assert.equal(format(n), nf.format(n));
  }
});
