/**
 * Where a `Cache` keeps its entries. Two come with the package: `MemoryStore` (this process, on a
 * ReadCache) and `RedisStore` (shared by every process that uses the Redis). Values given to a
 * store are plain data (what JSON can carry); a store may keep them by reference.
 */
export interface CacheStore {
  /** For messages and for choosing how tags travel: `'memory'`, `'redis'`, … */
  readonly kind: string;
  get(key: string): Promise<unknown>;
  /** `ttl` in ms; 0: no expiry. */
  set(key: string, value: unknown, ttl: number): Promise<void>;
  /** True when the key was there. */
  del(key: string): Promise<boolean>;
  /** Drops every entry of this store (its namespace only, for a shared server). */
  clear(): Promise<void>;
  /** Releases what the store opened (not a client it was given). */
  close?(): Promise<void>;
}
