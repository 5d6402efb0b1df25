/**
 * Caching GET answers in a `Cache`: what `cacheResponses()` (middleware, for functional routes)
 * and `@Cacheable()` / `CacheInterceptor` (controllers) share.
 *
 * - Keyed by path and query (the query's pairs sorted, so `?a=1&b=2` and `?b=2&a=1` are one
 *   entry), or by your `key(ctx)`.
 * - Only 200 answers to GET and HEAD are stored, and not when the answer says
 *   `Cache-Control: no-store` or `private`, sets a cookie, or says `Vary: *`; nor when the request
 *   says `Cache-Control: no-store`. A `Vary` answer is stored per value of the request headers it
 *   names (the path's entry then records which headers those are).
 * - What is stored is the handler's value (before serialization, so the route's response schema
 *   still applies on a hit) and the representation headers the handler set; a hit answers with
 *   them and `Age`. Streams, event streams and answers whose head was already sent are not cached.
 * - Concurrent misses on one key in one process wait for the first and share its answer.
 */
import type { Context } from '@armature/core';
import { freeze } from 'immer';
import type { Cache } from './cache.js';

export interface CacheResponsesOptions {
  /** Time to live in ms (default: the cache's). */
  ttl?: number;
  /** Tags of the stored answers, for `cache.invalidateTags()`; or a function of the request. */
  tags?: readonly string[] | ((ctx: Context) => readonly string[]);
  /** The key of a request (default: path and sorted query); undefined: do not cache this one. */
  key?: (ctx: Context) => string | undefined;
  /** Response header fields stored with the value and sent again on a hit (lower case). */
  headers?: readonly string[];
}

/** The representation fields a hit sends again (beside the ones the body's type gives). */
export const CACHED_HEADERS: readonly string[] = [
  'content-type', 'content-language', 'content-disposition', 'cache-control', 'vary', 'etag', 'last-modified', 'expires', 'link',
];

/** One stored answer: status, the fields, the body's kind and the body, when it was stored. */
interface StoredAnswer {
  a: 1;
  h: string[];
  k: 'j' | 't' | 'b';
  b: unknown;
  at: number;
}
/** The path's entry when its answer varies: the request fields it varies by. */
interface VaryIndex {
  vary: string[];
}

const KEY_PREFIX = 'http:';

/** `path?sorted query`: the query's pairs as sent, sorted. */
export function defaultResponseKey(ctx: Context): string {
  const url = ctx.url;
  const q = url.indexOf('?');
  if (q === -1 || q === url.length - 1) return ctx.path;
  const pairs = url.slice(q + 1).split('&').filter((p) => p !== '');
  pairs.sort();
  return `${ctx.path}?${pairs.join('&')}`;
}

function directives(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.toLowerCase().split(',').map((d) => d.trim().split('=')[0]!);
}

/** The request fields a `Vary` value names (lower case, sorted, without duplicates); null for `*`. */
function varyFields(vary: string | undefined): string[] | null {
  if (vary === undefined) return [];
  const names = [...new Set(vary.toLowerCase().split(',').map((n) => n.trim()).filter((n) => n !== ''))].sort();
  return names.includes('*') ? null : names;
}

function variantKey(base: string, fields: readonly string[], ctx: Context): string {
  let key = base;
  for (const f of fields) key += `\n${f}:${ctx.get(f) ?? ''}`;
  return key;
}

function isStream(value: object): boolean {
  return typeof (value as { pipe?: unknown }).pipe === 'function' || Symbol.asyncIterator in value || typeof (value as { getReader?: unknown }).getReader === 'function';
}

/** The stored form of a handler's value, or null when it cannot be cached. */
function storable(value: unknown): { k: StoredAnswer['k']; b: unknown } | null {
  if (typeof value === 'string') return { k: 't', b: value };
  if (value instanceof Uint8Array) return { k: 'b', b: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return null;
  if (typeof value === 'object' && value !== null && isStream(value)) return null;
  try {
    const text = JSON.stringify(value);
    // frozen: a hit hands the same object to every request that follows
    return text === undefined ? null : { k: 'j', b: freeze(JSON.parse(text), true) };
  } catch {
    return null;
  }
}

/** Throws on options that cannot work, where they are written (at start-up). */
export function checkCacheResponsesOptions(options: CacheResponsesOptions): void {
  const { ttl, tags, key, headers } = options;
  if (ttl !== undefined && (typeof ttl !== 'number' || !(ttl >= 0) || !Number.isFinite(ttl))) throw new RangeError(`cacheResponses: ttl must be a finite number of ms ≥ 0, got ${String(ttl)}`);
  if (tags !== undefined && typeof tags !== 'function' && (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t === ''))) throw new TypeError('cacheResponses: tags are an array of non-empty strings, or a function of the request');
  if (key !== undefined && typeof key !== 'function') throw new TypeError('cacheResponses: key is a function of the request');
  if (headers !== undefined && (!Array.isArray(headers) || headers.some((h) => typeof h !== 'string'))) throw new TypeError('cacheResponses: headers is an array of field names');
}

/** Answers from the cache, or runs `next` and stores what it answers. */
export class ResponseCache {
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly headers: readonly string[];

  constructor(
    private readonly cache: Cache,
    private readonly options: CacheResponsesOptions = {},
  ) {
    checkCacheResponsesOptions(options);
    this.headers = (options.headers ?? CACHED_HEADERS).map((h) => h.toLowerCase());
  }

  async handle(ctx: Context, next: () => unknown): Promise<unknown> {
    const method = ctx.method;
    if (method !== 'GET' && method !== 'HEAD') return next();
    const own = this.options.key === undefined ? defaultResponseKey(ctx) : this.options.key(ctx);
    if (own === undefined) return next();
    const base = KEY_PREFIX + own;
    const hit = await this.lookup(base, ctx);
    if (hit === null) return next();
    if (hit !== undefined) return this.answer(hit, ctx);
    const running = this.inflight.get(base);
    if (running !== undefined) {
      await running.catch(() => {});
      const shared = await this.lookup(base, ctx);
      if (shared !== undefined && shared !== null) return this.answer(shared, ctx);
      return next();
    }
    const flight = this.miss(base, ctx, next);
    this.inflight.set(base, flight);
    try {
      return await flight;
    } finally {
      this.inflight.delete(base);
    }
  }

  /** The stored answer, undefined on a miss, null when the store failed (then the handler answers, uncached). */
  private async lookup(base: string, ctx: Context): Promise<StoredAnswer | undefined | null> {
    try {
      const entry = await this.cache.get<StoredAnswer | VaryIndex>(base);
      if (entry === undefined) return undefined;
      if ((entry as StoredAnswer).a === 1) return entry as StoredAnswer;
      const vary = (entry as VaryIndex).vary;
      if (!Array.isArray(vary)) return undefined;
      return await this.cache.get<StoredAnswer>(variantKey(base, vary, ctx));
    } catch (error) {
      ctx.config.report(error);
      return null;
    }
  }

  private async miss(base: string, ctx: Context, next: () => unknown): Promise<unknown> {
    const versionsAtStart = this.cache.tags.value;
    const value = await next();
    const res = ctx.res;
    if (res.statusCode !== 200 || res.headersSent || res.hasHeader('set-cookie')) return value;
    const answerCc = directives(res.getHeader('cache-control'));
    if (answerCc.includes('no-store') || answerCc.includes('private')) return value;
    if (directives(ctx.get('cache-control')).includes('no-store')) return value;
    const fields = varyFields(res.getHeader('vary'));
    if (fields === null) return value;
    const body = storable(value);
    if (body === null) return value;
    const h: string[] = [];
    for (const name of this.headers) {
      const v = res.getHeader(name);
      if (v !== undefined) h.push(name, v);
    }
    const answer: StoredAnswer = { a: 1, h, k: body.k, b: body.b, at: Date.now() };
    const tags = typeof this.options.tags === 'function' ? this.options.tags(ctx) : this.options.tags;
    const set = { ttl: this.options.ttl, tags };
    // an invalidation of one of the tags while the handler ran wins: the answer is not stored
    if (tags !== undefined && tags.some((t) => (this.cache.tags.value[t] ?? 0) !== (versionsAtStart[t] ?? 0))) return value;
    try {
      if (fields.length === 0) await this.cache.set(base, answer, set);
      else {
        await this.cache.set(base, { vary: fields } satisfies VaryIndex, set);
        await this.cache.set(variantKey(base, fields, ctx), answer, set);
      }
    } catch (error) {
      // a store that fails (Redis down) costs the caching, never the answer
      ctx.config.report(error);
    }
    return value;
  }

  private answer(stored: StoredAnswer, ctx: Context): unknown {
    for (let i = 0; i < stored.h.length; i += 2) ctx.set(stored.h[i]!, stored.h[i + 1]!);
    ctx.set('age', String(Math.max(0, Math.floor((Date.now() - stored.at) / 1000))));
    if (stored.k === 'b') return Buffer.from(stored.b as string, 'base64');
    return stored.b;
  }
}
