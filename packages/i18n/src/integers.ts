/**
 * Fast paths for non-negative safe integers, the common argument of plural messages.
 *
 * Both are derived from the runtime's own Intl objects and then checked against them on sample
 * values when they are built; a locale whose output does not match falls back to Intl entirely,
 * so the fast path can only ever return what Intl would have returned.
 */

/** True for 0, 1, 2, … up to Number.MAX_SAFE_INTEGER. */
export const isCountable = (n: number): boolean => n >= 0 && Number.isSafeInteger(n);

/** Values both fast paths are checked on: group and modulus boundaries, and large numbers. */
const SAMPLES = [
  0, 1, 2, 3, 5, 7, 11, 12, 19, 21, 22, 99, 100, 101, 111, 999, 1000, 1001, 1011, 1100, 1234, 2000, 2001,
  2011, 2021, 2100, 2101, 2111, 9999, 10000, 10001, 12345, 99999, 100000, 100001, 101000, 123456, 1000000,
  1000001, 1001000, 2000000, 2000001, 12345678, 21000000, 100000000, 123456789, 1000000000, 2147483647,
  2147483648, 4294967296, 12345678901, 1e15, 123456789012345, Number.MAX_SAFE_INTEGER,
  // Remainders modulo 100000 and 1000000 (Cornish): multiples of 1000 and their neighbours.
  1500, 11500, 21000, 21001, 41000, 81000, 101500, 300000, 1100000, 1100001, 1021000, 7040000,
];

/**
 * The CLDR plural rules decide integers by `n`/`i` compared with small constants and by
 * remainders modulo 10, 100, 1000, 100000 and 1000000 (the last two only for multiples of 1000,
 * in Cornish, French and Breton). So from 2000 up an integer has the category of
 * `1000 + n % 1000` when it is not a multiple of 1000, and of `1000000 + n % 1000000` when it is:
 * same remainders, same outcome of every comparison with a small constant. Two tables of at most
 * 2,000 and 1,000 entries answer for every integer there is.
 */
const TABLE = 2000;

export type IntegerSelector = (n: number) => string;

export function integerPlural(rules: Intl.PluralRules): IntegerSelector {
  const table: (string | undefined)[] = [];
  const thousands: (string | undefined)[] = [];
  const select: IntegerSelector = (n) => {
    if (n >= TABLE) {
      const r = n % 1000;
      if (r === 0) {
        const k = (n % 1_000_000) / 1000;
        let c = thousands[k];
        if (c === undefined) thousands[k] = c = rules.select(1_000_000 + k * 1000);
        return c;
      }
      n = 1000 + r;
    }
    let c = table[n];
    if (c === undefined) table[n] = c = rules.select(n);
    return c;
  };
  for (const n of SAMPLES) if (select(n) !== rules.select(n)) return (x) => rules.select(x);
  return select;
}

/**
 * A formatter for non-negative integers in a locale's default number format: its digits, its
 * grouping separator and sizes (3 everywhere, 3 then 2 in Indian formats) and its minimum
 * grouping digits (Spanish and Polish leave four-digit numbers ungrouped), learnt from `nf`.
 */
export type IntegerFormatter = (n: number) => string;

export function integerFormat(nf: Intl.NumberFormat): IntegerFormatter {
  const fallback: IntegerFormatter = (n) => nf.format(n);
  const parts = nf.formatToParts(12345678901);
  const groups = parts.filter((p) => p.type === 'integer').map((p) => p.value);
  const separator = parts.find((p) => p.type === 'group')?.value ?? '';
  if (parts.some((p) => p.type !== 'integer' && p.type !== 'group')) return fallback;

  const digits: string[] = [];
  for (let d = 0; d < 10; d++) digits.push(nf.format(d));
  const latin = digits.every((s, d) => s === String(d));
  const digitLength = digits[0]!.length;
  if (digits.some((s) => s.length !== digitLength)) return fallback;
  const primary = groups.length > 1 ? [...groups[groups.length - 1]!].length : Infinity;
  const secondary = groups.length > 2 ? [...groups[groups.length - 2]!].length : primary;
  // How many digits must stand before the first separator (1 mostly; 2 in es/pl; 3 in ee).
  let minimum = 1;
  if (separator !== '') while (minimum < 4 && !nf.format(10 ** (primary + minimum - 1)).includes(separator)) minimum++;

  const format: IntegerFormatter = (n) => {
    let s = '' + n;
    if (!latin) {
      let mapped = '';
      for (let i = 0; i < s.length; i++) mapped += digits[s.charCodeAt(i) - 48];
      s = mapped;
    }
    const len = s.length / digitLength;
    if (len < primary + minimum) return s;
    const cut = (len - primary) * digitLength;
    let out = separator + s.slice(cut);
    let end = cut;
    const step = secondary * digitLength;
    while (end > step) {
      out = separator + s.slice(end - step, end) + out;
      end -= step;
    }
    return s.slice(0, end) + out;
  };
  for (const n of SAMPLES) if (format(n) !== nf.format(n)) return fallback;
  return format;
}
