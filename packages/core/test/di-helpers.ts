import assert from 'node:assert/strict';
import { DiError } from '../src/di/index.js';

/** An assert.throws/rejects validator: a DiError with `code` whose message matches every pattern. */
export const isDiError = (code: string, ...patterns: RegExp[]) => (error: unknown): boolean => {
  assert.ok(error instanceof DiError, `expected a DiError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  for (const p of patterns) assert.match(error.message, p);
  return true;
};
