import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMessage, MessageSyntaxError } from '../src/compile.js';
import { formattersFor } from '../src/formatters.js';
import { escapeHtml } from '../src/escape.js';

const en = formattersFor('en');
const c = (src: string, locale = 'en', opts = {}) => compileMessage(src, formattersFor(locale), opts);
const run = (src: string, args?: Record<string, unknown>, locale = 'en') => c(src, locale)(args, null);

test('plain text and simple arguments', () => {
  assert.equal(run('Hello'), 'Hello');
  assert.equal(run('Hello {name}!', { name: 'Ada' }), 'Hello Ada!');
  assert.equal(run('{a}{b}', { a: 1, b: 'x' }), '1x');
  assert.equal(run('{a} and {b} and {c}', { a: 'A', b: 'B', c: 'C' }), 'A and B and C');
  assert.equal(run('{n}', { n: 1234.5 }), '1,234.5');
});

test('missing arguments render as {name} or call the hook', () => {
  assert.equal(run('Hi {name}'), 'Hi {name}');
  const seen: string[] = [];
  compileMessage('Hi {name}', en, { onMissingArgument: (n) => seen.push(n) })({}, null);
  assert.deepEqual(seen, ['name']);
});

test('plural: exact, categories, #, offset', () => {
  const m = 'You have {count, plural, =0 {no messages} one {# message} other {# messages}}.';
  assert.equal(run(m, { count: 0 }), 'You have no messages.');
  assert.equal(run(m, { count: 1 }), 'You have 1 message.');
  assert.equal(run(m, { count: 2 }), 'You have 2 messages.');
  assert.equal(run(m, { count: 1000 }), 'You have 1,000 messages.');
  assert.equal(run(m, { count: 1.5 }), 'You have 1.5 messages.');
  const off = '{n, plural, offset:1 =0 {nobody} =1 {{who}} one {{who} and # other} other {{who} and # others}}';
  assert.equal(run(off, { n: 0, who: 'Ann' }), 'nobody');
  assert.equal(run(off, { n: 1, who: 'Ann' }), 'Ann');
  assert.equal(run(off, { n: 2, who: 'Ann' }), 'Ann and 1 other');
  assert.equal(run(off, { n: 5, who: 'Ann' }), 'Ann and 4 others');
});

test('selectordinal', () => {
  const m = '{n, selectordinal, one {#st} two {#nd} few {#rd} other {#th}}';
  assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 102, 111].map((n) => run(m, { n })), ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '102nd', '111th']);
});

test('select and nesting; # belongs to the enclosing plural', () => {
  const m = '{g, select, female {{n, plural, one {She has # cat} other {She has # cats}}} male {He has {n, plural, one {# cat} other {# cats}}} other {They have {n} cats}}';
  assert.equal(run(m, { g: 'female', n: 1 }), 'She has 1 cat');
  assert.equal(run(m, { g: 'male', n: 3 }), 'He has 3 cats');
  assert.equal(run(m, { g: 'x', n: 3 }), 'They have 3 cats');
  // As in ICU, # is only special directly inside a plural sub-message, not in a nested select.
  assert.equal(run('{n, plural, other {{k, select, a {# a} other {# b}}}}', { n: 7, k: 'a' }), '# a');
  assert.equal(run('{n, plural, other {# {k, select, a {a} other {b}}}}', { n: 7, k: 'a' }), '7 a');
  assert.equal(run('no plural: #'), 'no plural: #');
});

test('number styles and skeletons', () => {
  assert.equal(run('{n, number}', { n: 1234.567 }), '1,234.567');
  assert.equal(run('{n, number, integer}', { n: 3.7 }), '4');
  assert.equal(run('{n, number, percent}', { n: 0.25 }), '25%');
  assert.equal(run('{n, number, ::currency/EUR}', { n: 3.5 }), '€3.50');
  assert.equal(run('{n, number, ::currency/EUR}', { n: 3.5 }, 'de'), '3,50\u00a0€');
  assert.equal(run('{n, number, ::compact-short}', { n: 12300 }), '12K');
  assert.equal(run('{n, number, ::scale/100}', { n: 0.5 }), '50');
  assert.equal(run('{n, number, ::percent}', { n: 0.5 }), '50%');
  const custom = compileMessage('{n, number, money}', en, { formats: { number: { money: { style: 'currency', currency: 'USD' } } } });
  assert.equal(custom({ n: 2 }, null), '$2.00');
  assert.throws(() => run('{n, number, nonsense}', { n: 1 }), MessageSyntaxError);
});

test('date and time with styles, skeletons and time zones', () => {
  const d = new Date(Date.UTC(2024, 0, 15, 13, 5));
  const utc = (src: string, locale = 'en') => compileMessage(src, formattersFor(locale), { timeZone: 'UTC' })({ d }, null);
  assert.equal(utc('{d, date, short}'), '1/15/24');
  assert.equal(utc('{d, date, long}'), 'January 15, 2024');
  assert.equal(utc('{d, date, long}', 'fr'), '15 janvier 2024');
  assert.equal(utc('{d, time, short}'), '1:05 PM');
  assert.equal(utc('{d, date, ::yyyyMMdd}'), '01/15/2024');
  const tokyo = compileMessage('{d, time, short}', en, { timeZone: 'Asia/Tokyo' })({ d }, null);
  assert.equal(tokyo, '10:05 PM');
});

test('apostrophe escaping', () => {
  assert.equal(run("It''s {n}", { n: 1 }), "It's 1");
  assert.equal(run("It's"), "It's");
  assert.equal(run("'{literal}' braces"), '{literal} braces');
  assert.equal(run("{n, plural, other {'#' is #}}", { n: 4 }), '# is 4');
});

test('tags are literal text', () => {
  assert.equal(run('<b>{name}</b>', { name: 'x' }), '<b>x</b>');
});

test('escaping applies to interpolated values only', () => {
  const m = c('<p>{name}: {n, plural, one {# item} other {# items}}</p>');
  assert.equal(m({ name: '<script>&"\'', n: 2 }, escapeHtml), '<p>&lt;script&gt;&amp;&quot;&#39;: 2 items</p>');
  assert.equal(m({ name: '<i>', n: 1 }, null), '<p><i>: 1 item</p>');
});

test('syntax errors and missing other clause are reported', () => {
  assert.throws(() => run('{oops'), MessageSyntaxError);
  assert.throws(() => run('{n, plural, one {x}}'), MessageSyntaxError);
  assert.throws(() => run('{n, select, a {x}}'), MessageSyntaxError);
});

test('compiled messages are plain functions reused across calls', () => {
  const m = c('{n, plural, one {# x} other {# xs}}');
  for (let i = 0; i < 3; i++) assert.equal(m({ n: i }, null), i === 1 ? '1 x' : `${i} xs`);
});
