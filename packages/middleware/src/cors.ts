/**
 * CORS (the Fetch standard's CORS protocol): answers preflight requests and adds the
 * `Access-Control-*` fields to actual requests from allowed origins. A disallowed origin gets no
 * CORS fields at all, so the browser refuses to expose the answer.
 */
import type { Context, Middleware } from '@armature/core';

/** What may read the answers: see CorsOptions.origin. */
export type OriginRule = string | RegExp;
export type OriginFunction = (origin: string, ctx: Context) => boolean | string | Promise<boolean | string>;

export interface CorsOptions {
  /**
   * Which origins may read answers (default `'*'`: any origin, without credentials):
   * - `'*'`: every origin; `Access-Control-Allow-Origin: *` (refused together with `credentials`);
   * - a string or RegExp, or a list of them: the request's `Origin` must equal one string or match
   *   one RegExp (anchor your RegExps: `/^https:\/\/([a-z0-9-]+\.)?example\.com$/`);
   * - `true`: reflect any origin (with credentials this lets every site act as the user: avoid);
   * - `false`: CORS off;
   * - a function `(origin, ctx)` returning true/false (or the origin to allow), may be async.
   */
  origin?: '*' | boolean | OriginRule | readonly OriginRule[] | OriginFunction;
  /** Send `Access-Control-Allow-Credentials: true` (cookies, HTTP auth). Default false. */
  credentials?: boolean;
  /** Methods a preflight allows. Default GET, HEAD, PUT, PATCH, POST, DELETE. */
  methods?: string | readonly string[];
  /** Request header fields a preflight allows. Default: those the preflight asks for. */
  allowedHeaders?: string | readonly string[];
  /** Response header fields scripts may read (`Access-Control-Expose-Headers`). */
  exposedHeaders?: string | readonly string[];
  /** How long (seconds) a browser may cache a preflight answer (`Access-Control-Max-Age`). */
  maxAge?: number;
  /** Answer preflight requests here (default true); false passes them on to the routes. */
  preflight?: boolean;
  /** Status of a preflight answer (default 204; some old clients want 200). */
  preflightStatus?: number;
  /**
   * Answer `Access-Control-Request-Private-Network: true` preflights with
   * `Access-Control-Allow-Private-Network: true` (Private Network Access). Default false.
   */
  privateNetwork?: boolean;
}

const DEFAULT_METHODS = 'GET,HEAD,PUT,PATCH,POST,DELETE';

function list(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const joined = typeof value === 'string' ? value : value.join(',');
  return joined === '' ? undefined : joined;
}

type Decide = (origin: string, ctx: Context) => string | null | Promise<string | null>;

/** Compiles the origin option into a function giving the value of Access-Control-Allow-Origin (or null). */
function originDecider(option: CorsOptions['origin'], credentials: boolean): Decide | null {
  if (option === false) return null;
  if (option === undefined || option === '*') {
    if (credentials) {
      throw new TypeError("cors: origin '*' cannot be combined with credentials: true (browsers refuse it); list the allowed origins, or pass a function");
    }
    return () => '*';
  }
  if (option === true) return (origin) => origin;
  if (typeof option === 'function') {
    return (origin, ctx) => {
      const r = option(origin, ctx);
      return r instanceof Promise ? r.then((v) => verdict(v, origin)) : verdict(r, origin);
    };
  }
  const rules: readonly OriginRule[] = Array.isArray(option) ? option : [option as OriginRule];
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const rule of rules) {
    if (typeof rule === 'string') exact.add(rule);
    else if (rule instanceof RegExp) patterns.push(rule);
    else throw new TypeError(`cors: origin rules are strings or RegExps, got ${typeof rule}`);
  }
  return (origin) => {
    if (exact.has(origin)) return origin;
    for (const p of patterns) {
      p.lastIndex = 0;
      if (p.test(origin)) return origin;
    }
    return null;
  };
}

function verdict(value: boolean | string, origin: string): string | null {
  if (value === true) return origin;
  if (typeof value === 'string' && value !== '') return value;
  return null;
}

/**
 * The CORS middleware. Use it at the app level (`app.use(cors({...}))`) so that it sees
 * preflight requests for paths that have no OPTIONS route, and every error answer.
 */
export function cors(options: CorsOptions = {}): Middleware {
  const credentials = options.credentials === true;
  const decide = originDecider(options.origin, credentials);
  const methods = list(options.methods) ?? DEFAULT_METHODS;
  const allowedHeaders = list(options.allowedHeaders);
  const exposed = list(options.exposedHeaders);
  if (options.maxAge !== undefined && !(Number.isInteger(options.maxAge) && options.maxAge >= 0)) {
    throw new TypeError(`cors: maxAge must be a whole number of seconds ≥ 0, got ${String(options.maxAge)}`);
  }
  const maxAge = options.maxAge === undefined ? undefined : String(options.maxAge);
  const preflight = options.preflight !== false;
  const preflightStatus = options.preflightStatus ?? 204;
  const privateNetwork = options.privateNetwork === true;
  // the answer varies with Origin unless every origin gets '*'
  const varies = !(options.origin === undefined || options.origin === '*');

  if (decide === null) return (_ctx, next) => next();

  const actual = (ctx: Context, allowed: string | null, next: () => unknown): unknown => {
    if (allowed !== null) {
      ctx.res.setHeader('Access-Control-Allow-Origin', allowed);
      if (credentials) ctx.res.setHeader('Access-Control-Allow-Credentials', 'true');
      if (exposed !== undefined) ctx.res.setHeader('Access-Control-Expose-Headers', exposed);
    }
    return next();
  };

  const answerPreflight = (ctx: Context, allowed: string | null): null => {
    const res = ctx.res;
    res.statusCode = preflightStatus;
    if (allowed !== null) {
      res.setHeader('Access-Control-Allow-Origin', allowed);
      if (credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Methods', methods);
      const requested = ctx.req.headers.get('access-control-request-headers');
      const headers = allowedHeaders ?? requested;
      if (allowedHeaders === undefined && requested !== undefined) appendVary(ctx, 'Access-Control-Request-Headers');
      if (headers !== undefined && headers !== '') res.setHeader('Access-Control-Allow-Headers', headers);
      if (maxAge !== undefined) res.setHeader('Access-Control-Max-Age', maxAge);
      if (privateNetwork && ctx.req.headers.get('access-control-request-private-network') === 'true') {
        res.setHeader('Access-Control-Allow-Private-Network', 'true');
      }
    }
    res.setHeader('Content-Length', '0');
    res.end();
    return null;
  };

  return (ctx, next) => {
    const origin = ctx.req.headers.get('origin');
    if (varies) appendVary(ctx, 'Origin');
    if (origin === undefined) return next();
    const isPreflight = preflight && ctx.req.method === 'OPTIONS' && ctx.req.headers.get('access-control-request-method') !== undefined;
    const allowed = decide(origin, ctx);
    if (allowed instanceof Promise) {
      return allowed.then((a) => (isPreflight ? answerPreflight(ctx, a) : actual(ctx, a, next)));
    }
    return isPreflight ? answerPreflight(ctx, allowed) : actual(ctx, allowed, next);
  };
}

/** Adds `name` to the response's Vary field unless it is there already (or Vary is `*`). */
export function appendVary(ctx: Context, name: string): void {
  const current = ctx.res.getHeader('vary');
  if (current === undefined || current === '') {
    ctx.res.setHeader('Vary', name);
    return;
  }
  const lower = name.toLowerCase();
  for (const part of current.split(',')) {
    const p = part.trim().toLowerCase();
    if (p === '*' || p === lower) return;
  }
  ctx.res.setHeader('Vary', `${current}, ${name}`);
}
