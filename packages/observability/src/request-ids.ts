/** Request ids as the observers see them: a well-formed incoming one, or one made up here. */

/** Printable ASCII without spaces, quotes or separators, at most 128 characters: safe in logs and headers. */
const ID = /^[A-Za-z0-9._:\/+=@-]{1,128}$/;

export function wellFormedId(id: string | undefined): string | undefined {
  return id !== undefined && ID.test(id) ? id : undefined;
}

const prefix = `${process.pid.toString(36)}-`;
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
/** The counter is high * 36 + low; the text of `prefix + high` changes once every 36 ids. */
let high = 0;
let highText = prefix;
let low = 0;

/**
 * A made-up id: the process id and a counter, base 36 (unique across the workers of a machine).
 * `prefix + n.toString(36)` for n = 1, 2, …, kept as a cached head and a last digit: half the
 * cost of printing the number each time.
 */
export function nextRequestId(): string {
  if (++low === 36) {
    low = 0;
    highText = prefix + (++high).toString(36);
  }
  return highText + DIGITS[low]!;
}
