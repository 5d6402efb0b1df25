/**
 * What generated serializers call at run time: string escaping, the JSON.stringify fallback for
 * untyped subtrees, and the errors a value that breaks its schema throws. Passed to every
 * generated function as `h`.
 */
import { conforms } from './schema-analysis.js';

/** Thrown when a value does not fit the schema it is serialized with. */
export class SerializationError extends Error {
  /** A JSON Pointer to the offending value: '' for the root, '/user/tags/2'. */
  readonly path: string;
  /** What is wrong, e.g. `required property "email" is missing`. */
  readonly reason: string;
  constructor(path: string, reason: string) {
    super(`Cannot serialize ${path === '' ? 'the value' : path}: ${reason}`);
    this.name = 'SerializationError';
    this.path = path;
    this.reason = reason;
  }
}

const ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** A string as a JSON string literal, exactly as JSON.stringify writes it. */
function str(s: string): string {
  const n = s.length;
  if (n < 16) {
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
    }
    return '"' + s + '"';
  }
  return ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

/** An untyped subtree: whatever JSON.stringify writes (undefined for undefined/functions/symbols). */
function any(v: unknown): string | undefined {
  return JSON.stringify(v);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return typeof v;
}

function mismatch(v: unknown, expected: string, path: string): SerializationError {
  return new SerializationError(path, `expected ${expected}, got ${kindOf(v)}`);
}

function missing(name: string, path: string): SerializationError {
  return new SerializationError(path, `required property ${JSON.stringify(name)} is missing`);
}

/** Re-throws an error from a $ref function with the path of the call site in front. */
function rebase(e: unknown, prefix: string): unknown {
  return e instanceof SerializationError ? new SerializationError(prefix + e.path, e.reason) : e;
}

/** The helpers object generated code receives. */
export const helpers = { str, any, mismatch, missing, rebase, conforms, hasOwn: Object.hasOwn, SerializationError };

export type Helpers = typeof helpers;
