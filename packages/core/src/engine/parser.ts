import { Buffer } from 'node:buffer';
import { CTL_IN_VALUE, HOST_NAME, TOKEN, isHexDigit, isToken } from '../http/chars.js';
import { ParseError } from './errors.js';

/** Limits the head parser enforces. */
export interface HeadLimits {
  maxHeaderCount: number;
  maxUriLength: number;
  maxBodySize: number;
}

/** A parsed request head (request line and header fields), validated per RFC 9112. */
export interface ParsedHead {
  method: string;
  /** The request target as received. */
  target: string;
  /** Path and query (absolute-form reduced to them), without fragment. */
  url: string;
  /** Path of the target (absolute-form reduced to its path), without query or fragment. */
  path: string;
  /** Query string without the leading `?`; '' when there is none. */
  query: string;
  version: '1.0' | '1.1';
  /** Header names, lowercased, in arrival order. */
  names: string[];
  /** Header values, trimmed of optional whitespace, matching `names`. */
  values: string[];
  /** Declared Content-Length, or -1 when absent. */
  contentLength: number;
  chunked: boolean;
  keepAlive: boolean;
  expectContinue: boolean;
  /**
   * The request asks to switch protocols: `Connection` lists `upgrade`, an `Upgrade` field is
   * present, and it has no body (RFC 9110 §7.8). The engine then reads no further request.
   */
  upgrade: boolean;
}

const HTTP_VERSION = /^HTTP\/\d\.\d$/;
const DIGITS = /^\d+$/;
const ABSOLUTE = /^https?:\/\//i;

/** Common request header names, lowercased, by length. */
const KNOWN_NAMES: Array<string[] | undefined> = [];
for (const name of [
  'host', 'date', 'accept', 'cookie', 'origin', 'expect', 'referer', 'upgrade', 'pragma', 'range',
  'connection', 'user-agent', 'content-type', 'authorization', 'cache-control', 'content-length',
  'accept-encoding', 'accept-language', 'transfer-encoding', 'if-none-match', 'if-modified-since',
  'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-request-id', 'keep-alive', 'te',
]) {
  (KNOWN_NAMES[name.length] ??= []).push(name);
}

/**
 * A common header name matched in place, case-insensitively, returned as a constant (no slice,
 * no toLowerCase); null for any other name. The range holds only token characters, so `| 0x20`
 * folds exactly A-Z onto a-z here.
 */
function knownName(b: Uint8Array, start: number, end: number): string | null {
  const list = KNOWN_NAMES[end - start];
  if (list === undefined) return null;
  for (let n = 0; n < list.length; n++) {
    const name = list[n]!;
    let k = 0;
    while (k < name.length && (b[start + k]! | 0x20) === name.charCodeAt(k)) k++;
    if (k === name.length) return name;
  }
  return null;
}

/**
 * The position of the CR that ends a header value starting at `i`, or -1 when the value holds a
 * control character (HTAB aside) or the CR is not followed by LF. Short values are scanned by
 * hand; the rest of a long one is found with indexOf and checked with one regex.
 */
function valueEnd(s: string, b: Uint8Array, i: number, len: number): number {
  const stop = i + 48 < len ? i + 48 : len;
  let c = 0;
  for (; i < stop; i++) {
    c = b[i]!;
    if (c < 32 || c === 127) {
      if (c === 9) continue;
      return c === 13 && i + 1 < len && b[i + 1]! === 10 ? i : -1;
    }
  }
  if (i >= len) return -1;
  const cr = s.indexOf('\r', i);
  if (cr === -1 || cr + 1 >= len || b[cr + 1]! !== 10 || CTL_IN_VALUE.test(s.slice(i, cr))) return -1;
  return cr;
}

/**
 * Parses a request head. `head` is the latin1 view of the bytes from the request line up to and
 * including the CRLF that ends the last header line (the blank line is not included).
 * Throws ParseError with the status to answer.
 */
export function parseHead(head: string, limits: HeadLimits): ParsedHead {
  return parseHeadAt(head, Buffer.from(head, 'latin1'), 0, head.length, limits);
}

/*
 * What scanRequestLine found besides the end of the target, read right after it returns (module
 * state rather than a result object: no allocation per request).
 */
let lineSp1 = 0;
let lineQuestion = -1;
let lineHash = -1;
let lineVersion: '1.0' | '1.1' = '1.1';

/**
 * Checks the request line that starts at `start` and ends with the CRLF before `len`: method,
 * target and version, throwing ParseError (400, 414, 505) when one is invalid. Returns the
 * position of the SP after the target. The engine also calls it on a head still arriving, as
 * soon as its first line has ended.
 */
export function scanRequestLine(head: string, b: Uint8Array, start: number, len: number, limits: HeadLimits): number {
  // One pass over the bytes of the request line: on short lines this is several times cheaper
  // than indexOf/regex calls, and each byte is validated as it is passed.
  // --- method: a token ending at the first SP
  let i = start;
  let c = 0;
  for (; i < len; i++) {
    c = b[i]!;
    if (TOKEN[c] === 0) break;
  }
  if (c !== 32 || i === start) throw new ParseError(400, i === start || c === 13 || c === 10 ? 'Malformed request line' : 'Invalid method');
  const sp1 = i;
  // --- request-target: visible ASCII up to the next SP; note the first '?' and '#'
  let bad = false;
  let question = -1;
  let hash = -1;
  for (i = sp1 + 1; i < len; i++) {
    c = b[i]!;
    if (c === 32 || c === 13 || c === 10) break;
    if (c < 0x21 || c > 0x7e) bad = true;
    else if (c === 63 /* ? */) {
      if (question === -1 && hash === -1) question = i;
    } else if (c === 35 /* # */ && hash === -1) hash = i;
  }
  if (c !== 32) throw new ParseError(400, 'Malformed request line: missing HTTP version');
  const sp2 = i;
  if (sp2 - sp1 - 1 > limits.maxUriLength) throw new ParseError(414, `Request target is longer than ${limits.maxUriLength} bytes`);
  // --- version: exactly HTTP/1.1 or HTTP/1.0, then CRLF
  const minor = b[sp2 + 8]!;
  if (
    sp2 + 11 <= len &&
    b[sp2 + 1]! === 72 && b[sp2 + 2]! === 84 && b[sp2 + 3]! === 84 &&
    b[sp2 + 4]! === 80 && b[sp2 + 5]! === 47 && b[sp2 + 6]! === 49 &&
    b[sp2 + 7]! === 46 && (minor === 49 || minor === 48) &&
    b[sp2 + 9]! === 13 && b[sp2 + 10]! === 10
  ) {
    lineVersion = minor === 49 ? '1.1' : '1.0';
  } else {
    const lineEnd = head.indexOf('\r\n', sp2);
    if (lineEnd === -1 || lineEnd > len - 2) throw new ParseError(400, 'Malformed request line: not ended by CRLF');
    const versionText = head.slice(sp2 + 1, lineEnd);
    if (HTTP_VERSION.test(versionText)) throw new ParseError(505, `HTTP version ${versionText.slice(5)} is not supported`);
    throw new ParseError(400, 'Malformed request line: invalid HTTP version');
  }
  if (sp2 === sp1 + 1 || bad) throw new ParseError(400, 'Invalid request target');
  lineSp1 = sp1;
  lineQuestion = question;
  lineHash = hash;
  return sp2;
}

/**
 * parseHead on `head` from `start` to `len` (exclusive). The engine parses in place: `head` is its
 * latin1 view of a read (slices of it become the strings of the result) and `b` the same bytes
 * (b[i] is head's char code at i); bytes are scanned in `b`, which is cheaper than charCodeAt.
 * With `into` (see reusableHead) the result is written there and no head object is made: the
 * engine reads it before it parses the next head.
 */
export function parseHeadAt(head: string, b: Uint8Array, start: number, len: number, limits: HeadLimits, into?: ParsedHead): ParsedHead {
  const sp2 = scanRequestLine(head, b, start, len, limits);
  const sp1 = lineSp1;
  const question = lineQuestion;
  const hash = lineHash;
  const version = lineVersion;
  let i = 0;
  let c = 0;
  // the common methods as constants: no allocation, and their hash for Map lookups is cached
  const method =
    sp1 - start === 3 && b[start]! === 71 && b[start + 1]! === 69 && b[start + 2]! === 84
      ? 'GET'
      : head.slice(start, sp1);
  const target = head.slice(sp1 + 1, sp2);
  // CONNECT (tunnels) is not implemented, whatever form its target takes
  if (method === 'CONNECT') throw new ParseError(501, 'CONNECT is not supported');

  // --- request target forms (RFC 9112 §3.2)
  let pathAndQuery: string;
  const first = target.charCodeAt(0);
  if (first === 47 /* / */) {
    pathAndQuery = target;
  } else if (target === '*') {
    if (method !== 'OPTIONS') throw new ParseError(400, 'Asterisk-form target is only allowed with OPTIONS');
    pathAndQuery = '*';
  } else if (ABSOLUTE.test(target)) {
    const authorityStart = target.indexOf('//') + 2;
    let end = authorityStart;
    while (end < target.length) {
      const c = target.charCodeAt(end);
      if (c === 47 || c === 63 || c === 35) break;
      end++;
    }
    if (end === authorityStart) throw new ParseError(400, 'Absolute-form target has no authority');
    const rest = target.slice(end);
    pathAndQuery = rest.length === 0 || rest.charCodeAt(0) !== 47 ? '/' + rest : rest;
  } else {
    throw new ParseError(400, 'Invalid request target');
  }
  let path: string;
  let query = '';
  if (first === 47 /* origin-form: '?' and '#' positions are known from the scan */) {
    const pathEnd = question !== -1 ? question : hash !== -1 ? hash : sp2;
    path = pathEnd === sp2 ? target : head.slice(sp1 + 1, pathEnd); // no query: the same string
    if (question !== -1) query = head.slice(question + 1, hash !== -1 ? hash : sp2);
    if (hash !== -1) pathAndQuery = head.slice(sp1 + 1, hash);
  } else {
    const h = pathAndQuery.indexOf('#');
    if (h !== -1) pathAndQuery = pathAndQuery.slice(0, h);
    const q = pathAndQuery.indexOf('?');
    path = q === -1 ? pathAndQuery : pathAndQuery.slice(0, q);
    if (q !== -1) query = pathAndQuery.slice(q + 1);
  }

  // --- header fields, gathered in the module's scratch arrays and copied out at their exact
  // size (a push onto [] reserves 17 slots: two such arrays were a quarter of what a request
  // allocated)
  const names = scratchNames;
  const values = scratchValues;
  let count = 0;
  let hosts = 0;
  let contentLengthDigits: string | null = null;
  let transferEncoding: string | null = null;
  let connection: string | null = null;
  let expectContinue = false;
  let upgradeField = false;
  let pos = sp2 + 11;
  while (pos < len) {
    c = b[pos]!;
    if (c === 32 || c === 9) throw new ParseError(400, 'Obsolete line folding (obs-fold) is not allowed');
    // name: a token ending at ':'
    for (i = pos; i < len; i++) {
      c = b[i]!;
      if (TOKEN[c] === 0) break;
    }
    if (c !== 58 /* : */ || i === pos) {
      const eol = head.indexOf('\r\n', pos);
      const colon = head.indexOf(':', pos);
      if (colon === -1 || colon > eol) throw new ParseError(400, 'Header line without a colon');
      throw new ParseError(400, `Invalid header name "${head.slice(pos, colon).slice(0, 64)}"`);
    }
    const nameStart = pos;
    const nameEnd = i;
    // value: optional whitespace, then up to CR, free of controls; CRLF must follow
    for (i++; i < len; i++) {
      c = b[i]!;
      if (c !== 32 && c !== 9) break;
    }
    const vs = i;
    const lower = knownName(b, nameStart, nameEnd) ?? head.slice(nameStart, nameEnd).toLowerCase();
    // a Host value is checked as an authority while its end is found (no second pass)
    let eol = lower === 'host' ? plainAuthorityEnd(b, i, len) : -1;
    if (eol === -1) {
      eol = valueEnd(head, b, i, len);
      if (eol === -1) {
        throw new ParseError(400, `Invalid character in value of header "${head.slice(nameStart, nameEnd)}" (control character, bare CR or bare LF)`);
      }
      if (lower === 'host' && !isAuthority(b, vs, trimEnd(b, vs, eol))) throw new ParseError(400, 'Invalid Host header: not a host with an optional port');
    }
    const ve = trimEnd(b, vs, eol);
    const value = head.slice(vs, ve);
    pos = eol + 2;
    if (count === limits.maxHeaderCount) throw new ParseError(431, `More than ${limits.maxHeaderCount} header fields`);
    names[count] = lower;
    values[count++] = value;
    switch (lower.length) {
      case 4:
        if (lower === 'host') hosts++;
        break;
      case 6:
        if (lower === 'expect') {
          if (value.toLowerCase() !== '100-continue') throw new ParseError(417, `Expectation "${value.slice(0, 64)}" is not supported`);
          // a 100-continue expectation in an HTTP/1.0 request is ignored (RFC 9110 §10.1.1)
          if (version === '1.1') expectContinue = true;
        }
        break;
      case 7:
        if (lower === 'upgrade') upgradeField = true;
        break;
      case 10:
        if (lower === 'connection') connection = connection === null ? value : `${connection},${value}`;
        break;
      case 14:
        if (lower === 'content-length') contentLengthDigits = mergeContentLength(contentLengthDigits, value);
        break;
      case 17:
        if (lower === 'transfer-encoding') transferEncoding = transferEncoding === null ? value : `${transferEncoding},${value}`;
        break;
    }
  }

  if (version === '1.1' ? hosts !== 1 : hosts > 1) {
    throw new ParseError(400, hosts === 0 ? 'Missing Host header' : 'More than one Host header');
  }

  // more than 15 significant digits is past any body limit (and past exact doubles)
  const contentLength =
    contentLengthDigits === null ? -1 : contentLengthDigits.length > 15 ? Number.MAX_SAFE_INTEGER : Number(contentLengthDigits);
  let chunked = false;
  if (transferEncoding !== null) {
    if (contentLength !== -1) throw new ParseError(400, 'Content-Length and Transfer-Encoding together are not allowed');
    if (version === '1.0') throw new ParseError(400, 'Transfer-Encoding is not allowed in HTTP/1.0 requests');
    chunked = checkTransferEncoding(transferEncoding);
  }
  if (contentLength > limits.maxBodySize) {
    throw new ParseError(413, `Request body is larger than the limit of ${limits.maxBodySize} bytes`);
  }

  let keepAlive = version === '1.1';
  let upgrade = false;
  if (connection !== null) {
    const c = connection.toLowerCase();
    if (c === 'close') keepAlive = false;
    else if (c === 'keep-alive') keepAlive = true;
    else if (c === 'upgrade') upgrade = upgradeField && contentLength <= 0 && !chunked;
    else {
      let close = false;
      let ka = false;
      for (const token of c.split(',')) {
        const t = trimOws(token);
        if (t === 'close') close = true;
        else if (t === 'keep-alive') ka = true;
        else if (t === 'upgrade') upgrade = upgradeField && contentLength <= 0 && !chunked;
      }
      keepAlive = close ? false : ka || version === '1.1';
    }
  }

  const out = into ?? reusableHead();
  out.method = method;
  out.target = target;
  out.url = pathAndQuery;
  out.path = path;
  out.query = query;
  out.version = version;
  out.names = copyOut(names, count);
  out.values = copyOut(values, count);
  out.contentLength = contentLength;
  out.chunked = chunked;
  out.keepAlive = keepAlive;
  out.expectContinue = expectContinue;
  out.upgrade = upgrade;
  return out;
}

/** Where parseHeadAt gathers a head's field names and values (copied out at the end). */
const scratchNames: string[] = [];
const scratchValues: string[] = [];

/** The first `count` strings of `from`, in a new array of that size (cheaper than slice()). */
function copyOut(from: string[], count: number): string[] {
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) out[i] = from[i]!;
  return out;
}

/** A ParsedHead to parse into, reused from one head to the next (`parseHeadAt(…, into)`). */
export function reusableHead(): ParsedHead {
  return {
    method: '', target: '', url: '', path: '', query: '', version: '1.1', names: [], values: [],
    contentLength: -1, chunked: false, keepAlive: false, expectContinue: false, upgrade: false,
  };
}

/**
 * Content-Length: digits only; repeated values (as list or as fields) must all be identical.
 * Returns the value without leading zeros, so that equal values compare equal however long.
 */
function mergeContentLength(previous: string | null, value: string): string {
  let result = previous;
  const parts = value.indexOf(',') === -1 ? [value] : value.split(',');
  for (const raw of parts) {
    const part = trimOws(raw);
    if (!DIGITS.test(part)) throw new ParseError(400, 'Invalid Content-Length');
    let z = 0;
    while (z < part.length - 1 && part.charCodeAt(z) === 48 /* 0 */) z++;
    const digits = z === 0 ? part : part.slice(z);
    if (result !== null && result !== digits) throw new ParseError(400, 'Conflicting Content-Length values');
    result = digits;
  }
  return result!;
}

/**
 * Transfer-Encoding: chunked must be present exactly once and last (else 400); a list that is
 * well-formed but has other codings before chunked is not implemented (501).
 */
function checkTransferEncoding(value: string): true {
  const codings = value.toLowerCase().split(',').map(trimOws);
  const last = codings.length - 1;
  // coding parameters (";q=…") are not allowed on chunked
  if (codings[last] !== 'chunked') throw new ParseError(400, 'Transfer-Encoding must end with chunked');
  let unsupported: string | null = null;
  for (let i = 0; i < last; i++) {
    const coding = codings[i]!;
    if (coding === 'chunked') throw new ParseError(400, 'chunked may be applied only once');
    if (!isToken(trimOws(coding.split(';')[0]!))) throw new ParseError(400, 'Invalid Transfer-Encoding');
    if (unsupported === null) unsupported = coding;
  }
  if (unsupported !== null) throw new ParseError(501, `Transfer coding "${unsupported.slice(0, 32)}" is not implemented`);
  return true;
}

/** `end` moved back over optional whitespace (SP / HTAB) after `start`. */
function trimEnd(b: Uint8Array, start: number, end: number): number {
  while (end > start && (b[end - 1]! === 32 || b[end - 1]! === 9)) end--;
  return end;
}

/**
 * The position of the CR that ends a Host value starting at `i` when the value is a plain
 * authority (reg-name characters, an optional port of up to 65535, optional whitespace), else -1
 * (the value is then checked the long way: it may be an IP literal, hold percent-escapes, or be
 * invalid).
 */
function plainAuthorityEnd(b: Uint8Array, i: number, len: number): number {
  while (i < len && HOST_NAME[b[i]!] === 1) i++;
  if (i < len && b[i]! === 58 /* : */) {
    const digits = ++i;
    let port = 0;
    for (; i < len; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) break;
      port = port * 10 + d;
    }
    if (i - digits > 5 || port > 65535) return -1;
  }
  while (i < len && (b[i]! === 32 || b[i]! === 9)) i++;
  return i + 1 < len && b[i]! === 13 && b[i + 1]! === 10 ? i : -1;
}

/**
 * Host = uri-host [ ":" port ] (RFC 9110 §7.2, RFC 3986 §3.2.2), checked on the bytes b[start..end):
 * an IP literal in brackets, or a reg-name (which covers IPv4) of unreserved characters,
 * sub-delims and percent-escapes; a port of at most five digits up to 65535. Empty is allowed
 * (a target without authority). The common case (plain name, optional port) is one table lookup
 * per byte.
 */
function isAuthority(b: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end && HOST_NAME[b[i]!] === 1) i++;
  if (i < end) {
    const c = b[i]!;
    if (c === 91 /* [ */ && i === start) i = ipLiteralEnd(b, i, end);
    else if (c === 37 /* % */) i = percentNameEnd(b, i, end);
    if (i === -1) return false;
  }
  if (i === end) return true;
  if (b[i]! !== 58 /* : */ || end - i - 1 > 5) return false;
  let port = 0;
  for (i++; i < end; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) return false;
    port = port * 10 + d;
  }
  return port <= 65535;
}

/** The end of `[…]` starting at `i` (past the `]`), or -1 when it is not an IP literal's shape. */
function ipLiteralEnd(b: Uint8Array, i: number, end: number): number {
  const open = i;
  for (i++; i < end && b[i]! !== 93 /* ] */; i++) if (HOST_NAME[b[i]!] === 0 && b[i]! !== 58 /* : */) return -1;
  return i >= end || i === open + 1 ? -1 : i + 1;
}

/** The end of a reg-name that holds percent-escapes, from the first `%` at `i`, or -1. */
function percentNameEnd(b: Uint8Array, i: number, end: number): number {
  for (; i < end; i++) {
    const c = b[i]!;
    if (c === 37 /* % */) {
      if (!(i + 2 < end && isHexDigit(b[i + 1]!) && isHexDigit(b[i + 2]!))) return -1;
      i += 2;
    } else if (c === 58 /* : */) return i;
    else if (HOST_NAME[c] === 0) return -1;
  }
  return i;
}

/** Trims optional whitespace (SP / HTAB) only; String#trim would also drop NBSP (0xA0) and others. */
function trimOws(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && (s.charCodeAt(start) === 32 || s.charCodeAt(start) === 9)) start++;
  while (end > start && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9)) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}
