/**
 * Counters in Redis, through an `ioredis` client: one limit shared by every worker and machine.
 * Each hit is one atomic script (see redis-scripts.ts). When Redis cannot answer (down,
 * reconnecting, slower than `timeout`), the store fails open (the request is allowed) or closed
 * (503), as configured, and says so once per outage through `log`.
 */
import { ServiceUnavailableException } from '@armature/core';
import type { RateLimitStore, RatePolicy, RateVerdict } from './policy.js';
import { FIXED_WINDOW, SLIDING_WINDOW, TOKEN_BUCKET } from './redis-scripts.js';

/** What the store needs of a client: an `ioredis` Redis or Cluster fits. */
export interface RedisClientLike {
  readonly status: string;
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  del(key: string): Promise<number>;
}

export interface RedisStoreOptions {
  /** An ioredis client (or Cluster). The store defines its scripts on it; it does not close it. */
  client: RedisClientLike;
  /** Prefix of every key (default `rl:`). */
  prefix?: string;
  /** When Redis cannot answer: allow the request (`'open'`, default) or answer 503 (`'closed'`). */
  onFailure?: 'open' | 'closed';
  /** Longest wait for Redis per hit, in ms (default 500); then the failure policy applies. */
  timeout?: number;
  /** Where outages and recoveries are reported (default console.warn). */
  log?: (message: string, error?: unknown) => void;
}

type ScriptName = 'armatureRlFixed' | 'armatureRlSliding' | 'armatureRlBucket';
type ScriptClient = Record<ScriptName, (key: string, limit: number, window: number, cost: number) => Promise<[number, number, number, number]>>;

const SCRIPTS: Record<RatePolicy['algorithm'], { name: ScriptName; lua: string }> = {
  'fixed-window': { name: 'armatureRlFixed', lua: FIXED_WINDOW },
  'sliding-window': { name: 'armatureRlSliding', lua: SLIDING_WINDOW },
  'token-bucket': { name: 'armatureRlBucket', lua: TOKEN_BUCKET },
};

export class RedisStore implements RateLimitStore {
  readonly client: RedisClientLike;
  private readonly prefix: string;
  private readonly failOpen: boolean;
  private readonly timeout: number;
  private readonly log: (message: string, error?: unknown) => void;
  /** True while Redis is failing (reported once, until it answers again). */
  private failing = false;

  constructor(options: RedisStoreOptions) {
    if (options === undefined || options.client === undefined) throw new TypeError('RedisStore: pass { client: new Redis(url) } (an ioredis client)');
    this.client = options.client;
    this.prefix = options.prefix ?? 'rl:';
    if (options.onFailure !== undefined && options.onFailure !== 'open' && options.onFailure !== 'closed') {
      throw new TypeError(`RedisStore: onFailure must be 'open' or 'closed', got ${String(options.onFailure)}`);
    }
    this.failOpen = options.onFailure !== 'closed';
    this.timeout = options.timeout ?? 500;
    this.log = options.log ?? ((message, error) => console.warn(`[armature] ${message}`, error instanceof Error ? error.message : (error ?? '')));
    const client = this.client;
    for (const { name, lua } of Object.values(SCRIPTS)) {
      if (typeof (client as unknown as Record<string, unknown>)[name] !== 'function') client.defineCommand(name, { numberOfKeys: 1, lua });
    }
  }

  async hit(key: string, policy: RatePolicy, cost: number): Promise<RateVerdict> {
    const script = SCRIPTS[policy.algorithm];
    let reply: [number, number, number, number];
    try {
      if (this.client.status !== 'ready') throw new Error(`Redis connection is ${this.client.status}`);
      reply = await withTimeout((this.client as unknown as ScriptClient)[script.name](this.prefix + key, policy.limit, policy.windowMs, cost), this.timeout);
    } catch (error) {
      return this.failed(error, policy);
    }
    if (this.failing) {
      this.failing = false;
      this.log('rate limit: Redis answers again; limits are enforced');
    }
    const [allowed, remaining, reset, retry] = reply;
    return { allowed: allowed === 1, remaining, resetMs: reset, retryAfterMs: retry < 0 ? Infinity : retry };
  }

  async reset(key: string): Promise<void> {
    await this.client.del(this.prefix + key);
  }

  private failed(error: unknown, policy: RatePolicy): RateVerdict {
    if (!this.failing) {
      this.failing = true;
      this.log(`rate limit: Redis cannot answer; failing ${this.failOpen ? 'open (requests are allowed)' : 'closed (requests get 503)'} until it does`, error);
    }
    if (!this.failOpen) throw new ServiceUnavailableException('The rate limiter is unavailable', { headers: { 'Retry-After': '1' } });
    return { allowed: true, remaining: policy.limit, resetMs: policy.windowMs, retryAfterMs: 0 };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
