/**
 * The cache handlers and services use (what NestJS users know as the cache manager):
 * `get`, `set`, `del`, `wrap`, `clear`, plus invalidation by tag. Entries live in a store (this
 * process's memory, or Redis). Tags are versioned: an entry remembers the version of each of its
 * tags when it was stored, and `invalidateTags()` bumps those versions in a ReadState shared
 * through the same transport as any other state (`workerSync()`, `redisSync()`), so an
 * invalidation reaches every worker and machine, and an entry whose tag moved on is a miss
 * everywhere — whichever store holds it.
 */
import { ReadState } from '../read-state.js';
import { redisSync, type RedisSyncClient } from '../redis-sync.js';
import type { StateSync } from '../sync.js';
import { MemoryCacheStore } from './memory-cache-store.js';
import type { CacheStore } from './store.js';

export interface CacheOptions {
  /** Where entries live (default: a MemoryCacheStore of 10 000 entries). */
  store?: CacheStore;
  /** Default time to live in ms (default 5 000; 0: no expiry). */
  ttl?: number;
  /**
   * How tag invalidations reach other processes: `workerSync()`, `redisSync({ client })`. By
   * default: through Redis when the store is a RedisCacheStore on an ioredis client, else this
   * process only.
   */
  sync?: StateSync;
  /** Name of this cache's tag state across processes (default `cache`). */
  name?: string;
}

/** Per-entry options of set() and wrap(). */
export interface CacheSetOptions {
  /** Time to live in ms (default: the cache's; 0: no expiry). */
  ttl?: number;
  /** Tags that invalidateTags() can drop this entry by. */
  tags?: readonly string[];
}

/** What a store holds for one entry: the value and the versions of its tags (flat: tag, version, …). */
interface Stored {
  v: unknown;
  g?: Array<string | number>;
}

type TagVersions = Record<string, number>;

function checkTtl(ttl: number, where: string): number {
  if (typeof ttl !== 'number' || !(ttl >= 0) || !Number.isFinite(ttl)) throw new RangeError(`${where}: ttl must be a finite number of ms ≥ 0, got ${String(ttl)}`);
  return ttl;
}

function checkKey(key: string, where: string): void {
  if (typeof key !== 'string' || key === '') throw new TypeError(`${where}: a key is a non-empty string, got ${typeof key === 'string' ? 'an empty string' : typeof key}`);
}

export class Cache {
  readonly store: CacheStore;
  readonly ttl: number;
  /** Versions of the tags invalidated so far (shared when the cache is). */
  readonly tags: ReadState<TagVersions>;
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(options: CacheOptions = {}) {
    this.store = options.store ?? new MemoryCacheStore();
    this.ttl = checkTtl(options.ttl ?? 5000, 'Cache');
    let sync = options.sync;
    if (sync === undefined && this.store.kind === 'redis') {
      const client = (this.store as { client?: Partial<RedisSyncClient> }).client;
      if (typeof client?.duplicate === 'function' && typeof client.defineCommand === 'function') sync = redisSync({ client: client as RedisSyncClient });
    }
    const name = `${options.name ?? 'cache'}:tags`;
    this.tags = new ReadState<TagVersions>({}, sync === undefined ? {} : { name, sync });
  }

  /** Resolves once the tag versions are shared (at once for a cache of this process). */
  get ready(): Promise<this> {
    return this.tags.ready.then(() => this);
  }

  /** The value, or undefined (absent, expired, or one of its tags invalidated since it was stored). */
  async get<T = unknown>(key: string): Promise<T | undefined> {
    checkKey(key, 'cache.get');
    const stored = (await this.store.get(key)) as Stored | undefined;
    if (stored === undefined || stored === null) return undefined;
    if (stored.g !== undefined && !this.current(stored.g)) {
      await this.store.del(key);
      return undefined;
    }
    return stored.v as T;
  }

  /** Stores `value` (undefined is not a value: use del) for `ttl` ms, or with `{ ttl, tags }`. */
  set(key: string, value: unknown, options?: number | CacheSetOptions): Promise<void> {
    return this.stamped(key, value, options, this.tags.value);
  }

  /** set() with the tag versions read when the value's computation started (an invalidation meanwhile wins). */
  private async stamped(key: string, value: unknown, options: number | CacheSetOptions | undefined, versions: TagVersions): Promise<void> {
    checkKey(key, 'cache.set');
    if (value === undefined) throw new TypeError('cache.set: undefined cannot be cached (it means a miss); use del()');
    const o = typeof options === 'number' ? { ttl: options } : (options ?? {});
    const ttl = o.ttl === undefined ? this.ttl : checkTtl(o.ttl, 'cache.set');
    const stored: Stored = { v: value };
    if (o.tags !== undefined && o.tags.length > 0) {
      const g: Array<string | number> = [];
      for (const tag of o.tags) {
        if (typeof tag !== 'string' || tag === '') throw new TypeError('cache.set: tags are non-empty strings');
        g.push(tag, versions[tag] ?? 0);
      }
      stored.g = g;
    }
    await this.store.set(key, stored, ttl);
  }

  /** Drops one entry (from the shared store: for every process that uses it). */
  del(key: string): Promise<boolean> {
    checkKey(key, 'cache.del');
    return this.store.del(key);
  }

  /**
   * The cached value, or `fn()`'s, stored for next time. Concurrent calls for one key in this
   * process share one call of `fn`; a failure is not stored.
   */
  wrap<T>(key: string, fn: () => T | Promise<T>, options?: number | CacheSetOptions): Promise<T> {
    checkKey(key, 'cache.wrap');
    const running = this.inflight.get(key);
    if (running !== undefined) return running as Promise<T>;
    const flight = (async () => {
      try {
        const hit = await this.get<T>(key);
        if (hit !== undefined) return hit;
        const versions = this.tags.value;
        const value = await fn();
        if (value !== undefined) await this.stamped(key, value, options, versions);
        return value;
      } finally {
        this.inflight.delete(key);
      }
    })();
    this.inflight.set(key, flight);
    return flight;
  }

  /** Drops every entry of the store. */
  clear(): Promise<void> {
    return this.store.clear();
  }

  /**
   * Every entry stored with one of `tags` becomes a miss, in every process that shares this
   * cache's tag versions. Resolves once the new versions are in place.
   */
  async invalidateTags(tags: readonly string[]): Promise<void> {
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t === '')) throw new TypeError('cache.invalidateTags: pass an array of non-empty strings');
    if (tags.length === 0) return;
    await this.tags.update((draft) => {
      for (const tag of tags) draft[tag] = (draft[tag] ?? 0) + 1;
    });
  }

  /** Leaves the shared tag state and closes what the store opened. */
  async close(): Promise<void> {
    await this.tags.close();
    await this.store.close?.();
  }

  private current(g: Array<string | number>): boolean {
    const versions = this.tags.value;
    for (let i = 0; i < g.length; i += 2) if ((versions[g[i] as string] ?? 0) !== g[i + 1]) return false;
    return true;
  }
}
