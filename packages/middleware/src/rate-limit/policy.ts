/**
 * What a rate limit is (algorithm, limit, window) and what a store answers for one hit. Shared by
 * the stores and the middleware.
 */

/**
 * - `fixed-window`: at most `limit` hits per window; the window starts at a key's first hit.
 * - `sliding-window`: the previous window's count, weighted by how much of it still overlaps the
 *   last `window` ms, plus the current window's count, stays within `limit` (smooths the burst at
 *   a fixed window's edge).
 * - `token-bucket`: a bucket of `limit` tokens refilled at `limit` per window; bursts up to
 *   `limit`, then a steady rate.
 */
export type RateLimitAlgorithm = 'fixed-window' | 'sliding-window' | 'token-bucket';

export interface RatePolicy {
  readonly algorithm: RateLimitAlgorithm;
  readonly limit: number;
  readonly windowMs: number;
}

/** A store's answer to one hit. */
export interface RateVerdict {
  allowed: boolean;
  /** Hits left in the current window (or tokens left), after this one. */
  remaining: number;
  /** Milliseconds until the quota is whole again. */
  resetMs: number;
  /** When refused: milliseconds until this hit would be allowed. */
  retryAfterMs: number;
}

/** Where counters live: one process (MemoryStore) or shared by every worker and machine (RedisStore). */
export interface RateLimitStore {
  /** Counts a hit of `cost` for `key` under `policy`; a refused hit is not counted. */
  hit(key: string, policy: RatePolicy, cost: number): RateVerdict | Promise<RateVerdict>;
  /** Forgets a key (e.g. after a successful login). */
  reset(key: string, policy: RatePolicy): void | Promise<void>;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A window as milliseconds, or a string such as `'500ms'`, `'10s'`, `'1m'`, `'1h'`, `'1d'`. */
export function parseWindow(window: number | string): number {
  if (typeof window === 'number') {
    if (!(Number.isInteger(window) && window > 0)) throw new TypeError(`rateLimit: window must be a whole number of ms > 0, got ${String(window)}`);
    return window;
  }
  const m = /^\s*(\d+)\s*(ms|s|m|h|d)\s*$/.exec(window);
  if (m === null) throw new TypeError(`rateLimit: window "${window}" is not a duration such as '10s', '1m', '1h'`);
  const ms = Number(m[1]) * UNITS[m[2]!]!;
  if (ms <= 0) throw new TypeError(`rateLimit: window "${window}" must be longer than 0`);
  return ms;
}

export function checkPolicy(policy: RatePolicy): void {
  if (policy.algorithm !== 'fixed-window' && policy.algorithm !== 'sliding-window' && policy.algorithm !== 'token-bucket') {
    throw new TypeError(`rateLimit: unknown algorithm "${String(policy.algorithm)}" (fixed-window, sliding-window or token-bucket)`);
  }
  if (!(Number.isInteger(policy.limit) && policy.limit > 0)) throw new TypeError(`rateLimit: limit must be a whole number > 0, got ${String(policy.limit)}`);
}
