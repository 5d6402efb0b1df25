/**
 * Security headers with safe defaults (the set Helmet users know): a Content-Security-Policy
 * with an optional per-request nonce, HSTS on TLS only, and the Cross-Origin-*, framing,
 * sniffing and referrer fields. Every field is computed once at start-up; a request copies them.
 */
import { randomBytes } from 'node:crypto';
import type { Context, Middleware } from '@armature/core';
import { PreparedFields } from '@armature/core/http';

/** CSP directives: name → source list (an array is joined with spaces; `true` is a valueless directive). */
export type CspDirectives = Record<string, string | readonly string[] | true | false | null | undefined>;

export interface ContentSecurityPolicyOptions {
  /** Directives; merged over the defaults unless `useDefaults: false`. A null/false value removes one. */
  directives?: CspDirectives;
  useDefaults?: boolean;
  /** Send `Content-Security-Policy-Report-Only` instead (for trying a policy). */
  reportOnly?: boolean;
  /**
   * Add a fresh `'nonce-…'` to `script-src` and `style-src` for every request; the nonce is in
   * `ctx.state.cspNonce` (and `cspNonce(ctx)`) for the page's `<script nonce="…">` tags.
   */
  nonce?: boolean;
}

export interface HstsOptions {
  /** Seconds (default 365 days). */
  maxAge?: number;
  includeSubDomains?: boolean;
  preload?: boolean;
}

export interface SecurityHeadersOptions {
  /** `Content-Security-Policy` (default: the policy below); false: none. */
  contentSecurityPolicy?: ContentSecurityPolicyOptions | false;
  /** `Cross-Origin-Embedder-Policy` (default off; `'require-corp'` or `'credentialless'`). */
  crossOriginEmbedderPolicy?: 'require-corp' | 'credentialless' | 'unsafe-none' | false;
  /** `Cross-Origin-Opener-Policy` (default `same-origin`). */
  crossOriginOpenerPolicy?: 'same-origin' | 'same-origin-allow-popups' | 'unsafe-none' | false;
  /** `Cross-Origin-Resource-Policy` (default `same-origin`). */
  crossOriginResourcePolicy?: 'same-origin' | 'same-site' | 'cross-origin' | false;
  /** `Origin-Agent-Cluster: ?1` (default on). */
  originAgentCluster?: boolean;
  /** `Referrer-Policy` (default `no-referrer`); a list is sent as fallbacks, last preferred. */
  referrerPolicy?: string | readonly string[] | false;
  /** `Strict-Transport-Security`, sent on HTTPS answers only (default 365 days, includeSubDomains). */
  strictTransportSecurity?: HstsOptions | false;
  /** `X-Content-Type-Options: nosniff` (default on). */
  noSniff?: boolean;
  /** `X-DNS-Prefetch-Control` (default `off`). */
  dnsPrefetchControl?: 'on' | 'off' | false;
  /** `X-Download-Options: noopen` (default on; old Internet Explorer). */
  ieNoOpen?: boolean;
  /** `X-Frame-Options` (default `SAMEORIGIN`; CSP `frame-ancestors` is its modern form). */
  frameOptions?: 'SAMEORIGIN' | 'DENY' | false;
  /** `X-Permitted-Cross-Domain-Policies` (default `none`). */
  permittedCrossDomainPolicies?: 'none' | 'master-only' | 'by-content-type' | 'all' | false;
  /** `X-XSS-Protection: 0` (default on: the old filter is itself a risk, so it is switched off). */
  xssFilterOff?: boolean;
}

/** The default policy: same-origin everything, no plugins, no inline scripts. */
export const DEFAULT_CSP_DIRECTIVES: Readonly<CspDirectives> = Object.freeze({
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'font-src': ["'self'", 'https:', 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", 'https:', "'unsafe-inline'"],
  'upgrade-insecure-requests': true,
});

const DIRECTIVE_NAME = /^[a-z][a-z0-9-]*$/;
const SOURCE_UNSAFE = /[;,\r\n]/;

declare module '@armature/core' {
  interface ContextState {
    /** The request's CSP nonce (securityHeaders with `contentSecurityPolicy.nonce`). */
    cspNonce?: string;
  }
}

/** The CSP nonce of this request, or undefined when nonces are off. */
export function cspNonce(ctx: Context): string | undefined {
  return ctx.state.cspNonce;
}

function serializeCsp(directives: CspDirectives, nonce: string | null): string {
  const parts: string[] = [];
  for (const name of Object.keys(directives)) {
    const value = directives[name];
    if (value === false || value === null || value === undefined) continue;
    if (value === true) {
      parts.push(name);
      continue;
    }
    let sources = typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : [...value];
    if (nonce !== null && (name === 'script-src' || name === 'style-src')) {
      // a nonce makes browsers ignore 'unsafe-inline': drop it so the policy says what it does
      sources = sources.filter((s) => s !== "'unsafe-inline'");
      sources.push(`'nonce-${nonce}'`);
    }
    parts.push(sources.length === 0 ? name : `${name} ${sources.join(' ')}`);
  }
  return parts.join('; ');
}

function checkDirectives(directives: CspDirectives): void {
  for (const name of Object.keys(directives)) {
    if (!DIRECTIVE_NAME.test(name)) throw new TypeError(`securityHeaders: invalid CSP directive name "${name}"`);
    const value = directives[name];
    const sources = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    for (const s of sources as string[]) {
      if (typeof s !== 'string' || SOURCE_UNSAFE.test(s)) throw new TypeError(`securityHeaders: invalid source ${JSON.stringify(s)} in CSP directive "${name}"`);
    }
  }
}

/** Builds the CSP part: a fixed value, or a function of the nonce. */
function cspField(options: ContentSecurityPolicyOptions | false | undefined): { name: string; fixed: string | null; withNonce: boolean; directives: CspDirectives } | null {
  if (options === false) return null;
  const o = options ?? {};
  const directives: CspDirectives = o.useDefaults === false ? { ...o.directives } : { ...DEFAULT_CSP_DIRECTIVES, ...o.directives };
  checkDirectives(directives);
  if (directives['default-src'] === undefined && o.useDefaults === false && Object.keys(directives).length === 0) {
    throw new TypeError('securityHeaders: an empty Content-Security-Policy; pass contentSecurityPolicy: false to send none');
  }
  const name = o.reportOnly === true ? 'Content-Security-Policy-Report-Only' : 'Content-Security-Policy';
  const withNonce = o.nonce === true;
  return { name, fixed: withNonce ? null : serializeCsp(directives, null), withNonce, directives };
}

function hstsValue(options: HstsOptions | false | undefined): string | null {
  if (options === false) return null;
  const o = options ?? {};
  const maxAge = o.maxAge ?? 31_536_000;
  if (!(Number.isInteger(maxAge) && maxAge >= 0)) throw new TypeError(`securityHeaders: HSTS maxAge must be whole seconds ≥ 0, got ${String(maxAge)}`);
  let value = `max-age=${maxAge}`;
  if (o.includeSubDomains !== false) value += '; includeSubDomains';
  if (o.preload === true) value += '; preload';
  return value;
}

/** The fixed fields (name, value) that every answer carries. */
function fixedFields(o: SecurityHeadersOptions): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  const add = (name: string, value: string | false | undefined, fallback: string): void => {
    if (value === false) return;
    fields.push([name, value ?? fallback]);
  };
  add('Cross-Origin-Opener-Policy', o.crossOriginOpenerPolicy, 'same-origin');
  add('Cross-Origin-Resource-Policy', o.crossOriginResourcePolicy, 'same-origin');
  if (o.crossOriginEmbedderPolicy !== undefined && o.crossOriginEmbedderPolicy !== false) fields.push(['Cross-Origin-Embedder-Policy', o.crossOriginEmbedderPolicy]);
  if (o.originAgentCluster !== false) fields.push(['Origin-Agent-Cluster', '?1']);
  const referrer = o.referrerPolicy;
  if (referrer !== false) fields.push(['Referrer-Policy', referrer === undefined ? 'no-referrer' : typeof referrer === 'string' ? referrer : referrer.join(',')]);
  if (o.noSniff !== false) fields.push(['X-Content-Type-Options', 'nosniff']);
  add('X-DNS-Prefetch-Control', o.dnsPrefetchControl, 'off');
  if (o.ieNoOpen !== false) fields.push(['X-Download-Options', 'noopen']);
  add('X-Frame-Options', o.frameOptions, 'SAMEORIGIN');
  add('X-Permitted-Cross-Domain-Policies', o.permittedCrossDomainPolicies, 'none');
  if (o.xssFilterOff !== false) fields.push(['X-XSS-Protection', '0']);
  for (const [name, value] of fields) {
    if (/[\r\n\0]/.test(value)) throw new TypeError(`securityHeaders: invalid value for ${name}`);
  }
  return fields;
}

/**
 * The security headers middleware. Fields are set before the rest of the chain runs, so error
 * answers carry them too; a handler may still override one (`ctx.set(...)`).
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): Middleware {
  const list = fixedFields(options);
  const csp = cspField(options.contentSecurityPolicy);
  if (csp !== null && csp.fixed !== null) list.push([csp.name, csp.fixed]);
  // checked once here, copied onto each response
  const fields = new PreparedFields(list);
  const hsts = hstsValue(options.strictTransportSecurity);
  return (ctx, next) => {
    const res = ctx.res;
    res.setFields(fields);
    if (csp !== null && csp.withNonce) {
      const nonce = randomBytes(16).toString('base64');
      ctx.state.cspNonce = nonce;
      res.setHeader(csp.name, serializeCsp(csp.directives, nonce));
    }
    if (hsts !== null && ctx.secure) res.setHeader('Strict-Transport-Security', hsts);
    return next();
  };
}
