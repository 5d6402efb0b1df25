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
  assert.equal(n.negotiate('en-AU,en;q=0.9'), 'en');
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
  assert.equal(n.negotiate('pt-AO'), 'pt-BR');
  assert.equal(new LocaleNegotiator(['en', 'pt-PT']).negotiate('pt-BR'), 'pt-PT');
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
