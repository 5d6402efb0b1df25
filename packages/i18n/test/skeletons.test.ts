import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMessage, MessageSyntaxError } from '../src/compile.js';
import { formattersFor } from '../src/formatters.js';

const d = new Date(Date.UTC(2024, 0, 15, 13, 5, 9));
const fmt = (src: string, locale: string, args: Record<string, unknown> = { d }) =>
  compileMessage(src, formattersFor(locale), { timeZone: 'UTC' })(args, null);
const intl = (locale: string, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(d);

test('j resolves to the hour cycle of the locale (with its day period where it has one)', () => {
  assert.match(fmt('{d, time, ::jmm}', 'en'), /^1:05\sPM$/u);
  assert.equal(fmt('{d, time, ::jmm}', 'de'), '13:05');
  assert.equal(fmt('{d, time, ::jmm}', 'fr'), '13:05');
  assert.equal(fmt('{d, time, ::jjmm}', 'en'), intl('en', { hour: '2-digit', minute: '2-digit' }));
  assert.equal(fmt('{d, time, ::jmmss}', 'ja'), intl('ja', { hour: 'numeric', minute: '2-digit', second: '2-digit' }));
  assert.equal(fmt('{d, date, ::yMMMdjmm}', 'en-GB'), intl('en-GB', { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }));
  // a -u-hc- extension of the locale is the user's explicit preference
  assert.equal(fmt('{d, time, ::jmm}', 'en-u-hc-h23'), '13:05');
  // the same source compiles per locale: the skeleton is not fixed to the first locale compiled
  assert.notEqual(fmt('{d, time, ::jm}', 'en-US'), fmt('{d, time, ::jm}', 'de-DE'));
});

test('J is the locale hour cycle without a day period; C is the locale hour cycle as j', () => {
  assert.equal(fmt('{d, time, ::Jmm}', 'en'), '1:05');
  assert.equal(fmt('{d, time, ::Jmm}', 'de'), '13:05');
  assert.equal(fmt('{d, time, ::Jmm}', 'ko'), intl('ko', { hour: 'numeric', minute: '2-digit', hourCycle: 'h12' }).replace(/^\S+\s/u, ''));
  assert.match(fmt('{d, time, ::Cmm}', 'en'), /^1:05\sPM$/u);
  assert.equal(fmt('{d, time, ::Cmm}', 'de'), '13:05');
});

test('compound units (x-per-y) in several locales', () => {
  for (const locale of ['en', 'de', 'fr', 'ja', 'ar']) {
    for (const unit of ['kilometer-per-hour', 'meter-per-second', 'liter-per-kilometer']) {
      const nf = (display: 'short' | 'long' | 'narrow') => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: display }).format(88.5);
      assert.equal(fmt(`{v, number, ::unit/${unit}}`, locale, { v: 88.5 }), nf('short'), `${locale} ${unit}`);
      assert.equal(fmt(`{v, number, ::unit/${unit} unit-width-full-name}`, locale, { v: 88.5 }), nf('long'), `${locale} ${unit} long`);
    }
  }
  assert.equal(fmt('{v, number, ::unit/kilometer-per-hour}', 'en', { v: 120 }), '120 km/h');
  // ICU's long forms: a type prefix, and per-measure-unit for the denominator
  assert.equal(fmt('{v, number, ::measure-unit/length-kilometer per-measure-unit/duration-hour}', 'en', { v: 120 }), '120 km/h');
  assert.equal(fmt('{v, number, ::measure-unit/speed-kilometer-per-hour}', 'en', { v: 120 }), '120 km/h');
  assert.equal(fmt('{v, number, ::unit/kilometer}', 'en', { v: 3 }), '3 km');
});

test('an unsupported unit or skeleton is a MessageSyntaxError at compile time', () => {
  assert.throws(() => fmt('{v, number, ::unit/furlong-per-fortnight}', 'en', { v: 1 }), (e: unknown) => e instanceof MessageSyntaxError && /furlong-per-fortnight/.test(e.message));
  assert.throws(() => fmt('{d, date, ::yyyyQQQ}', 'en'), MessageSyntaxError);
});
