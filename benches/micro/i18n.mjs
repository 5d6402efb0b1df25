#!/usr/bin/env node
// Micro benchmark of @armature/i18n (the BUILT package: `npm run build` first).
//   npm run bench:micro -- i18n      (or: taskset -c 1 node --expose-gc benches/micro/i18n.mjs)
//   env: ROUNDS (default 3), ONLY (regular expression on the groups), ISOLATE=0 (one process)
// 1. Formatting an ICU plural message with a number argument, counts 0-1023 and counts of 4 to 9
//    digits: Armature (compiled once to a closure) vs a cached intl-messageformat instance vs
//    i18next with i18next-icu (which formats through intl-messageformat, cached per message).
// 2. Negotiating 1,000 distinct Accept-Language headers against 10 supported locales:
//    Armature's LocaleNegotiator (no result cache exists) vs negotiator's language().
// Each call takes the next input of its set. Harness: mitata through benches/micro/harness.mjs
// (each group in its own process, ROUNDS rounds, median of mitata's p50); all candidates must
// give the same output first. Results: benches/results/i18n.json.
import { createI18n, LocaleNegotiator } from '../../packages/i18n/dist/index.js';
import { IntlMessageFormat } from 'intl-messageformat';
import i18next from 'i18next';
import ICU from 'i18next-icu';
import Negotiator from 'negotiator';
import { compare, do_not_optimize, inGroupProcess, selected, writeResults } from './harness.mjs';

const MESSAGE = 'You have {count, plural, =0 {no messages} one {# message} other {# messages}}.';
const ROUNDS = Number(process.env.ROUNDS ?? 3);

// ---- 1. formatting ------------------------------------------------------------------------------
const counts = Array.from({ length: 1024 }, (_, i) => ({ count: i % 7 === 0 ? 0 : i % 5 === 0 ? 1 : i }));
// Large counts: 4 to 9 digits (grouped output, categories past the first thousand), some multiples of 1000.
let cseed = 99;
const crnd = () => { cseed = (cseed * 1103515245 + 12345) & 0x7fffffff; return cseed / 0x80000000; };
const bigCounts = counts.map((_, i) => {
  const n = Math.floor(10 ** (3 + crnd() * 6));
  return { count: i % 8 === 0 ? n - (n % 1000) : n };
});
const i18n = createI18n({ defaultLocale: 'en', messages: { en: { inbox: MESSAGE } } });
const t = i18n.translator('en').t;
const mf = new IntlMessageFormat(MESSAGE, 'en');
await i18next.use(ICU).init({ lng: 'en', resources: { en: { translation: { inbox: MESSAGE } } }, interpolation: { escapeValue: false } });

const FORMATTERS = {
  armature: (args) => t('inbox', args),
  'intl-messageformat': (args) => mf.format(args),
  'i18next + i18next-icu': (args) => i18next.t('inbox', args),
};
// Same output from all three before timing.
for (const a of [...counts, ...bigCounts]) {
  const [x, y, z] = Object.values(FORMATTERS).map((format) => format(a));
  if (x !== y || x !== z) throw new Error(`outputs differ: ${x} | ${y} | ${z}`);
}
const COUNT_SETS = { 'plural message, counts 0-1023': counts, 'plural message, counts of 4-9 digits': bigCounts };
/**
 * A case that calls `f` on the next of `inputs` on each call. Each case is a function of its own
 * (new Function), so that its call site sees one callee, as serialize.mjs does.
 */
function nextInputCase(f, inputs) {
  return new Function('f', 'inputs', 'keep', 'let i = 0; return () => keep(f(inputs[(i = (i + 1) % inputs.length)]));')(f, inputs, do_not_optimize);
}
const cases = [];
for (const [group, set] of Object.entries(COUNT_SETS)) {
  for (const [name, format] of Object.entries(FORMATTERS)) cases.push({ group, name, fn: nextInputCase(format, set) });
}

// ---- 2. negotiation ------------------------------------------------------------------------------
const SUPPORTED = ['en', 'en-GB', 'fr', 'de', 'es', 'it', 'pt-BR', 'pt-PT', 'ja', 'zh-Hans'];
// 1,000 distinct, realistic headers (deterministic PRNG): browser-style lists with regions and q-values.
const LANGS = ['en-US', 'en', 'en-GB', 'en-AU', 'fr-FR', 'fr', 'fr-CA', 'de-DE', 'de', 'de-AT', 'es-ES', 'es', 'es-419', 'it-IT', 'it',
  'pt-BR', 'pt', 'pt-PT', 'ja-JP', 'ja', 'zh-CN', 'zh', 'zh-TW', 'ko-KR', 'ko', 'nl-NL', 'nl', 'ru-RU', 'ru', 'pl', 'sv-SE', 'tr', 'ar', 'he', 'hi-IN'];
let seed = 12345;
const rnd = (n) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
const headerSet = new Set();
while (headerSet.size < 1000) {
  const k = 1 + rnd(5);
  const parts = [];
  let q = 10;
  for (let j = 0; j < k; j++) {
    const tag = LANGS[rnd(LANGS.length)];
    if (j === 0) parts.push(tag);
    else { q = Math.max(1, q - 1 - rnd(2)); parts.push(`${tag};q=0.${q}`); }
  }
  if (rnd(10) === 0) parts.push('*;q=0.1');
  headerSet.add(parts.join(rnd(2) === 0 ? ',' : ', '));
}
const headers = [...headerSet];
const negotiatorIndex = new LocaleNegotiator(SUPPORTED, 'en');
const NEGOTIATION = 'Accept-Language, 1,000 distinct headers';
const NEGOTIATORS = {
  armature: (h) => negotiatorIndex.negotiate(h),
  negotiator: (h) => new Negotiator({ headers: { 'accept-language': h } }).language(SUPPORTED) ?? 'en',
};
const agree = headers.filter((h) => NEGOTIATORS.armature(h) === NEGOTIATORS.negotiator(h)).length;
for (const [name, negotiate] of Object.entries(NEGOTIATORS)) cases.push({ group: NEGOTIATION, name, fn: nextInputCase(negotiate, headers) });

// ---- measure (benches/micro/harness.mjs), then the ratios the i18n issue states ----------------
const measured = await compare(selected(cases), {
  title: `i18n, ns per call: @armature/i18n vs intl-messageformat, i18next + ICU and negotiator (Node ${process.version})`,
  reference: 'armature',
  rounds: ROUNDS,
});
if (inGroupProcess) process.exit(0);

const ns = (group, name) => measured.find((m) => m.group === group && m.name === name)?.nsPerOp;
const times = (group, peer) => {
  const ours = ns(group, 'armature');
  const theirs = ns(group, peer);
  return ours === undefined || theirs === undefined ? null : +(theirs / ours).toFixed(1);
};
const ratios = {};
for (const group of Object.keys(COUNT_SETS)) {
  ratios[group] = { vsIntlMessageFormat: times(group, 'intl-messageformat'), vsI18next: times(group, 'i18next + i18next-icu') };
}
ratios[NEGOTIATION] = { vsNegotiator: times(NEGOTIATION, 'negotiator') };
console.log('\nhow many times faster @armature/i18n is (peer ns ÷ ours):');
for (const [group, r] of Object.entries(ratios)) {
  console.log(`  ${group}: ${Object.entries(r).map(([k, v]) => `${k} ${v === null ? 'not run' : `${v}×`}`).join(', ')}`);
}
console.log(`  negotiation agrees with negotiator on ${agree} of ${headers.length} headers`);

writeResults('i18n', ROUNDS, {
  message: MESSAGE,
  results: measured,
  ratios,
  negotiationAgreementWithNegotiator: `${agree}/${headers.length}`,
  notes: 'i18next uses the i18next-icu plugin (ICU syntax, formatting through intl-messageformat). No result caches: 1,000 distinct headers; LocaleNegotiator has none.',
});
