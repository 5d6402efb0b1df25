/**
 * Request ids: take the client's (or the proxy's) `X-Request-Id` when it is well-formed, else
 * make one; put it on the response and on `ctx.state.requestId` for handlers and logs.
 */
import { randomUUID } from 'node:crypto';
import type { Context, Middleware } from '@armature/core';

export interface RequestIdOptions {
  /** The header field read and echoed (default `X-Request-Id`). */
  header?: string;
  /**
   * Accept a well-formed id from the request (default true: behind a proxy or gateway that sets
   * one, the id follows the request through every service). false: always make a new one.
   */
  trustIncoming?: boolean;
  /** Makes an id (default `crypto.randomUUID()`). */
  generate?: (ctx: Context) => string;
  /** Longest id accepted from a request (default 128 characters). */
  maxLength?: number;
  /** Echo the id on the response (default true). */
  echo?: boolean;
}

declare module '@armature/core' {
  interface ContextState {
    /** This request's id (the requestId middleware). */
    requestId?: string;
  }
}

/** Printable ASCII without spaces, quotes, commas, semicolons or backslashes: safe in logs and headers. */
const ID_CHAR = /^[A-Za-z0-9._:\/+=@-]+$/;

/** This request's id (set by the requestId middleware), or undefined. */
export function requestIdOf(ctx: Context): string | undefined {
  return ctx.state.requestId;
}

export function requestId(options: RequestIdOptions = {}): Middleware {
  const header = options.header ?? 'X-Request-Id';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) throw new TypeError(`requestId: invalid header name "${header}"`);
  const key = header.toLowerCase();
  const trust = options.trustIncoming !== false;
  const generate = options.generate ?? (() => randomUUID());
  const maxLength = options.maxLength ?? 128;
  const echo = options.echo !== false;
  return (ctx, next) => {
    let id: string | undefined;
    if (trust) {
      const incoming = ctx.req.headers.get(key);
      if (incoming !== undefined && incoming.length > 0 && incoming.length <= maxLength && ID_CHAR.test(incoming)) id = incoming;
    }
    if (id === undefined) {
      id = generate(ctx);
      if (typeof id !== 'string' || id.length === 0 || /[\r\n\0]/.test(id)) throw new TypeError('requestId: generate() must return a non-empty string without CR, LF or NUL');
    }
    ctx.state.requestId = id;
    if (echo) ctx.res.setHeader(header, id);
    return next();
  };
}
