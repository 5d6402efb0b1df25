/**
 * Router lookups cost time linear in the path length, whatever the path: adversarial paths
 * (almost matching several parameters in one segment, long segments, deep fallbacks) are timed
 * against a plain lookup in the same run, and memo mode (what bounds them) is checked to pick
 * exactly the route and params of the plain depth-first walk on random tables and paths.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RadixRouter } from '../src/router/index.js';
import { HttpError } from '../src/http/errors.js';

function router(patterns: string[], options?: { maxParamLength?: number; ignoreTrailingSlash?: boolean }): RadixRouter<string> {
  const r = new RadixRouter<string>(options);
  for (const p of patterns) r.add('GET', p, p);
  return r;
}

/** The router's scratch state, to switch memo mode on at the first inner end (1) or never (Infinity). */
function setMemoAfter(r: RadixRouter<string>, n: number): void {
  (r as unknown as { state: { memoAfter: number } }).state.memoAfter = n;
}

function nsPer(fn: () => void, times: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < times; i++) fn();
  return Number(process.hrtime.bigint() - t0) / times;
}

/**
 * Median over rounds of (cost of one lookup of `path`) / (cost of one plain dynamic lookup),
 * measured alternately in the same run, so that a loaded machine slows both.
 */
function ratioToPlain(r: RadixRouter<string>, path: string): number {
  const plain = '/users/42';
  r.find('GET', plain);
  const ratios: number[] = [];
  for (let round = 0; round < 7; round++) {
    const p = nsPer(() => r.find('GET', plain), 2000);
    const a = nsPer(() => {
      r.find('GET', path);
      r.allowed(path);
    }, 4) / 2;
    ratios.push(a / p);
  }
  ratios.sort((x, y) => x - y);
  return ratios[3]!;
}

/**
 * A lookup the plain depth-first walk took seconds or minutes for costs less than this many
 * plain lookups (measured on a shared machine: up to about 1,000; before the fix: over a million).
 */
const BUDGET = 5000;
/**
 * A regular expression on a parameter followed by static text in its segment is tested at each
 * candidate end of each candidate start: at most maxParamLength² tests, however long the path
 * (measured: about 13,000 plain lookups).
 */
const REGEX_BUDGET = 60000;

describe('adversarial paths cost a bounded number of plain lookups', () => {
  const cases: Array<[name: string, patterns: string[], path: string, budget?: number]> = [
    ['three parameters in a segment (the reported case)', ['/dates/:y-:m-:d/events'], `/dates/${'-'.repeat(1200)}/x`],
    ['three parameters, an 8 KiB segment', ['/dates/:y-:m-:d/events'], `/dates/${'-'.repeat(8192)}/x`],
    ['three parameters, a segment just under the value limit', ['/dates/:y-:m-:d/events'], `/dates/${'-'.repeat(95)}/x`],
    ['five parameters in a segment', ['/v/:a.:b.:c.:d.:e/x'], `/v/${'.'.repeat(400)}/y`],
    ['several multi-parameter segments in a row', ['/m/:a-:b/:c-:d/:e-:f/end'], `/m/${'-'.repeat(90)}/${'-'.repeat(90)}/${'-'.repeat(90)}/x`],
    ['separators of several characters', ['/s/:a--:b--:c/x'], `/s/${'-'.repeat(600)}/y`],
    ['a constrained parameter between two free ones', ['/c/:a-:b(\\d+)-:c/x', '/c/:a-:b(\\d+)-:c/y'], `/c/${'1-'.repeat(300)}/z`, REGEX_BUDGET],
    ['the same with a 16 KiB segment', ['/c/:a-:b(\\d+)-:c/x'], `/c/${'1-'.repeat(8192)}/z`, REGEX_BUDGET],
    ['an <int> parameter between two free ones', ['/i/:a-:b<int>-:c/x'], `/i/${'1-'.repeat(300)}/z`],
    ['a regular expression on the first parameter', ['/r/:a([0-9a-z-]+)-:b-:c/x'], `/r/${'a-'.repeat(300)}/z`],
    ['sibling routes sharing the parameters', ['/f/:n.:e', '/f/:n.tar.:z/raw', '/f/:n-:v.:e/x', '/f/:n-:v/:w.:e/y'], `/f/${'.-'.repeat(300)}/q`],
    ['a multi-parameter segment followed by fallbacks at many levels', ['/d/:a-:b/:c/:e/x', '/d/:a-:b/:c/*', '/d/:a-:b/s/:e/y'], `/d/${'-'.repeat(300)}/s/t`],
    ['percent-escapes in the values', ['/p/:a-:b-:c/x'], `/p/${'%41-'.repeat(300)}/y`],
    ['a wildcard after a long path', ['/w/:a-:b/*', '/w/x/*'], `/w/${'-'.repeat(4000)}/${'a/'.repeat(2000)}`],
  ];
  for (const [name, patterns, path, budget = BUDGET] of cases) {
    test(name, () => {
      const r = router(['/users/:id', ...patterns]);
      const ratio = ratioToPlain(r, path);
      assert.ok(ratio < budget, `${name}: one lookup cost ${ratio.toFixed(0)} plain lookups (budget ${budget})`);
    });
  }

  test('the cost does not grow with the length of a segment past maxParamLength', () => {
    const r = router(['/users/:id', '/dates/:y-:m-:d/events']);
    const short = ratioToPlain(r, `/dates/${'-'.repeat(1000)}/x`);
    const long = ratioToPlain(r, `/dates/${'-'.repeat(16000)}/x`);
    // scanning 16,000 characters once costs about as much as the bounded walk itself
    assert.ok(long < short * 4 + 200, `16,000 characters: ${long.toFixed(0)} plain lookups; 1,000: ${short.toFixed(0)}`);
  });
});

describe('memo mode finds what the plain walk finds', () => {
  // Random tables of routes with parameters sharing segments, constraints and wildcards, random
  // paths made of the same characters; each path looked up with memo mode from the first inner end,
  // and with memo mode never on.
  let seed = 99;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(random() * xs.length)]!;

  function randomPattern(): string {
    const segments: string[] = [];
    const n = 1 + Math.floor(random() * 3);
    let names = 0;
    for (let s = 0; s < n; s++) {
      const kind = random();
      if (kind < 0.3) segments.push(pick(['a', 'b', 'ab', 'x']));
      else if (kind < 0.5) segments.push(`:p${names++}${pick(['', '', '<int>', '([ab]+)'])}`);
      else {
        let seg = `:p${names++}`;
        const parts = 1 + Math.floor(random() * 3);
        for (let k = 0; k < parts; k++) seg += `${pick(['-', '.', '-a', 'b.'])}:p${names++}${pick(['', '', '<int>'])}`;
        if (random() < 0.3) seg += pick(['.x', '-']);
        segments.push(seg);
      }
    }
    if (random() < 0.15) segments.push('*');
    return `/${segments.join('/')}`;
  }

  function randomPath(): string {
    const n = 1 + Math.floor(random() * 4);
    const segments: string[] = [];
    for (let s = 0; s < n; s++) {
      let seg = '';
      const len = Math.floor(random() * 14);
      for (let k = 0; k < len; k++) seg += pick(['a', 'b', '-', '.', '1', '2', 'x', '-a', 'b.', '%41']);
      segments.push(seg);
    }
    return `/${segments.join('/')}`;
  }

  test('on 300 random tables × 200 random paths, with and without a tight maxParamLength', () => {
    let matched = 0;
    for (let t = 0; t < 300; t++) {
      const patterns = new Set<string>();
      for (let k = 0; k < 6; k++) patterns.add(randomPattern());
      const options = { maxParamLength: pick([100, 3, 6]), ignoreTrailingSlash: random() < 0.3 };
      const plain = new RadixRouter<string>(options);
      const memo = new RadixRouter<string>(options);
      for (const p of patterns) {
        try {
          plain.add('GET', p, p);
        } catch {
          continue; // a conflict between two random patterns
        }
        memo.add('GET', p, p);
      }
      setMemoAfter(plain as RadixRouter<string>, Infinity);
      setMemoAfter(memo as RadixRouter<string>, 1);
      const look = (r: RadixRouter<string>, path: string): string => {
        try {
          const m = r.find('GET', path);
          return m === null ? 'null' : JSON.stringify([m.value, { ...m.params }]);
        } catch (error) {
          assert.ok(error instanceof HttpError);
          return 'error';
        }
      };
      for (let q = 0; q < 200; q++) {
        const path = randomPath();
        const expected = look(plain, path);
        if (expected !== 'null') matched++;
        assert.equal(look(memo, path), expected, `${path} on ${[...patterns].join(' ')} (${JSON.stringify(options)})`);
        assert.deepEqual(memo.allowed(path), plain.allowed(path), `allowed(${path})`);
      }
    }
    assert.ok(matched > 1000, `enough random paths match (${matched})`);
  });
});
