/**
 * Numbers and ASCII text written as bytes straight into a line's buffer (no string made for them),
 * exactly as JavaScript prints them. Numbers below 2^31 (every count and duration a request line
 * has) take integer arithmetic with constant divisors; larger ones the general path.
 */

/** Writes `s` (ASCII only: the caller knows) at `at`; returns the end. */
export function writeAscii(into: Uint8Array, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) into[at++] = s.charCodeAt(i);
  return at;
}

/** Writes `bytes` at `at` one by one (for a few bytes, cheaper than a TypedArray set); returns the end. */
export function writeBytes(into: Uint8Array, at: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) into[at++] = bytes[i]!;
  return at;
}

/** Writes a whole number 0 ≤ n ≤ 2^53 as n.toString(radix) prints it (radix 2-36, default 10); returns the end. */
export function writeUint(into: Uint8Array, at: number, n: number, radix = 10): number {
  if (n <= 0x7fffffff) {
    if (radix === 10) return writeDigits31(into, at, n | 0, 10);
    if (radix === 36) return writeDigits31(into, at, n | 0, 36);
  }
  let digits = 1;
  for (let rest = Math.floor(n / radix); rest > 0; rest = Math.floor(rest / radix)) digits++;
  const end = at + digits;
  for (let p = end - 1; p >= at; p--) {
    const next = Math.floor(n / radix);
    into[p] = digitCode(n - next * radix);
    n = next;
  }
  return end;
}

/**
 * n in [0, 2^31): its digits in `radix`, last first, then turned around. Small enough to be
 * inlined where it is called with a literal radix, which makes the division one by a constant.
 */
function writeDigits31(into: Uint8Array, at: number, n: number, radix: number): number {
  let end = at;
  do {
    const next = (n / radix) | 0;
    into[end++] = digitCode(n - next * radix);
    n = next;
  } while (n > 0);
  reverse(into, at, end);
  return end;
}

function reverse(into: Uint8Array, from: number, end: number): void {
  for (let i = from, j = end - 1; i < j; i++, j--) {
    const t = into[i]!;
    into[i] = into[j]!;
    into[j] = t;
  }
}

/** The character code of digit `d` (0-9, then a-z). */
function digitCode(d: number): number {
  return d < 10 ? 48 + d : 87 + d;
}

/** Writes milliseconds as String(Math.round(ms * 1000) / 1000) prints them (no float printing); returns the end. */
export function writeMs(into: Uint8Array, at: number, ms: number): number {
  const rounded = Math.round(ms * 1000);
  if (!(rounded >= 0 && rounded <= 0x7fffffff)) return writeAscii(into, at, String(rounded / 1000));
  const us = rounded | 0;
  const whole = (us / 1000) | 0;
  const frac = us - whole * 1000;
  at = writeDigits31(into, at, whole, 10);
  if (frac === 0) return at;
  into[at++] = 46; // '.'
  const d1 = (frac / 100) | 0;
  const d2 = ((frac / 10) | 0) - d1 * 10;
  const d3 = frac - d1 * 100 - d2 * 10;
  into[at++] = 48 + d1;
  if (d2 === 0 && d3 === 0) return at;
  into[at++] = 48 + d2;
  if (d3 === 0) return at;
  into[at++] = 48 + d3;
  return at;
}
