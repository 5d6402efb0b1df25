/** Request ids as the observers see them: a well-formed incoming one, or one made up here. */
import { writeBytes, writeUint } from './ascii-bytes.js';

/** Printable ASCII without spaces, quotes or separators, at most 128 characters: safe in logs and headers. */
const ID = /^[A-Za-z0-9._:\/+=@-]{1,128}$/;

export function wellFormedId(id: string | undefined): string | undefined {
  return id !== undefined && ID.test(id) ? id : undefined;
}

/**
 * Made-up ids are the process id and a counter, base 36 (`<pid>-<n>`: unique across the workers
 * of a machine). A request that only needs its id on its log line keeps the number: the line
 * writes its digits (writeRequestId) and the text is made only if someone asks (requestIdText).
 */
const prefix = `${process.pid.toString(36)}-`;
const prefixBytes = Buffer.from(prefix);
let counter = 0;

/** The next made-up id's number (1, 2, …). */
export function nextRequestNumber(): number {
  return ++counter;
}

/** The text of made-up id number `n`. */
export function requestIdText(n: number): string {
  return prefix + n.toString(36);
}

/** The next made-up id's text. */
export function nextRequestId(): string {
  return requestIdText(nextRequestNumber());
}

/** Writes the text of made-up id number `n` (ASCII) into `into` at `at`; returns the end. */
export function writeRequestId(into: Uint8Array, at: number, n: number): number {
  return writeUint(into, writeBytes(into, at, prefixBytes), n, 36);
}
