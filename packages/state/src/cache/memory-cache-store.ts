/**
 * The cache store of one process: a ReadCache (SIEVE size bound, TTL). Values are kept by
 * reference, as NestJS's memory store does: do not mutate what you cached.
 */
import { ReadCache } from '../read-cache.js';
import type { CacheStore } from './store.js';

export interface MemoryCacheStoreOptions {
  /** Most entries kept (default 10 000). */
  max?: number;
}

export class MemoryCacheStore implements CacheStore {
  readonly kind = 'memory';
  private readonly entries: ReadCache<string, unknown>;

  constructor(options: MemoryCacheStoreOptions = {}) {
    this.entries = new ReadCache({ max: options.max ?? 10_000 });
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): Promise<unknown> {
    return Promise.resolve(this.entries.get(key));
  }

  set(key: string, value: unknown, ttl: number): Promise<void> {
    this.entries.set(key, value, ttl);
    return Promise.resolve();
  }

  del(key: string): Promise<boolean> {
    return Promise.resolve(this.entries.delete(key));
  }

  clear(): Promise<void> {
    this.entries.invalidate();
    return Promise.resolve();
  }
}
