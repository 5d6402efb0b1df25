// Micro benchmark of @armature/i18n (the BUILT package: run `npx tsc -b packages/i18n` first).
//   taskset -c 1 node benches/micro/i18n.mjs        → prints a table, writes benches/results/i18n.json
// 1. Formatting an ICU plural message with a number argument:
//    Armature (compiled once to a closure) vs a cached intl-messageformat instance vs i18next
//    with i18next-icu (which formats through intl-messageformat, cached per message).
// 2. Negotiating 1,000 distinct Accept-Language headers against 10 supported locales:
//    Armature's LocaleNegotiator (no result cache exists) vs negotiator's language().
// Harness: warm-up, then interleaved samples (each candidate runs one batch per round), median ns/op.
import { writeFileSync, mkdirSync } from 'node:fs';
import { createI18n, LocaleNegotiator } from '../../packages/i18n/dist/index.js';
import { IntlMessageFormat } from 'intl-messageformat';
import i18next from 'i18next';
import ICU from 'i18next-icu';
import Negotiator from 'negotiator';

const MESSAGE = 'You have {count, plural, =0 {no messages} one {# message} other {# messages}}.';
const ROUNDS = Number(process.env.ROUNDS ?? 15);

function bench(candidates, opsPerBatch, rounds = ROUNDS) {
  const samples = candidates.map(() => []);
  for (const c of candidates) for (let w = 0; w < 3; w++) c.run(); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < candidates.length; i++) {
      const t0 = process.hrtime.bigint();
      candidates[i].run();
      samples[i].push(Number(process.hrtime.bigint() - t0) / opsPerBatch);
    }
  }
  return candidates.map((c, i) => {
    const s = samples[i].sort((a, b) => a - b);
    return { name: c.name, nsPerOp: s[s.length >> 1], min: s[0], max: s[s.length - 1] };
  });
}

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

// Same output from all three before timing.
for (const a of [...counts, ...bigCounts]) {
  const x = t('inbox', a), y = mf.format(a), z = i18next.t('inbox', a);
  if (x !== y || x !== z) throw new Error(`outputs differ: ${x} | ${y} | ${z}`);
}

const FORMAT_OPS = 200_000;
let sink = 0;
const formatting = bench([
  { name: '@armature/i18n t()', run() { for (let i = 0; i < FORMAT_OPS; i++) sink += t('inbox', counts[i & 1023]).length; } },
  { name: 'intl-messageformat (cached instance)', run() { for (let i = 0; i < FORMAT_OPS; i++) sink += mf.format(counts[i & 1023]).length; } },
  { name: 'i18next + i18next-icu', run() { for (let i = 0; i < FORMAT_OPS / 10; i++) sink += i18next.t('inbox', counts[i & 1023]).length; } },
  { name: '@armature/i18n t() (counts 1,000-999,999,999)', run() { for (let i = 0; i < FORMAT_OPS; i++) sink += t('inbox', bigCounts[i & 1023]).length; } },
  { name: 'intl-messageformat (counts 1,000-999,999,999)', run() { for (let i = 0; i < FORMAT_OPS; i++) sink += mf.format(bigCounts[i & 1023]).length; } },
  { name: 'i18next + i18next-icu (counts 1,000-999,999,999)', run() { for (let i = 0; i < FORMAT_OPS / 10; i++) sink += i18next.t('inbox', bigCounts[i & 1023]).length; } },
], FORMAT_OPS);
for (const k of [2, 5]) { formatting[k].nsPerOp *= 10; formatting[k].min *= 10; formatting[k].max *= 10; } // ran a tenth of the ops

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
let agree = 0;
for (const h of headers) {
  const ours = negotiatorIndex.negotiate(h);
  const theirs = new Negotiator({ headers: { 'accept-language': h } }).language(SUPPORTED) ?? 'en';
  if (ours === theirs) agree++;
}
const NEG_ROUNDS = 20; // each batch = all 1,000 headers, 20 times over
const negotiation = bench([
  { name: '@armature/i18n LocaleNegotiator', run() { for (let r = 0; r < NEG_ROUNDS; r++) for (const h of headers) sink += negotiatorIndex.negotiate(h).length; } },
  { name: 'negotiator language()', run() { for (let r = 0; r < NEG_ROUNDS; r++) for (const h of headers) sink += (new Negotiator({ headers: { 'accept-language': h } }).language(SUPPORTED) ?? '').length; } },
], headers.length * NEG_ROUNDS);

const ratio = (a, b) => Math.round((b.nsPerOp / a.nsPerOp) * 10) / 10;
const result = {
  node: process.version,
  date: new Date().toISOString(),
  message: MESSAGE,
  formatting: formatting.map((r) => ({ ...r, nsPerOp: Math.round(r.nsPerOp * 10) / 10 })),
  formattingRatios: { vsIntlMessageFormat: ratio(formatting[0], formatting[1]), vsI18next: ratio(formatting[0], formatting[2]), largeCountsVsIntlMessageFormat: ratio(formatting[3], formatting[4]), largeCountsVsI18next: ratio(formatting[3], formatting[5]) },
  negotiation: negotiation.map((r) => ({ ...r, nsPerOp: Math.round(r.nsPerOp * 10) / 10 })),
  negotiationRatio: ratio(negotiation[0], negotiation[1]),
  negotiation_headers: headers.length,
  negotiation_agreement_with_negotiator: `${agree}/${headers.length}`,
  notes: 'i18next uses the i18next-icu plugin (ICU syntax, formatting through intl-messageformat). No result caches: 1,000 distinct headers; LocaleNegotiator has none.',
};
console.table([...result.formatting, ...result.negotiation].map((r) => ({ name: r.name, 'ns/op (median)': r.nsPerOp })));
console.log('formatting ratios:', result.formattingRatios, 'negotiation ratio:', result.negotiationRatio, 'agreement:', result.negotiation_agreement_with_negotiator);
mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
writeFileSync(new URL('../results/i18n.json', import.meta.url), JSON.stringify(result, null, 2) + '\n');
if (sink === 42) console.log('');
