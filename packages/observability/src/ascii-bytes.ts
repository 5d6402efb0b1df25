/**
 * Numbers and ASCII text written as bytes straight into a line's buffer (no string made for them),
 * exactly as JavaScript prints them.
 */

/** Writes `s` (ASCII only: the caller knows) at `at`; returns the end. */
export function writeAscii(into: Uint8Array, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) into[at++] = s.charCodeAt(i);
  return at;
}

/** Writes a whole number 0 ≤ n ≤ 2^53 as n.toString(radix) prints it (radix 2-36, default 10); returns the end. */
export function writeUint(into: Uint8Array, at: number, n: number, radix = 10): number {
  if (n < radix) {
    into[at] = digitCode(n);
    return at + 1;
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

/** The character code of digit `d` (0-9, then a-z). */
function digitCode(d: number): number {
  return d < 10 ? 48 + d : 87 + d;
}

/** Writes milliseconds as String(Math.round(ms * 1000) / 1000) prints them (no float printing); returns the end. */
export function writeMs(into: Uint8Array, at: number, ms: number): number {
  const us = Math.round(ms * 1000);
  if (!(us >= 0 && us <= 0x7fffffff)) return writeAscii(into, at, String(us / 1000));
  const whole = Math.floor(us / 1000);
  const frac = us - whole * 1000;
  at = writeUint(into, at, whole);
  if (frac === 0) return at;
  into[at++] = 46; // '.'
  const d1 = Math.floor(frac / 100);
  const d2 = Math.floor(frac / 10) - d1 * 10;
  const d3 = frac - d1 * 100 - d2 * 10;
  into[at++] = 48 + d1;
  if (d2 === 0 && d3 === 0) return at;
  into[at++] = 48 + d2;
  if (d3 === 0) return at;
  into[at++] = 48 + d3;
  return at;
}
