/**
 * Cookies: parsing the request's `Cookie` field and serializing `Set-Cookie` values
 * (RFC 6265 and its revision draft 6265bis; `Partitioned` from CHIPS).
 */

export interface CookieOptions {
  /** Seconds until the cookie expires; 0 or less expires it at once. */
  maxAge?: number;
  /** Expiry date (`Max-Age` wins where both are understood). */
  expires?: Date;
  /** Hosts the cookie is sent to: this domain and its subdomains. Default: this host only. */
  domain?: string;
  /** Paths the cookie is sent for. Default: the directory of the request path (set `'/'` usually). */
  path?: string;
  /** Sent over HTTPS only. */
  secure?: boolean;
  /** Hidden from `document.cookie`. */
  httpOnly?: boolean;
  /** Cross-site sending: `'strict'`, `'lax'` or `'none'` (which requires `secure`). */
  sameSite?: 'strict' | 'lax' | 'none' | 'Strict' | 'Lax' | 'None';
  /** Partitioned by top-level site (CHIPS); requires `secure`. */
  partitioned?: boolean;
  /** Turns the value into cookie octets. Default: `encodeURIComponent`. */
  encode?: (value: string) => string;
}

/** tchar of RFC 9110: a cookie name is a token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** cookie-octet of RFC 6265 §4.1.1: no controls, whitespace, DQUOTE, comma, semicolon or backslash. */
const COOKIE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;
/** An attribute value (Path, Domain): no controls and no semicolon. */
const ATTRIBUTE_VALUE = /^[\x20-\x3a\x3c-\x7e]+$/;
/** A domain: labels of letters, digits and hyphens, an optional leading dot. */
const DOMAIN = /^\.?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * Parses a `Cookie` field value into name → value. Values in double quotes lose them and
 * percent-escapes are decoded (kept as written when malformed); the first of repeated names
 * wins (the user agent lists the most specific first); pairs without `=` are skipped.
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (header === undefined || header === '') return out;
  let start = 0;
  const n = header.length;
  while (start < n) {
    let end = header.indexOf(';', start);
    if (end === -1) end = n;
    const eq = header.indexOf('=', start);
    if (eq !== -1 && eq < end) {
      const name = header.slice(start, eq).trim();
      if (name !== '' && out[name] === undefined) {
        let value = header.slice(eq + 1, end).trim();
        if (value.length >= 2 && value.charCodeAt(0) === 34 && value.charCodeAt(value.length - 1) === 34) value = value.slice(1, -1);
        out[name] = decodeValue(value);
      }
    }
    start = end + 1;
  }
  return out;
}

function decodeValue(value: string): string {
  if (value.indexOf('%') === -1) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * A `Set-Cookie` field value. Throws a TypeError for a name that is not a token, a value or
 * attribute that could break the field (CR, LF, `;`, controls), an invalid date or max-age, and
 * combinations browsers reject: `SameSite=None` or `Partitioned` without `Secure`, and the
 * `__Secure-` / `__Host-` name prefixes without their requirements.
 */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (!TOKEN.test(name)) throw new TypeError(`Invalid cookie name "${name}": must be a token (no spaces, separators or controls)`);
  const encoded = (options.encode ?? encodeURIComponent)(String(value));
  if (!COOKIE_VALUE.test(encoded)) throw new TypeError(`Invalid value for cookie "${name}": contains a character not allowed in a cookie (control, space, '"', ',', ';' or '\\')`);
  let out = name + '=' + encoded;

  if (options.maxAge !== undefined) {
    const maxAge = options.maxAge;
    if (typeof maxAge !== 'number' || !Number.isFinite(maxAge)) throw new TypeError(`Invalid maxAge for cookie "${name}": ${String(maxAge)}`);
    out += '; Max-Age=' + Math.max(0, Math.floor(maxAge));
  }
  if (options.expires !== undefined) {
    const time = options.expires instanceof Date ? options.expires.getTime() : NaN;
    if (!Number.isFinite(time)) throw new TypeError(`Invalid expires for cookie "${name}": not a valid Date`);
    out += '; Expires=' + options.expires.toUTCString();
  }
  if (options.domain !== undefined) {
    if (!DOMAIN.test(options.domain)) throw new TypeError(`Invalid domain for cookie "${name}": "${options.domain}"`);
    out += '; Domain=' + options.domain;
  }
  if (options.path !== undefined) {
    if (!ATTRIBUTE_VALUE.test(options.path)) throw new TypeError(`Invalid path for cookie "${name}": contains a control character or ';'`);
    out += '; Path=' + options.path;
  }
  const secure = options.secure === true;
  if (secure) out += '; Secure';
  if (options.httpOnly === true) out += '; HttpOnly';
  if (options.sameSite !== undefined) {
    const sameSite = String(options.sameSite).toLowerCase();
    if (sameSite === 'strict') out += '; SameSite=Strict';
    else if (sameSite === 'lax') out += '; SameSite=Lax';
    else if (sameSite === 'none') {
      if (!secure) throw new TypeError(`Cookie "${name}": SameSite=None requires secure: true (browsers reject it otherwise)`);
      out += '; SameSite=None';
    } else throw new TypeError(`Invalid sameSite for cookie "${name}": ${String(options.sameSite)} (strict, lax or none)`);
  }
  if (options.partitioned === true) {
    if (!secure) throw new TypeError(`Cookie "${name}": Partitioned requires secure: true (browsers reject it otherwise)`);
    out += '; Partitioned';
  }
  // the prefixes are matched case-insensitively (RFC 6265bis §4.1.3)
  const prefix = name.length > 6 ? name.slice(0, 9).toLowerCase() : '';
  if (prefix === '__secure-' && !secure) throw new TypeError(`Cookie "${name}": the __Secure- prefix requires secure: true`);
  if (prefix.startsWith('__host-') && (!secure || options.path !== '/' || options.domain !== undefined)) {
    throw new TypeError(`Cookie "${name}": the __Host- prefix requires secure: true, path: '/' and no domain`);
  }
  return out;
}
