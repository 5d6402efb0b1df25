// Unit tests for the request-head parser (engine/parser.ts), plus a differential test against
// Node's own HTTP/1.1 parser (llhttp, strict mode) on the same raw bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHead, parseHeadAt, reusableHead, type HeadLimits, type ParsedHead } from '../src/engine/parser.js';
import { ChunkedDecoder } from '../src/engine/chunked.js';
import { ParseError } from '../src/engine/errors.js';
import { isNodeRejection, nodeReference } from './node-reference.js';

const LIMITS: HeadLimits = { maxHeaderCount: 100, maxUriLength: 8192, maxBodySize: 1024 * 1024 };

/** Builds a head: request line and header lines, each ended by CRLF (the blank line excluded). */
function head(requestLine: string, ...fields: string[]): string {
  return [requestLine, ...fields].map((l) => `${l}\r\n`).join('');
}

/** A head with Host already present, for tests about something else. */
function get(target = '/', ...fields: string[]): string {
  return head(`GET ${target} HTTP/1.1`, 'Host: example.com', ...fields);
}

function parse(h: string, limits: Partial<HeadLimits> = {}): ParsedHead {
  return parseHead(h, { ...LIMITS, ...limits });
}

function statusOf(h: string, limits: Partial<HeadLimits> = {}): number | 'accepted' {
  try {
    parse(h, limits);
    return 'accepted';
  } catch (error) {
    assert.ok(error instanceof ParseError, `expected a ParseError, got ${String(error)}`);
    return error.status;
  }
}

function rejects(h: string, status: number, limits: Partial<HeadLimits> = {}): void {
  assert.equal(statusOf(h, limits), status, `status for ${JSON.stringify(h)}`);
}

// ---------------------------------------------------------------------------------------------
// request line

test('origin-form request line: method, target, path, query, version, headers', () => {
  const h = parse(head('POST /a/b?x=1&y=2 HTTP/1.1', 'Host: example.com', 'X-Thing: 42'));
  assert.equal(h.method, 'POST');
  assert.equal(h.target, '/a/b?x=1&y=2');
  assert.equal(h.url, '/a/b?x=1&y=2');
  assert.equal(h.path, '/a/b');
  assert.equal(h.query, 'x=1&y=2');
  assert.equal(h.version, '1.1');
  assert.deepEqual(h.names, ['host', 'x-thing']);
  assert.deepEqual(h.values, ['example.com', '42']);
  assert.equal(h.contentLength, -1);
  assert.equal(h.chunked, false);
  assert.equal(h.keepAlive, true);
  assert.equal(h.expectContinue, false);
});

test('HTTP/1.0 is accepted and needs no Host', () => {
  const h = parse(head('GET /old HTTP/1.0'));
  assert.equal(h.version, '1.0');
  assert.equal(h.path, '/old');
  assert.deepEqual(h.names, []);
});

test('query is split at the first "?" and the fragment is dropped', () => {
  const cases: Array<[string, string, string, string]> = [
    // target, url, path, query
    ['/p', '/p', '/p', ''],
    ['/p?', '/p?', '/p', ''],
    ['/p?a?b=c', '/p?a?b=c', '/p', 'a?b=c'],
    ['/p?q#frag', '/p?q', '/p', 'q'],
    ['/p#frag', '/p', '/p', ''],
    ['/p#frag?notquery', '/p', '/p', ''],
    ['/', '/', '/', ''],
    ['/?x=%20', '/?x=%20', '/', 'x=%20'],
  ];
  for (const [target, url, path, query] of cases) {
    const h = parse(get(target));
    assert.equal(h.target, target);
    assert.deepEqual({ url: h.url, path: h.path, query: h.query }, { url, path, query }, target);
  }
});

test('absolute-form is reduced to path and query', () => {
  const cases: Array<[string, string, string, string]> = [
    ['http://example.com/a/b?c=d#e', '/a/b?c=d', '/a/b', 'c=d'],
    ['https://example.com:8443/x', '/x', '/x', ''],
    ['HTTP://EXAMPLE.COM/Up', '/Up', '/Up', ''],
    ['http://example.com', '/', '/', ''],
    ['http://example.com?q=1', '/?q=1', '/', 'q=1'],
    ['http://example.com#f', '/', '/', ''],
    ['http://user@example.com/p', '/p', '/p', ''],
  ];
  for (const [target, url, path, query] of cases) {
    const h = parse(get(target));
    assert.equal(h.target, target, 'target is kept as received');
    assert.deepEqual({ url: h.url, path: h.path, query: h.query }, { url, path, query }, target);
  }
});

test('request targets that are not origin-, absolute- or asterisk-form → 400', () => {
  for (const target of ['http:///nohost', 'ftp://example.com/x', 'example.com/x', 'a', '?x', 'http:/x', '**']) {
    rejects(get(target), 400);
  }
});

test('asterisk-form only with OPTIONS', () => {
  const h = parse(head('OPTIONS * HTTP/1.1', 'Host: example.com'));
  assert.equal(h.method, 'OPTIONS');
  assert.equal(h.target, '*');
  assert.equal(h.path, '*');
  assert.equal(h.query, '');
  for (const method of ['GET', 'POST', 'HEAD', 'options']) {
    rejects(head(`${method} * HTTP/1.1`, 'Host: example.com'), 400);
  }
});

test('CONNECT → 501 whatever the target form', () => {
  rejects(head('CONNECT example.com:443 HTTP/1.1', 'Host: example.com:443'), 501);
  rejects(head('CONNECT /tunnel HTTP/1.1', 'Host: example.com'), 501);
  rejects(head('CONNECT http://example.com/ HTTP/1.1', 'Host: example.com'), 501);
});

test('method is any token; anything else → 400', () => {
  for (const method of ['GET', 'PURGE', 'M-SEARCH', 'x', "a!#$%&'*+-.^_`|~9"]) {
    assert.equal(parse(head(`${method} / HTTP/1.1`, 'Host: h')).method, method);
  }
  for (const method of ['GE(T', 'GE/T', 'G"T', 'GET:', 'GÉT', 'G\x01T', 'G\x7fT', 'G\tT']) {
    rejects(head(`${method} / HTTP/1.1`, 'Host: h'), 400);
  }
});

test('well-formed but unsupported HTTP versions → 505', () => {
  for (const v of ['HTTP/2.0', 'HTTP/0.9', 'HTTP/3.0', 'HTTP/1.2', 'HTTP/9.9']) {
    rejects(head(`GET / ${v}`, 'Host: h'), 505);
  }
});

test('malformed request lines → 400', () => {
  const lines = [
    'GET / http/1.1', // version is case-sensitive
    'GET / Http/1.1',
    'GET / HTTP/1.1x',
    'GET / HTTP/1.10',
    'GET / HTTP/11',
    'GET / HTTP/1',
    'GET / HTTP/1.',
    'GET / HTTP/a.b',
    'GET / HTTP 1.1',
    'GET / HTTP/1.1 ', // trailing space
    'GET /', // missing version (HTTP/0.9 simple request)
    'GET',
    '',
    'GET  / HTTP/1.1', // two spaces
    'GET /  HTTP/1.1',
    ' GET / HTTP/1.1', // leading space
    'GET\t/ HTTP/1.1', // HTAB is not a separator
    'GET /\tHTTP/1.1',
    'GET  HTTP/1.1', // empty target
    'GET / x HTTP/1.1',
  ];
  for (const line of lines) rejects(head(line, 'Host: h'), 400);
});

test('request target longer than maxUriLength → 414; exactly the limit is fine', () => {
  const at = '/' + 'a'.repeat(99);
  assert.equal(parse(get(at), { maxUriLength: 100 }).path, at);
  rejects(get(at + 'b'), 414, { maxUriLength: 100 });
  // the whole target counts, query included, and absolute-form before it is reduced
  rejects(get('/?' + 'q'.repeat(99)), 414, { maxUriLength: 100 });
  rejects(get('http://example.com/' + 'a'.repeat(90)), 414, { maxUriLength: 100 });
});

test('non-visible-ASCII in the target → 400', () => {
  for (const bad of ['\x7f', '\x80', '\xe9', '\xff', '\x00', '\x01', '\x1f', '\t', '\x0b']) {
    rejects(get(`/a${bad}b`), 400);
  }
  // every visible ASCII character is accepted (routing decides what it means)
  let visible = '';
  for (let c = 0x21; c <= 0x7e; c++) if (c !== 0x23 /* # starts the fragment */) visible += String.fromCharCode(c);
  assert.equal(parse(get(`/${visible}`)).target, `/${visible}`);
});

// ---------------------------------------------------------------------------------------------
// header fields

test('header names are lowercased, values trimmed of SP/HTAB only, order kept', () => {
  const h = parse(
    head(
      'GET / HTTP/1.1',
      'HoSt: example.com',
      'X-A:value',
      'X-B: \t spaced value \t ',
      'X-Empty:',
      'X-Blank:   ',
      'X-Inner: a \t b',
      'X-Latin: caf\xe9',
      'X-Nbsp: \xa0kept\xa0',
      'x-a: again',
    ),
  );
  assert.deepEqual(h.names, ['host', 'x-a', 'x-b', 'x-empty', 'x-blank', 'x-inner', 'x-latin', 'x-nbsp', 'x-a']);
  assert.deepEqual(h.values, ['example.com', 'value', 'spaced value', '', '', 'a \t b', 'caf\xe9', '\xa0kept\xa0', 'again']);
});

test('header names are tokens; whitespace before the colon or an empty name → 400', () => {
  const bad = ['Host : example.com', 'Host\t: example.com', 'X Y: z', ': no-name', 'X(Y): z', 'X"Y: z', 'X\xe9: z', 'X/Y: z', 'X@: z', 'X{}: z'];
  for (const field of bad) rejects(head('GET / HTTP/1.1', 'Host: h', field), 400);
  rejects(head('GET / HTTP/1.1', 'Host : h'), 400);
  assert.deepEqual(parse(head('GET / HTTP/1.1', 'Host: h', "X!#$%&'*+-.^_`|~1: v")).names, ['host', "x!#$%&'*+-.^_`|~1"]);
});

test('a header line without a colon → 400', () => {
  rejects(head('GET / HTTP/1.1', 'Host: h', 'NoColonHere'), 400);
  rejects(head('GET / HTTP/1.1', 'NoColon', 'Host: h'), 400);
});

test('obs-fold (a line starting with SP or HTAB) → 400', () => {
  rejects(head('GET / HTTP/1.1', 'Host: h', 'X: a', ' folded'), 400);
  rejects(head('GET / HTTP/1.1', 'Host: h', 'X: a', '\tfolded'), 400);
  rejects(head('GET / HTTP/1.1', ' Host: h'), 400);
  rejects(head('GET / HTTP/1.1', '\tHost: h'), 400);
});

test('bare LF or bare CR anywhere → 400', () => {
  const raw = [
    'GET / HTTP/1.1\r\nHost: h\nX: a\r\n', // LF line ending
    'GET / HTTP/1.1\nHost: h\r\n', // LF after the request line
    'GET / HTTP/1.1\r\nHost: h\r\nX: a\nb\r\n', // LF inside a value
    'GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n', // CR inside a value
    'GET / HTTP/1.1\r\nHost: h\r\nX: a\r\r\n', // CR CR LF
    'GET /a\rb HTTP/1.1\r\nHost: h\r\n', // CR in the target
    'GET / HTTP/1.1\r\r\nHost: h\r\n', // CR at the end of the request line
    'GET / HTTP/1.1\r\nHost: h\r\nX\r: a\r\n', // CR in a name
    'GET / HTTP/1.1\r\nHost: h\r\n\nX: a\r\n',
  ];
  for (const h of raw) rejects(h, 400);
});

test('NUL, DEL and other control characters in values → 400; HTAB is allowed', () => {
  for (let c = 0; c < 32; c++) {
    if (c === 9 || c === 10 || c === 13) continue;
    rejects(get('/', `X: a${String.fromCharCode(c)}b`), 400);
  }
  rejects(get('/', 'X: a\x7fb'), 400);
  rejects(get('/', 'X: \x00'), 400);
  assert.deepEqual(parse(get('/', 'X: a\tb')).values, ['example.com', 'a\tb']);
  // obs-text (0x80-0xFF) is allowed in values
  assert.equal(parse(get('/', 'X: \x80\xff')).values[1], '\x80\xff');
});

test('more than maxHeaderCount fields → 431; exactly the limit is fine', () => {
  const fields = ['Host: h', 'A: 1', 'B: 2', 'C: 3', 'D: 4'];
  assert.equal(parse(head('GET / HTTP/1.1', ...fields), { maxHeaderCount: 5 }).names.length, 5);
  rejects(head('GET / HTTP/1.1', ...fields, 'E: 5'), 431, { maxHeaderCount: 5 });
  rejects(head('GET / HTTP/1.0', 'A: 1'), 431, { maxHeaderCount: 0 });
  assert.equal(parse(head('GET / HTTP/1.0'), { maxHeaderCount: 0 }).names.length, 0);
});

test('Host: exactly once on HTTP/1.1, at most once on HTTP/1.0', () => {
  rejects(head('GET / HTTP/1.1'), 400);
  rejects(head('GET / HTTP/1.1', 'X: y'), 400);
  rejects(head('GET / HTTP/1.1', 'Host: a', 'Host: a'), 400);
  rejects(head('GET / HTTP/1.1', 'Host: a', 'HOST: b'), 400);
  rejects(head('GET / HTTP/1.0', 'Host: a', 'host: b'), 400);
  assert.equal(parse(head('GET / HTTP/1.0')).version, '1.0');
  assert.equal(parse(head('GET / HTTP/1.0', 'Host: a')).values[0], 'a');
  assert.equal(parse(head('GET / HTTP/1.1', 'hOsT: a')).names[0], 'host');
  // an empty Host is allowed (RFC 9110 §7.2: no authority)
  assert.equal(parse(head('GET / HTTP/1.1', 'Host:')).values[0], '');
});

test('Host must be a valid authority (RFC 9110 §7.2, RFC 3986 §3.2): host and optional port', () => {
  for (const good of ['example.com', 'example.com:8080', 'EXAMPLE.com.', '127.0.0.1', '127.0.0.1:80', '[::1]', '[::1]:443',
    '[2001:db8::7]', 'a-b_c~d.e', 'xn--bcher-kva.example', 'h:', 'a%20b', "sub!$&'()*+,;=", '[v1.fe80::a+en1]']) {
    assert.equal(parse(head('GET / HTTP/1.1', `Host: ${good}`)).values[0], good, good);
  }
  for (const bad of ['a b', 'a/b', 'a\\b', 'user@h', 'user:pw@h', 'h:abc', 'h:99999', 'h:-1', 'h:80:80', 'h:8 0', '[::1', '::1]', '[::1]x',
    '[::1]:x', 'h?x', 'h#x', 'h"', 'h<x>', '\xe9.com', 'h:0080000']) {
    rejects(head('GET / HTTP/1.1', `Host: ${bad}`), 400);
  }
  rejects(head('GET / HTTP/1.0', 'Host: a/b'), 400);
});

test('a head not ended by CRLF is rejected, not looped on', () => {
  // parseHead is only given complete heads; this guards against misuse
  rejects('GET / HTTP/1.1', 400);
  rejects('GET / HTTP/1.1\r\nHost: h', 400);
  rejects('', 400);
});

// ---------------------------------------------------------------------------------------------
// Content-Length

test('Content-Length: digits, parsed as a number; absent → -1', () => {
  assert.equal(parse(get('/')).contentLength, -1);
  assert.equal(parse(get('/', 'Content-Length: 0')).contentLength, 0);
  assert.equal(parse(get('/', 'Content-Length: 42')).contentLength, 42);
  assert.equal(parse(get('/', 'content-length:  7  ')).contentLength, 7);
  assert.equal(parse(get('/', 'Content-Length: 007')).contentLength, 7);
  // leading zeros do not make a small value look huge
  assert.equal(parse(get('/', 'Content-Length: 00000000000000000005')).contentLength, 5);
  assert.equal(parse(get('/', 'Content-Length: 00000000000000000000')).contentLength, 0);
});

test('Content-Length that is not digits only → 400', () => {
  const bad = ['+5', '-1', '0x10', '1 2', '', '1.0', '1e3', '5a', 'five', '5,', ',5', '5,,5', '\xa05', '5\xa0', '\u00bd'];
  for (const v of bad) rejects(get('/', `Content-Length: ${v}`), 400);
});

test('Content-Length repeated: identical values are merged, differing ones → 400', () => {
  assert.equal(parse(get('/', 'Content-Length: 5, 5')).contentLength, 5);
  assert.equal(parse(get('/', 'Content-Length: 5,5,5')).contentLength, 5);
  assert.equal(parse(get('/', 'Content-Length: 5', 'Content-Length: 5')).contentLength, 5);
  assert.equal(parse(get('/', 'Content-Length: 5', 'Content-Length: 5, 5')).contentLength, 5);
  rejects(get('/', 'Content-Length: 5, 6'), 400);
  rejects(get('/', 'Content-Length: 5', 'Content-Length: 6'), 400);
  rejects(get('/', 'Content-Length: 0', 'Content-Length: 5'), 400);
  rejects(get('/', 'Content-Length: 5', 'Content-Length: 5, 6'), 400);
  rejects(get('/', 'Content-Length: 5', 'Content-Length: x'), 400);
  // two huge values that differ must not compare equal
  rejects(get('/', 'Content-Length: 99999999999999999999', 'Content-Length: 99999999999999999998'), 400, { maxBodySize: 1e30 });
});

test('Content-Length larger than maxBodySize → 413; equal is fine', () => {
  assert.equal(parse(get('/', 'Content-Length: 100'), { maxBodySize: 100 }).contentLength, 100);
  rejects(get('/', 'Content-Length: 101'), 413, { maxBodySize: 100 });
  rejects(get('/', 'Content-Length: 1'), 413, { maxBodySize: 0 });
  rejects(get('/', 'Content-Length: 123456789012345678901234567890'), 413);
});

test('Content-Length together with Transfer-Encoding → 400 (either order)', () => {
  rejects(get('/', 'Content-Length: 5', 'Transfer-Encoding: chunked'), 400);
  rejects(get('/', 'Transfer-Encoding: chunked', 'Content-Length: 5'), 400);
  rejects(get('/', 'Transfer-Encoding: chunked', 'Content-Length: 0'), 400);
  // even when Content-Length would be 413 on its own, the smuggling shape wins
  rejects(get('/', 'Transfer-Encoding: chunked', 'Content-Length: 999'), 400, { maxBodySize: 10 });
});

// ---------------------------------------------------------------------------------------------
// Transfer-Encoding

test('Transfer-Encoding: chunked (case-insensitive, OWS trimmed)', () => {
  for (const v of ['chunked', 'Chunked', 'CHUNKED', ' chunked\t']) {
    const h = parse(get('/', `Transfer-Encoding: ${v}`));
    assert.equal(h.chunked, true, v);
    assert.equal(h.contentLength, -1);
  }
});

test('Transfer-Encoding on HTTP/1.0 → 400', () => {
  rejects(head('POST / HTTP/1.0', 'Transfer-Encoding: chunked'), 400);
  rejects(head('POST / HTTP/1.0', 'Host: h', 'Transfer-Encoding: chunked'), 400);
});

test('Transfer-Encoding must end with chunked → 400', () => {
  for (const v of ['gzip', 'identity', 'chunked, gzip', '', ',', 'chunked,', 'chunked;q=1', 'chunked x', 'chunkedx', 'chunked\xa0', '\xa0chunked']) {
    rejects(get('/', `Transfer-Encoding: ${v}`), 400);
  }
  rejects(get('/', 'Transfer-Encoding: chunked', 'Transfer-Encoding: gzip'), 400);
});

test('chunked applied twice → 400, also behind another coding', () => {
  rejects(get('/', 'Transfer-Encoding: chunked, chunked'), 400);
  rejects(get('/', 'Transfer-Encoding: chunked', 'Transfer-Encoding: chunked'), 400);
  rejects(get('/', 'Transfer-Encoding: gzip, chunked, chunked'), 400);
  rejects(get('/', 'Transfer-Encoding: chunked, gzip, chunked'), 400);
});

test('malformed codings before chunked → 400, not 501', () => {
  rejects(get('/', 'Transfer-Encoding: , chunked'), 400);
  rejects(get('/', 'Transfer-Encoding: g zip, chunked'), 400);
  rejects(get('/', 'Transfer-Encoding: gzip, (x), chunked'), 400);
  rejects(get('/', 'Transfer-Encoding: gzip,, chunked'), 400);
});

test('another coding before chunked → 501 (not implemented)', () => {
  for (const v of ['gzip, chunked', 'deflate,chunked', 'x-custom, chunked', 'GZIP ,  Chunked', 'gzip, br, chunked']) {
    rejects(get('/', `Transfer-Encoding: ${v}`), 501);
  }
  rejects(get('/', 'Transfer-Encoding: gzip', 'Transfer-Encoding: chunked'), 501);
});

// ---------------------------------------------------------------------------------------------
// Expect

test('Expect: 100-continue (case-insensitive) sets expectContinue', () => {
  for (const v of ['100-continue', '100-Continue', '100-CONTINUE', ' 100-continue ']) {
    assert.equal(parse(get('/', `Expect: ${v}`)).expectContinue, true, v);
  }
  assert.equal(parse(get('/')).expectContinue, false);
});

test('any other expectation → 417', () => {
  for (const v of ['', 'foo', '100-continue, foo', '100-continued', '200-ok', 'continue', '100 continue']) {
    rejects(get('/', `Expect: ${v}`), 417);
  }
  rejects(get('/', 'Expect: 100-continue', 'Expect: foo'), 417);
});

test('Expect: 100-continue is ignored on HTTP/1.0 (RFC 9110 §10.1.1)', () => {
  // a 1.0 client cannot understand an interim 100 response
  assert.equal(parse(head('POST / HTTP/1.0', 'Expect: 100-continue', 'Content-Length: 1')).expectContinue, false);
});

// ---------------------------------------------------------------------------------------------
// keep-alive

test('keepAlive from version and Connection', () => {
  const cases: Array<[string, string[], boolean]> = [
    ['1.1', [], true],
    ['1.1', ['Connection: close'], false],
    ['1.1', ['Connection: Close'], false],
    ['1.1', ['Connection: CLOSE'], false],
    ['1.1', ['Connection: keep-alive'], true],
    ['1.1', ['Connection: Upgrade, close'], false],
    ['1.1', ['Connection: close, Upgrade'], false],
    ['1.1', ['Connection: Upgrade'], true],
    ['1.1', ['Connection: keep-alive, close'], false],
    ['1.1', ['Connection: upgrade', 'Connection: close'], false],
    ['1.1', ['Connection: closed'], true],
    ['1.1', ['Connection: '], true],
    ['1.0', [], false],
    ['1.0', ['Connection: keep-alive'], true],
    ['1.0', ['Connection: Keep-Alive'], true],
    ['1.0', ['Connection: foo, keep-alive'], true],
    ['1.0', ['Connection: keep-alive, close'], false],
    ['1.0', ['Connection: close'], false],
    ['1.0', ['Connection: keep-alives'], false],
    ['1.0', ['Connection: Upgrade'], false],
  ];
  for (const [version, fields, expected] of cases) {
    const hostField = version === '1.1' ? ['Host: h'] : [];
    const h = parse(head(`GET / HTTP/${version}`, ...hostField, ...fields));
    assert.equal(h.keepAlive, expected, `${version} ${fields.join(' | ')}`);
  }
});

// ---------------------------------------------------------------------------------------------
// differential test against node:http (llhttp, insecureHTTPParser off)


/** Our verdict on a raw request: parseHead on the head, then the chunked decoder on the body. */
function ourAnswer(raw: string): number | 'accepted' | 'incomplete' {
  const end = raw.indexOf('\r\n\r\n');
  assert.notEqual(end, -1, 'test input has a complete head');
  try {
    const h = parseHead(raw.slice(0, end + 2), LIMITS);
    if (h.chunked) {
      const decoder = new ChunkedDecoder(LIMITS.maxBodySize, 16 * 1024);
      decoder.feed(Buffer.from(raw.slice(end + 4), 'latin1'), 0, () => {});
      if (!decoder.done) return 'incomplete';
    }
    return 'accepted';
  } catch (error) {
    if (error instanceof ParseError) return error.status;
    throw error;
  }
}


const R = 'GET / HTTP/1.1\r\n';
const P = 'POST / HTTP/1.1\r\nHost: h\r\n';
const TE = `${P}Transfer-Encoding: chunked\r\n\r\n`;

/** Inputs both parsers must reject; `ours` is our exact status. */
const bothReject: Array<{ name: string; raw: string; ours: number; why?: string }> = [
  { name: 'whitespace before colon', raw: `${R}Host : h\r\n\r\n`, ours: 400 },
  { name: 'HTAB before colon', raw: `${R}Host: h\r\nX\t: y\r\n\r\n`, ours: 400 },
  { name: 'obs-fold with SP', raw: `${R}Host: h\r\nX: a\r\n b\r\n\r\n`, ours: 400 },
  { name: 'obs-fold with HTAB', raw: `${R}Host: h\r\nX: a\r\n\tb\r\n\r\n`, ours: 400 },
  { name: 'bare LF line ending', raw: `${R}Host: h\nX: a\r\n\r\n`, ours: 400 },
  { name: 'bare CR in value', raw: `${R}Host: h\r\nX: a\rb\r\n\r\n`, ours: 400 },
  { name: 'NUL in value', raw: `${R}Host: h\r\nX: a\x00b\r\n\r\n`, ours: 400 },
  { name: 'SOH in value', raw: `${R}Host: h\r\nX: a\x01b\r\n\r\n`, ours: 400 },
  { name: 'DEL in value', raw: `${R}Host: h\r\nX: a\x7fb\r\n\r\n`, ours: 400 },
  { name: 'invalid header name', raw: `${R}Host: h\r\nX(: y\r\n\r\n`, ours: 400 },
  { name: 'empty header name', raw: `${R}Host: h\r\n: y\r\n\r\n`, ours: 400 },
  { name: 'no colon', raw: `${R}Host: h\r\nNoColon\r\n\r\n`, ours: 400 },
  { name: 'missing Host on 1.1', raw: `${R}X: y\r\n\r\n`, ours: 400 },
  { name: 'DEL in target', raw: 'GET /a\x7f HTTP/1.1\r\nHost: h\r\n\r\n', ours: 400 },
  { name: 'non-ASCII in target', raw: 'GET /caf\xe9 HTTP/1.1\r\nHost: h\r\n\r\n', ours: 400 },
  { name: 'lowercase version', raw: 'GET / http/1.1\r\nHost: h\r\n\r\n', ours: 400 },
  { name: 'HTTP/1.1x', raw: 'GET / HTTP/1.1x\r\nHost: h\r\n\r\n', ours: 400 },
  { name: 'trailing space after version', raw: 'GET / HTTP/1.1 \r\nHost: h\r\n\r\n', ours: 400 },
  { name: 'CL duplicate differing (fields)', raw: `${P}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!`, ours: 400 },
  { name: 'CL duplicate differing (list)', raw: `${P}Content-Length: 5, 6\r\n\r\nhello!`, ours: 400 },
  { name: 'CL +5', raw: `${P}Content-Length: +5\r\n\r\nhello`, ours: 400 },
  { name: 'CL -1', raw: `${P}Content-Length: -1\r\n\r\n`, ours: 400 },
  { name: 'CL 0x10', raw: `${P}Content-Length: 0x10\r\n\r\n`, ours: 400 },
  { name: 'CL "1 2"', raw: `${P}Content-Length: 1 2\r\n\r\n`, ours: 400 },
  { name: 'CL empty', raw: `${P}Content-Length: \r\n\r\n`, ours: 400 },
  { name: 'CL followed by NBSP', raw: `${P}Content-Length: 5\xa0\r\n\r\nhello`, ours: 400 },
  { name: 'CL + TE', raw: `${P}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`, ours: 400 },
  { name: 'TE + CL', raw: `${P}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n`, ours: 400 },
  { name: 'TE not ending in chunked', raw: `${P}Transfer-Encoding: chunked, gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n`, ours: 400 },
  { name: 'TE gzip only', raw: `${P}Transfer-Encoding: gzip\r\n\r\nhello`, ours: 400 },
  { name: 'TE chunked twice', raw: `${P}Transfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`, ours: 400 },
  { name: 'TE chunked in two fields', raw: `${P}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`, ours: 400 },
  { name: 'TE chunked + NBSP', raw: `${P}Transfer-Encoding: chunked\xa0\r\n\r\n5\r\nhello\r\n0\r\n\r\n`, ours: 400 },
  // malformed chunked bodies: see the differential test in chunked.test.ts
  // Node answers 400 for HTTP/3.0 (llhttp only knows 0.9, 1.x and 2.0); we answer 505 by design
  // (RFC 9110 §15.6.6: the major version is well-formed but not supported).
  { name: 'HTTP/3.0', raw: 'GET / HTTP/3.0\r\nHost: h\r\n\r\n', ours: 505, why: 'Node 400, ours 505 (version not supported)' },
  // Node answers 417 too (its server, not llhttp, checks Expect).
  { name: 'unknown expectation', raw: `${R}Host: h\r\nExpect: foo\r\n\r\n`, ours: 417 },
  // Node has no 'connect' listener → it destroys the socket without an answer; we answer 501.
  { name: 'CONNECT authority-form', raw: 'CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n', ours: 501, why: 'Node closes, ours 501' },
  { name: 'CONNECT origin-form', raw: 'CONNECT /x HTTP/1.1\r\nHost: h\r\n\r\n', ours: 501, why: 'Node closes, ours 501' },
];

/** Inputs both parsers accept: proves the harness can tell acceptance from rejection. */
const bothAccept: Array<{ name: string; raw: string }> = [
  { name: 'plain GET', raw: `${R}Host: h\r\n\r\n` },
  { name: 'HTAB and obs-text in a value', raw: `${R}Host: h\r\nX: a\tb\xe9\r\n\r\n` },
  { name: 'Content-Length body', raw: `${P}Content-Length: 5\r\n\r\nhello` },
  { name: 'CL with leading zeros', raw: `${P}Content-Length: 00000000000000000005\r\n\r\nhello` },
  { name: 'chunked body', raw: `${TE}5\r\nhello\r\nA\r\n0123456789\r\n0\r\n\r\n` },
  { name: 'absolute-form', raw: `GET http://h/p?q HTTP/1.1\r\nHost: h\r\n\r\n` },
  { name: 'OPTIONS *', raw: `OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n` },
  { name: 'HTTP/1.0 keep-alive', raw: 'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n' },
];

/**
 * Where the two parsers legitimately differ. `ours` is asserted; Node's answer is only reported
 * (t.diagnostic), since these are choices, not bugs, on either side.
 */
const differ: Array<{ name: string; raw: string; ours: number | 'accepted'; why: string }> = [
  { name: 'HTTP/2.0 on an HTTP/1 connection', raw: 'GET / HTTP/2.0\r\nHost: h\r\n\r\n', ours: 505, why: 'llhttp accepts any 1.x, 0.9 and 2.0 and Node serves it as 200; we only speak 1.0/1.1' },
  { name: 'HTTP/0.9 version', raw: 'GET / HTTP/0.9\r\nHost: h\r\n\r\n', ours: 505, why: 'Node 200, as above' },
  { name: 'request line without version', raw: 'GET /\r\nHost: h\r\n\r\n', ours: 400, why: 'llhttp treats it as HTTP/0.9 and Node serves 200; RFC 9112 has no such request line' },
  { name: 'two spaces after method', raw: 'GET  / HTTP/1.1\r\nHost: h\r\n\r\n', ours: 400, why: 'llhttp skips extra spaces (Node 200); RFC 9112 §3 grammar has exactly one SP' },
  { name: 'GET *', raw: 'GET * HTTP/1.1\r\nHost: h\r\n\r\n', ours: 400, why: 'Node 200; RFC 9112 §3.2.4 allows asterisk-form only for OPTIONS' },
  { name: 'Host not an authority', raw: `${R}Host: a/b@c\r\n\r\n`, ours: 400, why: 'llhttp does not look at the Host value (Node 200); RFC 9112 §3.2 requires 400 for an invalid Host' },
  { name: 'Host twice', raw: `${R}Host: a\r\nHost: b\r\n\r\n`, ours: 400, why: 'Node 200; RFC 9112 §3.2 requires 400 for more than one Host field line' },
  { name: 'TE on HTTP/1.0', raw: 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n', ours: 400, why: 'Node 200; RFC 9112 §6.1: a 1.0 message with Transfer-Encoding MUST be treated as having faulty framing' },
  { name: 'gzip, chunked', raw: `${P}Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`, ours: 501, why: 'Node 200 and hands gzip bytes to the app; we do not implement gzip transfer-coding (RFC 9112 §6.1: 501)' },
  { name: 'identical Content-Length twice', raw: `${P}Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello`, ours: 'accepted', why: 'Node 400 (any duplicate CL); RFC 9110 §8.6 allows identical repeats' },
  { name: 'identical Content-Length list', raw: `${P}Content-Length: 5, 5\r\n\r\nhello`, ours: 'accepted', why: 'Node 400, as above' },
  { name: 'unknown method', raw: 'FOO / HTTP/1.1\r\nHost: h\r\n\r\n', ours: 'accepted', why: 'llhttp knows a fixed method list (Node 400); RFC 9110 §9.1 methods are tokens' },
  { name: 'lowercase method', raw: 'get / HTTP/1.1\r\nHost: h\r\n\r\n', ours: 'accepted', why: 'Node 400; methods are case-sensitive tokens, "get" is a (different, unknown) method' },
  { name: 'Expect: foo on HTTP/1.0', raw: 'GET / HTTP/1.0\r\nExpect: foo\r\n\r\n', ours: 417, why: 'Node ignores Expect on 1.0 (200); RFC 9110 §10.1.1 permits 417 for any unknown expectation' },
];

test('differential: node:http and parseHead/ChunkedDecoder on the same raw bytes', async (t) => {
  const reference = await nodeReference();
  try {
    for (const c of bothReject) {
      const node = await reference.send(c.raw);
      assert.ok(isNodeRejection(node), `${c.name}: Node should reject, answered ${String(node)}`);
      assert.equal(ourAnswer(c.raw), c.ours, `${c.name}: our status${c.why ? ` (${c.why})` : ''}`);
    }
    for (const c of bothAccept) {
      const node = await reference.send(c.raw);
      assert.equal(node, 200, `${c.name}: Node should accept`);
      assert.equal(ourAnswer(c.raw), 'accepted', `${c.name}: we should accept`);
    }
    for (const c of differ) {
      const node = await reference.send(c.raw);
      t.diagnostic(`${c.name}: node ${String(node)}, ours ${String(c.ours)} — ${c.why}`);
      assert.equal(ourAnswer(c.raw), c.ours, `${c.name}: our status (${c.why})`);
    }
  } finally {
    await reference.close();
  }
});

test('parseHeadAt parses a head in place inside a larger string (the engine\'s view of a read)', async () => {
  const { parseHeadAt } = await import('../src/engine/parser.js');
  const a = 'GET /a?x=1 HTTP/1.1\r\nHost: h\r\n';
  const b = 'POST /b HTTP/1.0\r\nContent-Length: 3\r\n';
  const view = `${a}\r\n${b}\r\nabc`;
  const bytes = Buffer.from(view, 'latin1');
  const first = parseHeadAt(view, bytes, 0, a.length, LIMITS);
  assert.equal(first.method, 'GET');
  assert.equal(first.path, '/a');
  assert.equal(first.query, 'x=1');
  assert.deepEqual(first.names, ['host']);
  const second = parseHeadAt(view, bytes, a.length + 2, a.length + 2 + b.length, LIMITS);
  assert.equal(second.method, 'POST');
  assert.equal(second.version, '1.0');
  assert.equal(second.contentLength, 3);
  // a request line not ended inside the given range is refused even when the string goes on
  // (HTTP/1.0 needs no Host, so only the range can make this fail)
  const v10 = 'GET / HTTP/1.0\r\n\r\n';
  const v10bytes = Buffer.from(v10, 'latin1');
  assert.equal(parseHeadAt(v10, v10bytes, 0, v10.length - 2, LIMITS).version, '1.0');
  assert.throws(() => parseHeadAt(v10, v10bytes, 0, 'GET / HTTP/1.0'.length, LIMITS), (e: unknown) => e instanceof ParseError && e.status === 400);
});

test('parsing into a reused head: each parse fills every field, and arrays handed out earlier keep their values', () => {
  const into = reusableHead();
  const first = head('POST /a?x=1 HTTP/1.1', 'Host: one', 'Content-Length: 3', 'X-A: 1', 'X-B: 2');
  const second = head('GET /b HTTP/1.0', 'Host: two');
  const r1 = parseHeadAt(first, Buffer.from(first, 'latin1'), 0, first.length, LIMITS, into);
  assert.equal(r1, into);
  const names1 = r1.names;
  const values1 = r1.values;
  assert.deepEqual(names1, ['host', 'content-length', 'x-a', 'x-b']);
  const r2 = parseHeadAt(second, Buffer.from(second, 'latin1'), 0, second.length, LIMITS, into);
  assert.deepEqual(
    { ...r2 },
    { ...parseHead(second, LIMITS) },
    'the same result as a fresh parse: nothing left over from the head before',
  );
  assert.deepEqual(names1, ['host', 'content-length', 'x-a', 'x-b'], 'the first request keeps its names');
  assert.deepEqual(values1, ['one', '3', '1', '2']);
  assert.notEqual(parseHead(second, LIMITS), parseHead(second, LIMITS), 'parseHead makes a new head each time');
});
