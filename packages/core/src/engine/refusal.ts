/**
 * The engine's own answers: requests it refuses before the app sees them (a malformed head, 408,
 * 413 on Content-Length, 414, 431, 503 over the connection limit…). Each is a complete
 * `application/problem+json` response that closes the connection, built as one latin1 string;
 * `refusalHeaders` (pre-encoded at start-up) are the app's only say in them.
 */
import { Buffer } from 'node:buffer';
import { PROBLEM_TYPE, problemJson } from '../http/problem.js';
import { INVALID_VALUE_CHAR, isToken } from '../http/chars.js';
import { dateLine } from './date.js';
import { statusLine } from '../http/status.js';

/** Fields the engine writes itself in a refusal: not to be given in refusalHeaders. */
const ENGINE_FIELDS = new Set(['content-type', 'content-length', 'transfer-encoding', 'connection', 'date', 'server', 'keep-alive']);

/**
 * Checks `refusalHeaders` and returns them with string values. Throws a TypeError at start-up for
 * a name that is not a token, a value with CR/LF/NUL or non-ASCII, or a field the engine sets
 * itself.
 */
export function checkRefusalHeaders(headers: Record<string, string> | undefined): Readonly<Record<string, string>> {
  const checked: Record<string, string> = {};
  if (headers === undefined) return checked;
  for (const name of Object.keys(headers)) {
    const value = String(headers[name]);
    if (!isToken(name)) throw new TypeError(`Engine option refusalHeaders: "${name}" is not a valid header name`);
    if (ENGINE_FIELDS.has(name.toLowerCase())) throw new TypeError(`Engine option refusalHeaders: ${name} is set by the engine itself`);
    if (INVALID_VALUE_CHAR.test(value) || /[^\x20-\x7e\t]/.test(value)) {
      throw new TypeError(`Engine option refusalHeaders: the value of ${name} must be printable ASCII without CR, LF or NUL`);
    }
    checked[name] = value;
  }
  return checked;
}

/** Checked refusal headers as pre-encoded `Name: value\r\n` lines ('' for none). */
export function encodeRefusalHeaders(headers: Readonly<Record<string, string>>): string {
  let lines = '';
  for (const name of Object.keys(headers)) lines += `${name}: ${headers[name]}\r\n`;
  return lines;
}

/** A complete refusal with `status` and `detail`, closing the connection. */
export function refusal(status: number, detail: string, serverLine: string, extraLines: string): string {
  // the detail is ours, but may quote request bytes (a header name): escape all but ASCII
  const text = problemJson(status, detail).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return statusLine(status) + serverLine + dateLine() + extraLines + 'Content-Type: ' + PROBLEM_TYPE +
    '\r\nContent-Length: ' + Buffer.byteLength(text) + '\r\nConnection: close\r\n\r\n' + text;
}
