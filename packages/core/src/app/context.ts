import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { bodyTooLarge, checkBodyLimit, parseJsonBody } from '../http/body.js';
import { requestCodings } from '../http/content-coding.js';
import { UnsupportedMediaTypeException } from '../http/errors.js';
import type { HttpRequest } from '../http/request.js';
import type { HeaderValue, HttpResponse } from '../http/response.js';
import { reportToConsole } from '../http/report.js';
import { firstValue, forwardedChain, type TrustFunction } from './client-address.js';
import { parseCookies, serializeCookie, type CookieOptions } from './cookies.js';
import { matchesMediaType, mediaPatterns, parseMediaType } from './media-type.js';
import { EventStream, type SseOptions } from './sse.js';

/** Query parameters: repeated keys become arrays. */
export type QueryRecord = Record<string, string | string[]>;
/** Request header fields as an object with lowercased names. */
export type HeaderRecord = Record<string, string>;

/**
 * Per-request storage for middleware and hooks (`ctx.state.user = …`). Augment it to type your
 * own keys: `declare module '@armature/core' { interface ContextState { user?: User } }`.
 */
export interface ContextState {
  [key: string]: unknown;
}

/** Options of the body readers; a number is the size limit alone. */
export type BodyReadOptions =
  | number
  | {
      /** Bytes; more → 413. Default: the route's `bodyLimit`, else the app's, else `maxBodySize`. */
      limit?: number;
      /** Accepted media types (`type/subtype`, `type/*`, `*\/subtype`, `*\/*`, `type/*+suffix`, `*\/*+suffix`); others → 415. */
      type?: string | readonly string[];
    };

/** What a Context needs from its route: set once at start-up. */
export interface ContextConfig {
  readonly bodyLimit: number | undefined;
  readonly trust: TrustFunction | null;
  readonly report: (error: unknown) => void;
  /** Open event streams of the app, closed by app.close(). */
  readonly streams: Set<EventStream> | null;
  /** Development mode: warnings for mistakes that are otherwise silent (a header set too late). */
  readonly development: boolean;
  /** The matched route's path pattern (`/users/:id`), null for answers no route gives. */
  readonly routePath: string | null;
}

const DEFAULT_CONFIG: ContextConfig = { bodyLimit: undefined, trust: null, report: reportToConsole, streams: null, development: false, routePath: null };

/** Header names already warned about (development mode): one warning each. */
const lateHeaderWarnings = new Set<string>();

const JSON_TYPES = ['application/json', 'application/*+json'] as const;
const FORM_TYPES = ['application/x-www-form-urlencoded'] as const;
const TEXT_TYPES = ['text/*'] as const;
const ANY_TYPE = ['*/*'] as const;

/** Parses a query string; repeated keys become arrays. Malformed escapes are kept as written. */
export function parseQuery(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  if (query === '') return out;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (typeof prev === 'string') out[key] = [prev, value];
    else prev.push(value);
  }
  return out;
}

function decodeComponent(s: string): string {
  const plus = s.indexOf('+') === -1 ? s : s.replace(/\+/g, ' ');
  if (plus.indexOf('%') === -1) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

/** Characters a Location value may not carry as they are: controls, space, non-ASCII, and a few delimiters. */
const UNSAFE_URL_CHAR = /[\x00-\x20"<>\\^`{|}\x7f-\u{10ffff}]|%(?![0-9A-Fa-f]{2})/gu;

function encodeLocation(url: string): string {
  return url.replace(UNSAFE_URL_CHAR, (c) => {
    if (c === '%') return '%25';
    try {
      return encodeURIComponent(c);
    } catch {
      return '%EF%BF%BD'; // a lone surrogate: U+FFFD
    }
  });
}

/**
 * What handlers, hooks and middleware receive: the request (method, path, params, query, headers,
 * cookies, client address, body readers) and the response (status, headers, cookies, redirects,
 * event streams). Everything beyond the fields below is computed on first use.
 *
 * Type parameters: route params, query, body and headers — from the path literal, or from the
 * route's schemas once validated.
 */
export class Context<P = Record<string, string>, Q = QueryRecord, B = unknown, H = HeaderRecord> {
  readonly req: HttpRequest;
  readonly res: HttpResponse;
  /** Path parameters, percent-decoded (or the params schema's output). */
  params: P;
  /** The validated request body when the route has a body schema; otherwise undefined. */
  body: B;
  /** Limits and proxy trust of the route (set at start-up). */
  readonly config: ContextConfig;
  private query_: Q | null = null;
  private headers_: H | null = null;
  private cookies_: Record<string, string> | null = null;
  private state_: ContextState | null = null;
  private bytes_: Promise<Buffer> | null = null;
  private streamed_ = false;

  constructor(req: HttpRequest, res: HttpResponse, params: P, config: ContextConfig = DEFAULT_CONFIG) {
    this.req = req;
    this.res = res;
    this.params = params;
    this.body = undefined as B;
    this.config = config;
  }

  // ---- request --------------------------------------------------------------------------------

  get method(): string {
    return this.req.method;
  }

  /** The path as received, without the query string (not percent-decoded). */
  get path(): string {
    return this.req.path;
  }

  /**
   * The pattern of the route that matched (`/users/:id`, prefixes included), or null for the
   * answers no route gives (404, 405, a malformed path): a bounded label for logs and metrics.
   */
  get routePath(): string | null {
    return this.config.routePath;
  }

  /** Path and query as received. */
  get url(): string {
    return this.req.url;
  }

  /** Query parameters, parsed on first use; repeated keys become arrays. */
  get query(): Q {
    return (this.query_ ??= parseQuery(this.req.query) as Q);
  }
  set query(value: Q) {
    this.query_ = value;
  }

  /** Header fields as an object with lowercased names (built on first use). */
  get headers(): H {
    return (this.headers_ ??= this.req.headers.toObject() as H);
  }
  set headers(value: H) {
    this.headers_ = value;
  }

  /** One request header field, case-insensitive; repeated fields are joined with ", " (Koa's `ctx.get`). */
  get(name: string): string | undefined {
    return this.req.headers.get(name);
  }

  /** Cookies of the request (parsed from `Cookie` on first use). */
  get cookies(): Record<string, string> {
    return (this.cookies_ ??= parseCookies(this.req.headers.get('cookie')));
  }

  /** Storage shared by the middleware, hooks and handler of this request. */
  get state(): ContextState {
    return (this.state_ ??= {});
  }

  /**
   * The client's address: the socket peer, or — when `trustProxy` trusts the peer — the
   * nearest untrusted address in `X-Forwarded-For` ('' when there is no socket).
   */
  get ip(): string {
    const chain = this.chain();
    return chain[chain.length - 1]!;
  }

  /** With a trusted proxy: the addresses from the client to the last trusted proxy (client first). */
  get ips(): string[] {
    const chain = this.chain();
    return chain.slice(1).reverse();
  }

  private chain(): string[] {
    const trust = this.config.trust;
    return forwardedChain(this.req.remoteAddress, trust === null ? undefined : this.req.headers.get('x-forwarded-for'), trust);
  }

  /** True when the socket peer is a proxy whose X-Forwarded-* fields are believed. */
  private peerTrusted(): boolean {
    const trust = this.config.trust;
    return trust !== null && trust(this.req.remoteAddress, 0);
  }

  /** 'https' over TLS (or when a trusted proxy says so in `X-Forwarded-Proto`), else 'http'. */
  get protocol(): 'http' | 'https' {
    if (this.peerTrusted()) {
      const forwarded = this.req.headers.get('x-forwarded-proto');
      if (forwarded !== undefined) {
        const proto = firstValue(forwarded).toLowerCase();
        if (proto === 'https' || proto === 'http') return proto;
      }
    }
    return this.req.secure ? 'https' : 'http';
  }

  /** `protocol === 'https'`. */
  get secure(): boolean {
    return this.protocol === 'https';
  }

  /** Host and port the client asked for: `Host`, or a trusted proxy's `X-Forwarded-Host` ('' if none). */
  get host(): string {
    if (this.peerTrusted()) {
      const forwarded = this.req.headers.get('x-forwarded-host');
      if (forwarded !== undefined && forwarded !== '') return firstValue(forwarded);
    }
    return this.req.headers.get('host') ?? '';
  }

  /** `host` without the port. */
  get hostname(): string {
    const host = this.host;
    if (host.charCodeAt(0) === 91 /* [ */) {
      const end = host.indexOf(']');
      return end === -1 ? host : host.slice(0, end + 1);
    }
    const colon = host.indexOf(':');
    return colon === -1 ? host : host.slice(0, colon);
  }

  // ---- request body ---------------------------------------------------------------------------

  /**
   * The body parsed as JSON. 415 unless the Content-Type is `application/json` or `…/*+json`
   * (in UTF-8), 413 past the limit, 400 for an empty body or malformed JSON.
   *
   * Every body reader undoes the request's `Content-Encoding` (gzip, deflate, br, and zstd
   * where the runtime has it) and applies the limit to the decoded size; an unsupported coding
   * → 415, corrupt coded content → 400.
   */
  async json<T = unknown>(options?: BodyReadOptions): Promise<T> {
    const media = this.expect(options, JSON_TYPES, 'JSON');
    if (media !== undefined && media !== 'utf-8' && media !== 'utf8') throw new UnsupportedMediaTypeException(`JSON must be UTF-8, got ${charsetName(media)}`);
    return parseJsonBody((await this.bytesWithin(options)).toString('utf8')) as T;
  }

  /** The body as text (`text/*` unless `type` says otherwise), decoded by its charset (UTF-8 by default). */
  async text(options?: BodyReadOptions): Promise<string> {
    const charset = this.expect(options, TEXT_TYPES, 'text');
    const bytes = await this.bytesWithin(options);
    if (charset === undefined || charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii') return bytes.toString('utf8');
    let decoder: TextDecoder;
    try {
      decoder = new TextDecoder(charset);
    } catch {
      throw new UnsupportedMediaTypeException(`Unsupported ${charsetName(charset)}`);
    }
    return decoder.decode(bytes);
  }

  /**
   * An `application/x-www-form-urlencoded` body as an object (repeated keys become arrays);
   * 415 for any other Content-Type (multipart is not parsed here).
   */
  async form(options?: BodyReadOptions): Promise<Record<string, string | string[]>> {
    const charset = this.expect(options, FORM_TYPES, 'a URL-encoded form');
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new UnsupportedMediaTypeException(`Forms must be UTF-8, got ${charsetName(charset)}`);
    return parseQuery((await this.bytesWithin(options)).toString('utf8'));
  }

  /** The whole body as bytes (any Content-Type unless `type` is given). */
  async bytes(options?: BodyReadOptions): Promise<Buffer> {
    this.expect(options, ANY_TYPE, 'this content');
    return this.bytesWithin(options);
  }

  /** The body as a Node Readable, with the size limit enforced as it flows. */
  stream(options?: BodyReadOptions): Readable {
    this.expect(options, ANY_TYPE, 'this content');
    if (this.bytes_ !== null || this.streamed_) throw new Error('The request body has already been read');
    this.streamed_ = true;
    const codings = requestCodings(this.req.headers.get('content-encoding'));
    return this.req.body.stream(limitOf(options) ?? this.config.bodyLimit, codings);
  }

  /** Checks the Content-Type against the accepted patterns (415); returns its charset. */
  private expect(options: BodyReadOptions | undefined, defaults: readonly string[], what: string): string | undefined {
    const custom = typeof options === 'object' && options.type !== undefined ? mediaPatterns(options.type) : null;
    const patterns = custom ?? defaults;
    const header = this.req.headers.get('content-type');
    const media = parseMediaType(header);
    if (patterns === ANY_TYPE || patterns.includes('*/*')) return media.charset;
    if (!media.valid || !matchesMediaType(media.essence, patterns)) {
      // the essence is checked to be RFC 6838 names: safe to repeat; a malformed value is not
      const got = header === undefined ? 'no Content-Type' : media.valid ? `Content-Type ${media.essence}` : 'a malformed Content-Type';
      throw new UnsupportedMediaTypeException(`Expected ${what} (${patterns.join(' or ')}), got ${got}`);
    }
    return media.charset;
  }

  /** Reads the body once (later calls share it) and checks it against the limit. */
  private bytesWithin(options: BodyReadOptions | undefined): Promise<Buffer> {
    const limit = limitOf(options) ?? this.config.bodyLimit;
    const cached = this.bytes_;
    if (cached !== null) {
      if (limit === undefined) return cached;
      return cached.then((b) => {
        if (b.length > limit) throw bodyTooLarge(limit);
        return b;
      });
    }
    if (this.streamed_) return Promise.reject(new Error('The request body has already been read as a stream'));
    let codings;
    try {
      codings = requestCodings(this.req.headers.get('content-encoding'));
    } catch (error) {
      return Promise.reject(error);
    }
    const read = this.req.body.bytes(limit, codings);
    this.bytes_ = read;
    return read;
  }

  // ---- response -------------------------------------------------------------------------------

  /** Sets the response status; chainable. */
  status(code: number): this {
    this.res.statusCode = code;
    return this;
  }

  /**
   * Sets a response header field (replacing earlier values); chainable. Once the head is sent (an
   * event stream, a streamed body) a header can no longer reach the client: it is ignored, with a
   * warning in development, and the response goes on. The same holds for `append` and cookies.
   */
  set(name: string, value: HeaderValue): this {
    if (this.res.headersSent) return this.tooLate(name);
    this.res.setHeader(name, value);
    return this;
  }

  /** Adds a response header value, keeping earlier ones; chainable (ignored once the head is sent, see `set`). */
  append(name: string, value: HeaderValue): this {
    if (this.res.headersSent) return this.tooLate(name);
    this.res.appendHeader(name, value);
    return this;
  }

  /** Adds a `Set-Cookie` field (see CookieOptions); chainable. Throws on an invalid name, value or attribute. */
  cookie(name: string, value: string, options?: CookieOptions): this {
    return this.append('Set-Cookie', serializeCookie(name, value, options));
  }

  /** Tells the client to drop a cookie (give the same `path` and `domain` it was set with); chainable. */
  clearCookie(name: string, options: Omit<CookieOptions, 'maxAge' | 'expires' | 'encode'> = {}): this {
    return this.append('Set-Cookie', serializeCookie(name, '', { ...options, maxAge: 0, expires: new Date(0) }));
  }

  /** A header after the head was sent: dropped; development mode warns once per name. */
  private tooLate(name: string): this {
    const key = String(name).toLowerCase();
    if (this.config.development && !lateHeaderWarnings.has(key) && lateHeaderWarnings.size < 256) {
      lateHeaderWarnings.add(key);
      process.emitWarning(`Header "${name}" was set after the response head was sent (${this.req.method} ${this.req.path}); it is ignored. Set headers before streaming, or check ctx.res.headersSent.`, { code: 'ARMATURE_LATE_HEADER' });
    }
    return this;
  }

  /**
   * Redirects: sets the status (302 by default; 301, 303, 307, 308…) and `Location`.
   * Characters a URL may not carry are percent-encoded; CR, LF or NUL throw. Returns `null`, so
   * `return ctx.redirect('/login')` answers from a handler, hook or middleware with no body.
   */
  redirect(url: string, status = 302): null {
    if (/[\r\n\0]/.test(url)) throw new TypeError('Redirect URL must not contain CR, LF or NUL');
    if (!Number.isInteger(status) || status < 300 || status > 399) throw new RangeError(`Redirect status must be 3xx, got ${status}`);
    this.res.statusCode = status;
    this.res.setHeader('Location', encodeLocation(url));
    return null;
  }

  /**
   * Starts a Server-Sent Events stream (`text/event-stream`, `Cache-Control: no-cache`) with a
   * comment heartbeat every `heartbeat` ms (default 15 s). Return the stream from the handler.
   */
  sse(options?: SseOptions): EventStream {
    const stream = new EventStream(this.res, options, this.config.report);
    const open = this.config.streams;
    if (open !== null) {
      open.add(stream);
      stream.onClose(() => open.delete(stream));
    }
    return stream;
  }
}

/** A charset for an error message: named when it looks like a charset name, never other request text. */
function charsetName(charset: string): string {
  return /^[a-z0-9][a-z0-9._:+-]{0,39}$/.test(charset) ? `charset=${charset}` : 'charset (not a charset name)';
}

function limitOf(options: BodyReadOptions | undefined): number | undefined {
  if (options === undefined) return undefined;
  return checkBodyLimit(typeof options === 'number' ? options : options.limit, 'Body limit');
}
