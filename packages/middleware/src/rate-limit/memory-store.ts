/**
 * Counters in this process's memory: exact and cheap, but each worker counts on its own (use the
 * Redis store to share one limit across workers and machines). Bounded: idle keys are swept, and
 * past `maxKeys` the oldest keys are dropped.
 */
import type { RateLimitStore, RatePolicy, RateVerdict } from './policy.js';

export interface MemoryStoreOptions {
  /** Most keys kept (default 100 000); past it the oldest are dropped. */
  maxKeys?: number;
  /** How often idle keys are swept, in ms (default 10 s). */
  sweepInterval?: number;
}

/** One key's state: `a`/`b` are the algorithm's numbers, `until` when the entry is pristine again. */
interface Entry {
  a: number;
  b: number;
  c: number;
  until: number;
}

export class MemoryStore implements RateLimitStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxKeys: number;
  private timer: NodeJS.Timeout | null = null;
  private readonly sweepInterval: number;
  /** Reused answer: the middleware reads it before the next hit. */
  private readonly verdict: RateVerdict = { allowed: true, remaining: 0, resetMs: 0, retryAfterMs: 0 };

  constructor(options: MemoryStoreOptions = {}) {
    this.maxKeys = options.maxKeys ?? 100_000;
    this.sweepInterval = options.sweepInterval ?? 10_000;
  }

  /** Keys currently held. */
  get size(): number {
    return this.entries.size;
  }

  hit(key: string, policy: RatePolicy, cost: number, now = Date.now()): RateVerdict {
    let e = this.entries.get(key);
    if (e === undefined) {
      if (this.entries.size >= this.maxKeys) this.makeRoom(now);
      e = { a: 0, b: 0, c: 0, until: 0 };
      this.entries.set(key, e);
      if (this.timer === null) this.startSweeping();
    }
    const v = this.verdict;
    switch (policy.algorithm) {
      case 'fixed-window':
        fixedWindow(e, policy, cost, now, v);
        break;
      case 'sliding-window':
        slidingWindow(e, policy, cost, now, v);
        break;
      default:
        tokenBucket(e, policy, cost, now, v);
    }
    return v;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Stops the sweep timer and forgets every key. */
  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.entries.clear();
  }

  private startSweeping(): void {
    this.timer = setInterval(() => this.sweep(Date.now()), this.sweepInterval);
    this.timer.unref();
  }

  private sweep(now: number): void {
    for (const [key, e] of this.entries) if (e.until <= now) this.entries.delete(key);
    if (this.entries.size === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private makeRoom(now: number): void {
    this.sweep(now);
    // still full: drop the oldest tenth (Map order is insertion order)
    let drop = this.entries.size - this.maxKeys + Math.max(1, Math.floor(this.maxKeys / 10));
    for (const key of this.entries.keys()) {
      if (drop-- <= 0) break;
      this.entries.delete(key);
    }
  }
}

/** a = window start, b = count. */
function fixedWindow(e: Entry, p: RatePolicy, cost: number, now: number, v: RateVerdict): void {
  if (now >= e.a + p.windowMs || e.until === 0) {
    e.a = now;
    e.b = 0;
  }
  const reset = e.a + p.windowMs - now;
  e.until = e.a + p.windowMs;
  if (e.b + cost > p.limit) {
    v.allowed = false;
    v.remaining = Math.max(0, p.limit - e.b);
    v.resetMs = reset;
    v.retryAfterMs = cost > p.limit ? reset + p.windowMs : reset;
    return;
  }
  e.b += cost;
  v.allowed = true;
  v.remaining = p.limit - e.b;
  v.resetMs = reset;
  v.retryAfterMs = 0;
}

/** a = current window number, b = its count, c = the previous window's count. */
function slidingWindow(e: Entry, p: RatePolicy, cost: number, now: number, v: RateVerdict): void {
  const w = p.windowMs;
  const current = Math.floor(now / w);
  if (e.a !== current) {
    e.c = e.a === current - 1 ? e.b : 0;
    e.b = 0;
    e.a = current;
  }
  e.until = (current + 2) * w;
  const elapsed = now - current * w;
  const estimate = e.c * (1 - elapsed / w) + e.b;
  v.resetMs = w - elapsed;
  if (estimate + cost > p.limit) {
    v.allowed = false;
    v.remaining = Math.max(0, Math.floor(p.limit - estimate));
    v.retryAfterMs = slidingRetry(e.b, e.c, p.limit, cost, elapsed, w);
    return;
  }
  e.b += cost;
  v.allowed = true;
  v.remaining = Math.max(0, Math.floor(p.limit - estimate - cost));
  v.retryAfterMs = 0;
}

/** How long until `prev·(1 − t/w) + count + cost ≤ limit` (into the next window if need be). */
export function slidingRetry(count: number, prev: number, limit: number, cost: number, elapsed: number, w: number): number {
  const room = limit - count - cost;
  if (room >= 0 && prev > 0) return Math.max(1, Math.ceil(w * (1 - room / prev) - elapsed));
  // this window's own hits are too many: in the next one they are the weighted part
  const rest = w - elapsed;
  if (count <= 0 || cost > limit) return rest + w;
  return Math.max(1, Math.ceil(rest + w * Math.max(0, 1 - (limit - cost) / count)));
}

/** a = tokens, b = time of the last refill. */
function tokenBucket(e: Entry, p: RatePolicy, cost: number, now: number, v: RateVerdict): void {
  const rate = p.limit / p.windowMs;
  const tokens = e.until === 0 ? p.limit : Math.min(p.limit, e.a + (now - e.b) * rate);
  e.b = now;
  if (tokens < cost) {
    e.a = tokens;
    e.until = now + Math.ceil((p.limit - tokens) / rate);
    v.allowed = false;
    v.remaining = Math.floor(tokens);
    v.resetMs = e.until - now;
    v.retryAfterMs = cost > p.limit ? Infinity : Math.ceil((cost - tokens) / rate);
    return;
  }
  e.a = tokens - cost;
  e.until = now + Math.ceil((p.limit - e.a) / rate);
  v.allowed = true;
  v.remaining = Math.floor(e.a);
  v.resetMs = e.until - now;
  v.retryAfterMs = 0;
}
