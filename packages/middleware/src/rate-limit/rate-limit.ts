/**
 * The rate limit middleware: counts each request against a key (the client address by default)
 * in a store, advertises the quota in the IETF `RateLimit-Policy` / `RateLimit` fields, and
 * refuses with 429 (problem+json, `Retry-After`) when it is spent.
 */
import { TooManyRequestsException, type Context, type Middleware } from '@armature/core';
import { MemoryStore } from './memory-store.js';
import { checkPolicy, parseWindow, type RateLimitAlgorithm, type RateLimitStore, type RatePolicy, type RateVerdict } from './policy.js';

export type RateLimitKey = 'ip' | 'route' | 'ip+route' | ((ctx: Context) => string | Promise<string>);

export interface RateLimitOptions {
  /** Requests allowed per window (the bucket size for `token-bucket`). */
  limit: number;
  /** The window: ms, or `'10s'`, `'1m'`, `'1h'`… */
  window: number | string;
  /** Default `fixed-window`. */
  algorithm?: RateLimitAlgorithm;
  /**
   * What is counted: `'ip'` (default; the client address, behind proxies as `trustProxy` says),
   * `'route'` (the route pattern: one quota for all clients), `'ip+route'`, or a function of the
   * request (an API key, a user id).
   */
  key?: RateLimitKey;
  /** Where counters live (default: a MemoryStore of this limiter's own). */
  store?: RateLimitStore;
  /**
   * The policy's name, in the headers and in store keys (default `'default'`). Limiters sharing
   * a store need distinct names, unless they are meant to share a quota (two processes, one limit).
   */
  name?: string;
  /** What one request costs (default 1), or a function of it. */
  cost?: number | ((ctx: Context) => number);
  /** Requests that are not counted (health checks, internal callers). */
  skip?: (ctx: Context) => boolean;
  /** Send `RateLimit-Policy` and `RateLimit` on every answer (default true); 429s always carry `Retry-After`. */
  headers?: boolean;
  /** The 429's detail (default: "Too many requests: N per W; retry in S s"). */
  message?: string;
}

const NAME = /^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/;

/** Names taken per store in this process, so that two limiters do not share counters by accident. */
const claimed = new WeakMap<RateLimitStore, Set<string>>();

function routeOf(ctx: Context): string {
  const pattern = (ctx.config as { pattern?: unknown }).pattern;
  return `${ctx.method} ${typeof pattern === 'string' ? pattern : ctx.path}`;
}

function keyFunction(key: RateLimitKey | undefined): (ctx: Context) => string | Promise<string> {
  if (key === undefined || key === 'ip') return (ctx) => ctx.ip;
  if (key === 'route') return routeOf;
  if (key === 'ip+route') return (ctx) => `${ctx.ip}|${routeOf(ctx)}`;
  if (typeof key === 'function') return key;
  throw new TypeError(`rateLimit: key must be 'ip', 'route', 'ip+route' or a function, got ${String(key)}`);
}

export function rateLimit(options: RateLimitOptions): Middleware {
  if (options === undefined || options === null) throw new TypeError('rateLimit: pass { limit, window }');
  const policy: RatePolicy = { algorithm: options.algorithm ?? 'fixed-window', limit: options.limit, windowMs: parseWindow(options.window) };
  checkPolicy(policy);
  const name = options.name ?? 'default';
  if (!NAME.test(name)) throw new TypeError(`rateLimit: name "${name}" must be a letter then up to 63 letters, digits, '_', '.', '-'`);
  const store = options.store ?? new MemoryStore();
  let names = claimed.get(store);
  if (names === undefined) claimed.set(store, (names = new Set()));
  if (names.has(name)) throw new TypeError(`rateLimit: two limiters named "${name}" share one store; give each its own name`);
  names.add(name);
  const keyOf = keyFunction(options.key);
  const cost = options.cost ?? 1;
  if (typeof cost === 'number' && !(Number.isInteger(cost) && cost > 0)) throw new TypeError(`rateLimit: cost must be a whole number > 0, got ${String(cost)}`);
  const costOf = typeof cost === 'function' ? cost : () => cost;
  const skip = options.skip;
  const headers = options.headers !== false;
  const windowSeconds = Math.ceil(policy.windowMs / 1000);
  const policyField = `"${name}";q=${policy.limit};w=${windowSeconds}`;
  const prefix = `${name}:${policy.algorithm[0]}:`;
  const detail = options.message;

  const decide = (ctx: Context, verdict: RateVerdict, next: () => unknown): unknown => {
    const res = ctx.res;
    if (headers) {
      res.setHeader('RateLimit-Policy', policyField);
      res.setHeader('RateLimit', `"${name}";r=${verdict.remaining};t=${Math.ceil(verdict.resetMs / 1000)}`);
    }
    if (verdict.allowed) return next();
    const retry = Number.isFinite(verdict.retryAfterMs) ? Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)) : windowSeconds;
    throw new TooManyRequestsException(detail ?? `Too many requests: ${policy.limit} per ${windowSeconds} s; retry in ${retry} s`, {
      headers: { 'Retry-After': String(retry) },
    });
  };

  const count = (ctx: Context, key: string, next: () => unknown): unknown => {
    const c = costOf(ctx);
    const verdict = store.hit(prefix + key, policy, c);
    if (verdict instanceof Promise) return verdict.then((v) => decide(ctx, v, next));
    return decide(ctx, verdict, next);
  };

  return (ctx, next) => {
    if (skip !== undefined && skip(ctx)) return next();
    const key = keyOf(ctx);
    if (typeof key === 'string') return count(ctx, key, next);
    return key.then((k) => count(ctx, k, next));
  };
}
