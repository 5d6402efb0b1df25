/**
 * The cache store shared by every process and machine that uses one Redis, through an `ioredis`
 * client: each entry is a string key (`prefix` + key) holding JSON, with Redis's own expiry.
 * `clear()` deletes this prefix's keys (SCAN, in batches), never the whole database.
 */
import type { CacheStore } from './store.js';

/** What the store needs of a client: an `ioredis` Redis fits. */
export interface RedisCacheStoreClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  set(key: string, value: string, px: 'PX', milliseconds: number): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
  scan(cursor: string, match: 'MATCH', pattern: string, count: 'COUNT', n: number): Promise<[cursor: string, elements: string[]]>;
}

export interface RedisCacheStoreOptions {
  /** An ioredis client (the store does not close it). */
  client: RedisCacheStoreClient;
  /** Prefix of every key (default `armature:cache:`). */
  prefix?: string;
}

export class RedisCacheStore implements CacheStore {
  readonly kind = 'redis';
  readonly client: RedisCacheStoreClient;
  readonly prefix: string;

  constructor(options: RedisCacheStoreOptions) {
    if (options === undefined || options.client === undefined) throw new TypeError('RedisCacheStore: pass { client: new Redis(url) } (an ioredis client)');
    this.client = options.client;
    this.prefix = options.prefix ?? 'armature:cache:';
  }

  async get(key: string): Promise<unknown> {
    const text = await this.client.get(this.prefix + key);
    return text === null ? undefined : JSON.parse(text);
  }

  async set(key: string, value: unknown, ttl: number): Promise<void> {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`RedisCacheStore: the value of "${key}" cannot be stored as JSON`);
    if (ttl > 0) await this.client.set(this.prefix + key, text, 'PX', Math.ceil(ttl));
    else await this.client.set(this.prefix + key, text);
  }

  async del(key: string): Promise<boolean> {
    return (await this.client.del(this.prefix + key)) > 0;
  }

  async clear(): Promise<void> {
    const pattern = `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length > 0) await this.client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}
