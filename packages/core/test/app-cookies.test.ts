// Cookie parsing and Set-Cookie serialization (RFC 6265 / 6265bis, CHIPS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCookies, serializeCookie } from '../src/index.js';

test('parseCookies: pairs, spaces, quotes, escapes, duplicates, junk', () => {
  assert.deepEqual({ ...parseCookies(undefined) }, {});
  assert.deepEqual({ ...parseCookies('') }, {});
  assert.deepEqual({ ...parseCookies('a=1;b=2 ;  c = 3') }, { a: '1', b: '2', c: '3' });
  assert.deepEqual({ ...parseCookies('q="quoted value"; e=%E2%82%AC; bad=%E2%82; eq=a=b') }, { q: 'quoted value', e: '€', bad: '%E2%82', eq: 'a=b' });
  assert.deepEqual({ ...parseCookies('dup=first; dup=second') }, { dup: 'first' });
  assert.deepEqual({ ...parseCookies('noequals; =nameless; ;;ok=1') }, { ok: '1' });
  const proto = parseCookies('__proto__=x; constructor=y');
  assert.equal(proto.__proto__, 'x');
  assert.equal(proto.constructor, 'y');
});

test('serializeCookie: attributes in a fixed order', () => {
  assert.equal(serializeCookie('a', 'b'), 'a=b');
  assert.equal(serializeCookie('a', 'x y;z,é'), 'a=x%20y%3Bz%2C%C3%A9');
  assert.equal(
    serializeCookie('s', 'v', { maxAge: 90.7, expires: new Date(0), domain: '.example.com', path: '/a b', secure: true, httpOnly: true, sameSite: 'Strict', partitioned: true }),
    's=v; Max-Age=90; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Domain=.example.com; Path=/a b; Secure; HttpOnly; SameSite=Strict; Partitioned',
  );
  assert.equal(serializeCookie('gone', '', { maxAge: -5 }), 'gone=; Max-Age=0');
  assert.equal(serializeCookie('raw', 'a/b:c', { encode: (v) => v }), 'raw=a/b:c');
  assert.equal(serializeCookie('__Secure-x', '1', { secure: true }), '__Secure-x=1; Secure');
  assert.equal(serializeCookie('__Host-x', '1', { secure: true, path: '/' }), '__Host-x=1; Path=/; Secure');
});

test('serializeCookie: rejects what would break the header or what browsers refuse', () => {
  const bad: Array<[string, string, Parameters<typeof serializeCookie>[2], RegExp]> = [
    ['a b', 'v', {}, /Invalid cookie name/],
    ['a;b', 'v', {}, /Invalid cookie name/],
    ['a\r\n', 'v', {}, /Invalid cookie name/],
    ['a', 'v\r\nX: 1', { encode: (v) => v }, /Invalid value/],
    ['a', 'v;w', { encode: (v) => v }, /Invalid value/],
    ['a', 'v', { domain: 'ex ample.com' }, /Invalid domain/],
    ['a', 'v', { domain: 'example.com;secure' }, /Invalid domain/],
    ['a', 'v', { path: '/x;Domain=evil' }, /Invalid path/],
    ['a', 'v', { path: '/x\n' }, /Invalid path/],
    ['a', 'v', { maxAge: Number.NaN }, /Invalid maxAge/],
    ['a', 'v', { expires: new Date('nope') }, /Invalid expires/],
    ['a', 'v', { sameSite: 'sometimes' as never }, /Invalid sameSite/],
    ['a', 'v', { sameSite: 'none' }, /SameSite=None requires secure/],
    ['a', 'v', { partitioned: true }, /Partitioned requires secure/],
    ['__Secure-a', 'v', {}, /__Secure- prefix/],
    ['__host-a', 'v', { secure: true, path: '/', domain: 'example.com' }, /__Host- prefix/],
    ['__Host-a', 'v', { secure: true }, /__Host- prefix/],
  ];
  for (const [name, value, options, message] of bad) assert.throws(() => serializeCookie(name, value, options), message, `${name} ${JSON.stringify(options)}`);
});
