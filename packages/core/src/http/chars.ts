/**
 * Character classes of RFC 9110 §5.6.2 (tchar) and of header field values,
 * as lookup tables indexed by char code (0..255).
 */

/** tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
export const TOKEN = new Uint8Array(256);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[0-9A-Za-z!#$%&'*+\-.^_`|~]/.test(ch)) TOKEN[c] = 1;
}

export function isToken(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || TOKEN[c] === 0) return false;
  }
  return true;
}

/**
 * Characters of a URI host's reg-name (RFC 3986 §3.2.2) other than "%": unreserved and
 * sub-delims, indexed by byte (0..255).
 */
export const HOST_NAME = new Uint8Array(256);
for (let c = 0; c < 128; c++) {
  if (/[0-9A-Za-z\-._~!$&'()*+,;=]/.test(String.fromCharCode(c))) HOST_NAME[c] = 1;
}

/** 0-9, A-F, a-f (a char code). */
export function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Controls other than HTAB, and DEL: not allowed in a header value (this includes bare CR and LF). */
export const CTL_IN_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;

/** What a handler may not put into a response header value: CR, LF or NUL (response splitting). */
export const INVALID_VALUE_CHAR = /[\r\n\0]/;

/**
 * `name` has an ASCII capital. Header names are stored lowercased, so a lowercase name that was
 * not found needs no second look (and no toLowerCase copy); a capital outside ASCII never
 * matches a token.
 */
export function hasUpperCase(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}
