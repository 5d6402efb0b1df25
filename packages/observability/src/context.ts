/**
 * The request context: `AsyncLocalStorage` carrying the current request through every `await`,
 * so that services without request scope can ask "which request am I serving?" (what
 * nestjs-cls gives NestJS users): its id, logger, locale, user, and values of your own.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context, Middleware } from '@armature/core';
import type { Logger } from 'pino';
import { exchangeOf } from './exchange.js';
import { nextRequestId, wellFormedId } from './request-ids.js';

const storage = new AsyncLocalStorage<RequestStore>();

/** What the request context holds for one request. Fields beyond `ctx` are read on use. */
export class RequestStore {
  readonly ctx: Context;
  private values: Map<unknown, unknown> | null = null;
  private id_: string | undefined = undefined;

  constructor(ctx: Context) {
    this.ctx = ctx;
  }

  /**
   * The request id: the request logger's, else `ctx.state.requestId` (the request-id
   * middleware), else a well-formed `X-Request-Id` of the request, else a process-wide counter.
   */
  get id(): string {
    if (this.id_ !== undefined) return this.id_;
    const ctx = this.ctx;
    const id = exchangeOf(ctx)?.requestId ?? (ctx.state.requestId as string | undefined) ?? ctx.res.getHeader('x-request-id') ?? wellFormedId(ctx.get('x-request-id'));
    return (this.id_ = id ?? nextRequestId());
  }

  /** The request's logger (`ctx.log`; needs the request logger to carry the request id). */
  get log(): Logger {
    return (this.ctx as Context & { log: Logger }).log;
  }

  /** `ctx.state.locale` (set by the i18n middleware), or undefined. */
  get locale(): string | undefined {
    return this.ctx.state.locale as string | undefined;
  }

  /** `ctx.state.user` (set by your authentication guard or middleware), or undefined. */
  get user(): unknown {
    return this.ctx.state.user;
  }

  get<T = unknown>(key: unknown): T | undefined {
    return this.values?.get(key) as T | undefined;
  }

  set(key: unknown, value: unknown): this {
    (this.values ??= new Map()).set(key, value);
    return this;
  }

  has(key: unknown): boolean {
    return this.values?.has(key) ?? false;
  }
}

/**
 * Runs the rest of the request inside the request context. Put it before the middleware and
 * handlers that should see it (DI: `RequestContextModule.forRoot()`).
 */
export function requestContext(): Middleware {
  return (ctx, next) => storage.run(new RequestStore(ctx), next);
}

/** The request being served by the code that calls it, or undefined outside a request. */
export function currentRequest(): RequestStore | undefined {
  return storage.getStore();
}

/** Like currentRequest(), but throws outside a request (or without the requestContext middleware). */
export function requireRequest(): RequestStore {
  const store = storage.getStore();
  if (store === undefined) throw new Error('No request context here: called outside a request, or the requestContext() middleware (RequestContextModule) is not installed');
  return store;
}
