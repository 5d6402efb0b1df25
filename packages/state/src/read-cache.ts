/**
 * ReadCache: a map made for reads. A hit is one `Map.get`, an expiry check when the entry has a
 * TTL, and one boolean store; nothing moves on a hit. The size bound evicts with SIEVE (a
 * "visited" bit per entry and a hand that sweeps from the oldest entry, clearing bits and
 * evicting the first unvisited one), which keeps LRU's hit ratio on skewed workloads without
 * LRU's reordering on every hit (measured in benches/micro/state.mjs against lru-cache).
 *
 * Invalidation is versioned: `invalidate()` starts a new generation in O(1) (a fresh map), and a
 * load that was in flight when its key was deleted or the cache invalidated returns its value to
 * its callers but never stores it. With `source`, the cache invalidates itself whenever that
 * ReadState gets a new version. `load()` is single-flight: concurrent misses on one key call the
 * loader once.
 */
import type { ReadState } from './read-state.js';

export interface ReadCacheOptions<K, V> {
  /** Most entries kept (default 10 000); past it, SIEVE evicts one per insert. */
  max?: number;
  /** Default time to live of an entry in ms (default: none). */
  ttl?: number;
  /** The loader `load(key)` calls on a miss. */
  load?: (key: K) => V | Promise<V>;
  /** Invalidates the whole cache whenever this state (a ReadState) changes version: entries derived from it. */
  source?: Pick<ReadState<unknown>, 'subscribe'> | { subscribe(fn: () => void): () => void };
}

class Entry<V> {
  visited = false;
  constructor(
    public value: V,
    /** Deadline (Date.now() ms), or 0: none. */
    public expires: number,
  ) {}
}

export class ReadCache<K, V> {
  /** Incremented by every `invalidate()`. */
  version = 0;
  private map = new Map<K, Entry<V>>();
  private inflight = new Map<K, Promise<V>>();
  private hand: Iterator<[K, Entry<V>]> | null = null;
  private readonly max: number;
  private readonly ttl: number;
  private readonly loader: ((key: K) => V | Promise<V>) | undefined;
  private readonly unsubscribe: (() => void) | null;

  constructor(options: ReadCacheOptions<K, V> = {}) {
    const max = options.max ?? 10_000;
    if (!(max >= 1)) throw new RangeError(`ReadCache: max must be at least 1, got ${String(options.max)}`);
    const ttl = options.ttl ?? 0;
    if (!(ttl >= 0) || !Number.isFinite(ttl)) throw new RangeError(`ReadCache: ttl must be a finite number of ms ≥ 0, got ${String(options.ttl)}`);
    this.max = max;
    this.ttl = ttl;
    this.loader = options.load;
    this.unsubscribe = options.source === undefined ? null : options.source.subscribe(() => this.invalidate());
  }

  /** Entries held (expired ones count until they are read or evicted). */
  get size(): number {
    return this.map.size;
  }

  /** The value, or undefined on a miss (absent or expired). */
  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    if (e.expires !== 0 && e.expires <= Date.now()) {
      this.map.delete(key);
      return undefined;
    }
    e.visited = true;
    return e.value;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  /** Stores `value` (undefined is not a value: use delete) for `ttl` ms (default: the cache's). */
  set(key: K, value: V, ttl: number = this.ttl): this {
    if (value === undefined) throw new TypeError('ReadCache: undefined cannot be cached (it means a miss); delete the key instead');
    const expires = ttl > 0 ? Date.now() + ttl : 0;
    const e = this.map.get(key);
    if (e !== undefined) {
      e.value = value;
      e.expires = expires;
      return this;
    }
    if (this.map.size >= this.max) this.evict();
    this.map.set(key, new Entry(value, expires));
    return this;
  }

  /** Drops the key; a load of it in flight will not store its result. */
  delete(key: K): boolean {
    this.inflight.delete(key);
    return this.map.delete(key);
  }

  /** Drops every entry and starts a new version; loads in flight will not store their results. */
  invalidate(): void {
    this.map = new Map();
    this.inflight = new Map();
    this.hand = null;
    this.version++;
  }

  /**
   * The cached value, or the loader's (stored for the next reads). Concurrent calls for a key
   * that is loading share that one load; a failed load is not stored and the next call tries again.
   */
  load(key: K, loader: ((key: K) => V | Promise<V>) | undefined = this.loader, ttl?: number): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return Promise.resolve(hit);
    const running = this.inflight.get(key);
    if (running !== undefined) return running;
    if (loader === undefined) return Promise.reject(new TypeError('ReadCache.load: no loader (pass one here or as the load option)'));
    let loaded: Promise<V>;
    try {
      loaded = Promise.resolve(loader(key));
    } catch (error) {
      loaded = Promise.reject(error);
    }
    const flight: Promise<V> = loaded.then(
      (value) => {
        if (this.inflight.get(key) === flight) {
          this.inflight.delete(key);
          if (value !== undefined) this.set(key, value, ttl);
        }
        return value;
      },
      (error: unknown) => {
        if (this.inflight.get(key) === flight) this.inflight.delete(key);
        throw error;
      },
    );
    this.inflight.set(key, flight);
    return flight;
  }

  /** Stops following `source`. */
  close(): void {
    this.unsubscribe?.();
  }

  /** SIEVE: from the hand on (oldest first), clear visited bits until an unvisited entry; evict it. */
  private evict(): void {
    let hand = this.hand ?? this.map.entries();
    for (let steps = 0; steps <= 2 * this.map.size + 1; steps++) {
      let r = hand.next();
      if (r.done === true) {
        hand = this.map.entries();
        r = hand.next();
        if (r.done === true) break;
      }
      const [key, e] = r.value;
      if (e.visited) {
        e.visited = false;
        continue;
      }
      this.map.delete(key);
      break;
    }
    this.hand = hand;
  }
}
