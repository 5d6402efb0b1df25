/**
 * The opt-in cache of compressed bytes: a body that repeats (a static page, a fixed JSON
 * document) is compressed once per coding and level. Keyed by a SHA-256 of the body, so a
 * crafted body cannot collide with another; bounded in total bytes, least recently used out.
 */
import { createHash } from 'node:crypto';
import type { Encoder } from './codings.js';

export interface CacheOptions {
  /** Total compressed bytes kept. Default 16 MiB. */
  maxBytes?: number;
  /** Bodies larger than this (uncompressed) are not cached. Default 1 MiB. */
  maxEntryBytes?: number;
}

export class CompressedCache {
  readonly maxBytes: number;
  readonly maxEntryBytes: number;
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(options: CacheOptions) {
    this.maxBytes = positive('cache.maxBytes', options.maxBytes, 16 * 1024 * 1024);
    this.maxEntryBytes = positive('cache.maxEntryBytes', options.maxEntryBytes, 1024 * 1024);
  }

  /** The key of a body under an encoder ('' when the body is too large to cache). */
  key(body: Buffer, encoder: Encoder): string {
    if (body.length > this.maxEntryBytes) return '';
    return encoder.coding + encoder.level + ':' + createHash('sha256').update(body).digest('base64');
  }

  get(key: string): Buffer | undefined {
    if (key === '') return undefined;
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // most recently used last
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, compressed: Buffer): void {
    if (key === '' || compressed.length > this.maxBytes || this.entries.has(key)) return;
    this.entries.set(key, compressed);
    this.bytes += compressed.length;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.length;
    }
  }

  /** Entries and compressed bytes held. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new TypeError(`compression: ${name} must be a whole number of bytes ≥ 0`);
  return value;
}
