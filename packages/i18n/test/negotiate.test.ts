import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalizeTag, LocaleNegotiator, parseAcceptLanguage } from '../src/negotiate.js';

test('parseAcceptLanguage: q-values, order, wildcard, invalid entries', () => {
  assert.deepEqual(parseAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5'), [
    { tag: 'fr-CH', q: 1 }, { tag: 'fr', q: 0.9 }, { tag: 'en', q: 0.8 }, { tag: 'de', q: 0.7 }, { tag: '*', q: 0.5 },
  ]);
  assert.deepEqual(parseAcceptLanguage('en;q=0.5, de'), [{ tag: 'de', q: 1 }, { tag: 'en', q: 0.5 }]);
  assert.deepEqual(parseAcceptLanguage('EN-us ; q=0.3 ,zh-hant-tw'), [{ tag: 'zh-Hant-TW', q: 1 }, { tag: 'en-US', q: 0.3 }]);
  // invalid tags and q-values are ignored
  assert.deepEqual(parseAcceptLanguage('en_US, 123, de;q=2, fr;q=abc, it;q=0.1234, es;q=0.5'), [{ tag: 'es', q: 0.5 }]);
  assert.deepEqual(parseAcceptLanguage(''), []);
  assert.deepEqual(parseAcceptLanguage(',,, ;q=1'), []);
});

test('parseAcceptLanguage: parameters other than q are ignored (RFC 9110 §5.6.6), quoted commas do not split', () => {
  assert.deepEqual(parseAcceptLanguage('en-US;level=1'), [{ tag: 'en-US', q: 1 }]);
  assert.deepEqual(parseAcceptLanguage('en-US;level=1;q=0.5, de'), [{ tag: 'de', q: 1 }, { tag: 'en-US', q: 0.5 }]);
  assert.deepEqual(parseAcceptLanguage('fr ; q=0.7 ; level=2, it;foo;q=0.3'), [{ tag: 'fr', q: 0.7 }, { tag: 'it', q: 0.3 }]);
  assert.deepEqual(parseAcceptLanguage('en;note="a, b; q=0", de;q=0.8'), [{ tag: 'en', q: 1 }, { tag: 'de', q: 0.8 }]);
  assert.deepEqual(parseAcceptLanguage('en;note="say \\"hi\\", ok";q=0.4,fr'), [{ tag: 'fr', q: 1 }, { tag: 'en', q: 0.4 }]);
  // the first q decides; a quoted or invalid q drops the element; an unterminated quote ends the header
  assert.deepEqual(parseAcceptLanguage('en;q=0.2;q=0.9'), [{ tag: 'en', q: 0.2 }]);
  assert.deepEqual(parseAcceptLanguage('en;q="0.5", de;q=x, fr'), [{ tag: 'fr', q: 1 }]);
  assert.deepEqual(parseAcceptLanguage('en;x="open, de, fr'), []);
  assert.deepEqual(parseAcceptLanguage('en US, de'), [{ tag: 'de', q: 1 }]);
  assert.deepEqual(parseAcceptLanguage('*;level=1;q=0.1'), [{ tag: '*', q: 0.1 }]);
});

test('negotiate: ranges with parameters take part', () => {
  const neg = new LocaleNegotiator(['en', 'de', 'fr']);
  assert.equal(neg.negotiate('de;level=1, fr;q=0.9'), 'de');
  assert.equal(neg.negotiate('it, de-AT;x="1,2";q=0.8, fr;q=0.5'), 'de');
  assert.equal(neg.negotiate('de;level=1;q=0, fr;q=0.5'), 'fr');
});

test('Accept-Language scanning stays linear on adversarial headers', () => {
  const neg = new LocaleNegotiator(['en', 'de', 'fr']);
  // best of 3 runs of 5 negotiations: a descheduled run on a loaded machine does not count
  const time = (header: string) => {
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      const t0 = process.hrtime.bigint();
      for (let k = 0; k < 5; k++) neg.negotiate(header);
      best = Math.min(best, Number(process.hrtime.bigint() - t0));
    }
    return best;
  };
  const size = 200_000;
  const shapes = [';'.repeat(size), '"'.repeat(size), ';x="'.repeat(size / 4), 'a;'.repeat(size / 2), ';a="\\\\'.repeat(size / 5), 'en;q=0.5;'.repeat(size / 9), ',;x'.repeat(size / 3)];
  const reference = time('en-US, de;q=0.5 '.repeat(size / 16));
  for (const h of shapes) {
    const ns = time(h);
    // linear: the same order as a plain header of the same length (quadratic would be ~10^4 times slower)
    assert.ok(ns < reference * 20 + 100e6, `${JSON.stringify(h.slice(0, 12))}…: ${(ns / 1e6).toFixed(1)} ms vs ${(reference / 1e6).toFixed(1)} ms`);
  }
});

test('canonicalizeTag', () => {
  assert.equal(canonicalizeTag('en-us'), 'en-US');
  assert.equal(canonicalizeTag('ZH-hant-tw'), 'zh-Hant-TW');
  assert.equal(canonicalizeTag('iw'), 'he');
  assert.equal(canonicalizeTag('de-CH-1996'), 'de-CH-1996');
  assert.equal(canonicalizeTag('en_US'), null);
  assert.equal(canonicalizeTag('x'), null);
});

const supported = ['en', 'en-GB', 'fr', 'de', 'pt-BR', 'pt-PT', 'zh-Hans', 'zh-Hant', 'ja', 'ar'];
const n = new LocaleNegotiator(supported, 'en');

test('exact, then language, highest q wins', () => {
  assert.equal(n.negotiate('fr'), 'fr');
  assert.equal(n.negotiate('en-GB,en;q=0.9'), 'en-GB');
  assert.equal(n.negotiate('en-US,en;q=0.9'), 'en');
  assert.equal(n.negotiate('fr-CA'), 'fr');
  assert.equal(n.negotiate('de-CH-1996'), 'de');
  assert.equal(n.negotiate('es, de;q=0.5, fr;q=0.7'), 'fr');
  assert.equal(n.negotiate('it, es'), 'en'); // default
  assert.equal(n.negotiateOrNull('it, es'), null);
  assert.equal(n.negotiate(undefined), 'en');
});

test('pt-BR and pt-PT are told apart; bare pt picks the likely default', () => {
  assert.equal(n.negotiate('pt-PT'), 'pt-PT');
  assert.equal(n.negotiate('pt-BR'), 'pt-BR');
  assert.equal(n.negotiate('pt'), 'pt-BR');
  assert.equal(new LocaleNegotiator(['en', 'pt-PT']).negotiate('pt-BR'), 'pt-PT');
});

test('regional fallbacks follow CLDR parent locales', () => {
  // en-AU's parent is en-001, under which en-GB is: preferred to en (American English)
  assert.equal(n.negotiate('en-AU,en;q=0.9'), 'en-GB');
  assert.equal(new LocaleNegotiator(['en-US', 'en-GB']).negotiate('en-AU'), 'en-GB');
  assert.equal(new LocaleNegotiator(['en-GB', 'en-US']).negotiate('en-CA'), 'en-US', 'en-CA is no child of en-001 in CLDR');
  assert.equal(new LocaleNegotiator(['en-US', 'en-GB']).negotiate('en-CH'), 'en-GB', 'en-CH → en-150 → en-001');
  assert.equal(new LocaleNegotiator(['en-US', 'en-GB', 'en-DE']).negotiate('en-AT'), 'en-DE', 'en-AT → en-150, under which en-DE is');
  assert.equal(new LocaleNegotiator(['en-US', 'en-GB']).negotiate('en-US'), 'en-US');
  assert.equal(new LocaleNegotiator(['en-GB', 'en-US']).negotiate('en'), 'en-US', 'the bare language takes its likely region');
  // es-AR → es-419 (or a locale under it, es-MX) rather than es-ES
  assert.equal(new LocaleNegotiator(['es-ES', 'es-419']).negotiate('es-AR'), 'es-419');
  assert.equal(new LocaleNegotiator(['es', 'es-MX']).negotiate('es-AR'), 'es-MX');
  assert.equal(new LocaleNegotiator(['es-ES', 'es-MX']).negotiate('es-419'), 'es-MX');
  assert.equal(new LocaleNegotiator(['es-ES', 'es-419']).negotiate('es-CL;q=0.9, fr'), 'es-419');
  assert.equal(new LocaleNegotiator(['es-ES', 'es-419']).negotiate('es'), 'es-ES');
  // pt-AO → pt-PT, as the rest of Lusophone Africa and Macao
  assert.equal(n.negotiate('pt-AO'), 'pt-PT');
  assert.equal(n.negotiate('pt-MZ'), 'pt-PT');
  assert.equal(new LocaleNegotiator(['pt-BR']).negotiate('pt-AO'), 'pt-BR', 'nothing closer: the language');
  // CLDR parents in another language
  assert.equal(new LocaleNegotiator(['en', 'no']).negotiate('nb'), 'no');
  // extensions and variants are dropped on the way up
  assert.equal(new LocaleNegotiator(['en', 'es-419']).negotiate('es-AR-u-nu-latn'), 'es-419');
});

test('Chinese by script through likely subtags', () => {
  assert.equal(n.negotiate('zh-TW'), 'zh-Hant');
  assert.equal(n.negotiate('zh-HK'), 'zh-Hant');
  assert.equal(n.negotiate('zh-CN'), 'zh-Hans');
  assert.equal(n.negotiate('zh'), 'zh-Hans');
  assert.equal(n.negotiate('zh-Hant-HK'), 'zh-Hant');
  assert.equal(new LocaleNegotiator(['en', 'zh-Hans']).negotiate('zh-TW'), 'en'); // no Traditional Chinese: no cross-script fallback
});

test('wildcard and q=0', () => {
  assert.equal(n.negotiate('*'), 'en');
  assert.equal(n.negotiate('it, *;q=0.1'), 'en');
  assert.equal(n.negotiate('en;q=0, *'), 'en-GB');
  assert.equal(n.negotiate('de;q=0.2, *;q=0.5'), 'en');
  assert.equal(n.negotiate('fr;q=0, de;q=0.5'), 'de');
});

test('invalid supported locale is rejected', () => {
  assert.throws(() => new LocaleNegotiator(['en', 'not a tag']), RangeError);
  assert.throws(() => new LocaleNegotiator([]), RangeError);
});
