/**
 * ETags for dynamic answers: hashes a complete 200 body of a GET or HEAD, sets `ETag` (weak by
 * default), and answers 304 when `If-None-Match` already holds it (RFC 9110 §13.1.2, weak
 * comparison). Streamed bodies are left alone: their bytes are not known before they are sent.
 */
import { createHash } from 'node:crypto';
import type { Context, Middleware } from '@armature/core';
import type { BodyChunk, HttpResponse } from '@armature/core/http';

export interface EtagOptions {
  /** Weak validators (`W/"…"`, default true): equal meaning, not necessarily equal bytes. */
  weak?: boolean;
}

/** The entity-tag of a body: its length and a SHA-1 digest, quoted (and `W/` for weak). */
export function entityTag(body: BodyChunk, weak = true): string {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const hash = createHash('sha1').update(bytes).digest('base64url').slice(0, 27);
  const tag = `"${bytes.length.toString(16)}-${hash}"`;
  return weak ? `W/${tag}` : tag;
}

/** Strips `W/` for the weak comparison. */
function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/**
 * Does `If-None-Match` match `tag` (weak comparison)? `*` matches any current representation.
 * Linear in the field's length; malformed members simply do not match.
 */
export function noneMatch(field: string, tag: string): boolean {
  const want = opaque(tag);
  let i = 0;
  const n = field.length;
  while (i < n) {
    const c = field.charCodeAt(i);
    if (c === 32 || c === 9 || c === 44) {
      i++;
      continue;
    }
    if (c === 42 /* * */) return true;
    let start = i;
    if (c === 87 /* W */ && field.charCodeAt(i + 1) === 47 /* / */) start = i += 2;
    if (field.charCodeAt(i) !== 34 /* " */) {
      // not an entity-tag: skip to the next comma
      while (i < n && field.charCodeAt(i) !== 44) i++;
      continue;
    }
    const end = field.indexOf('"', i + 1);
    if (end === -1) return false;
    if (field.slice(start, end + 1) === want) return true;
    i = end + 1;
  }
  return false;
}

type End = HttpResponse['end'];

/**
 * The ETag middleware. Put it before compression (`app.use(etag()); app.use(compression())`) to
 * tag the uncompressed body, which keeps one tag per resource whatever the client accepts.
 */
export function etag(options: EtagOptions = {}): Middleware {
  const weak = options.weak !== false;
  return (ctx, next) => {
    const method = ctx.req.method;
    if (method !== 'GET' && method !== 'HEAD') return next();
    const res = ctx.res;
    const rawEnd: End = res.end;
    res.end = function end(this: HttpResponse, body?: BodyChunk): void {
      res.end = rawEnd;
      if (body === undefined || res.statusCode !== 200 || res.hasHeader('etag') || res.headersSent) return rawEnd.call(res, body);
      const tag = entityTag(body, weak);
      res.setHeader('ETag', tag);
      const condition = ctx.req.headers.get('if-none-match');
      if (condition !== undefined && noneMatch(condition, tag)) {
        res.statusCode = 304;
        res.removeHeader('content-length');
        res.removeHeader('content-type');
        return rawEnd.call(res);
      }
      return rawEnd.call(res, body);
    };
    return next();
  };
}

/** Context helper: true when the request's `If-None-Match` matches `tag` (for handlers that tag their own answers). */
export function isFresh(ctx: Context, tag: string): boolean {
  const condition = ctx.req.headers.get('if-none-match');
  return condition !== undefined && noneMatch(condition, tag);
}
