import { CACHE_TTL_MS, type Item } from './rules.js';

interface Entry {
  item: Item;
  expires: number;
}

/**
 * The crud profile's cache-aside store, in process (one heap serves every request; each entry
 * here uses it the way its framework would hold such a store): an item is
 * kept CACHE_TTL_MS (200 ms) from when it was read, never refreshed in the background, and
 * dropped when it is written. Expired entries are swept when the map has grown, so its size stays
 * bounded by what was read within one TTL.
 */
export class ItemCache {
  private readonly entries = new Map<number, Entry>();
  private sweepAt = 1024;

  get(id: number, now = Date.now()): Item | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    if (entry.expires > now) return entry.item;
    this.entries.delete(id);
    return undefined;
  }

  set(id: number, item: Item, now = Date.now()): void {
    this.entries.set(id, { item, expires: now + CACHE_TTL_MS });
    if (this.entries.size >= this.sweepAt) {
      for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
      this.sweepAt = Math.max(1024, this.entries.size * 2);
    }
  }

  invalidate(id: number): void {
    this.entries.delete(id);
  }
}
