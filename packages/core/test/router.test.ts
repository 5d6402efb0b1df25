/**
 * Unit tests for the router (router/router.ts, router/tree.ts, router/pattern.ts),
 * plus a randomized cross-check against a naive segment-by-segment matcher on the benchmark's
 * GitHub-shaped route table.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DuplicateRouteError, RadixRouter, RouteConflictError, type Match, type RadixRouterOptions } from '../src/router/index.js';
import { countNodes } from '../src/router/tree.js';
import { HttpError } from '../src/http/errors.js';

function router(routes: Array<[string, string]>, options?: RadixRouterOptions): RadixRouter<string> {
  const r = new RadixRouter<string>(options);
  for (const [method, path] of routes) r.add(method, path, `${method} ${path}`);
  return r;
}

/** The matched route ("METHOD pattern") and a plain copy of its params, or null. */
function hit(r: RadixRouter<string>, method: string, path: string): { route: string; params: Record<string, string> } | null {
  const m = r.find(method, path);
  return m === null ? null : { route: m.value, params: { ...m.params } };
}

function throws400(fn: () => unknown): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof HttpError, `expected an HttpError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.match(error.message, /percent-encoding/);
    return true;
  });
}

describe('static routes', () => {
  test('are answered from the map with one shared, frozen match (no allocation per hit)', () => {
    const r = router([['GET', '/'], ['GET', '/users'], ['POST', '/users'], ['GET', '/users/me']]);
    const a = r.find('GET', '/users');
    const b = r.find('GET', '/users');
    assert.ok(a !== null);
    assert.equal(a, b);
    assert.equal(a.value, 'GET /users');
    assert.deepEqual({ ...a.params }, {});
    assert.ok(Object.isFrozen(a) && Object.isFrozen(a.params));
    assert.equal(a.params, r.find('GET', '/users/me')!.params, 'one empty params object for all static routes');
    assert.equal(hit(r, 'GET', '/')?.route, 'GET /');
    assert.equal(hit(r, 'POST', '/users')?.route, 'POST /users');
  });

  test('methods are separate and matched exactly; unknown methods and paths give null', () => {
    const r = router([['GET', '/a']]);
    assert.equal(r.find('POST', '/a'), null);
    assert.equal(r.find('get', '/a'), null);
    assert.equal(r.find('GET', '/b'), null);
    assert.equal(r.find('GET', ''), null);
    assert.equal(r.find('GET', '*'), null);
    assert.equal(r.find('GET', 'a'), null);
  });

  test('static text is matched on the raw path; patterns are percent-encoded as clients send them', () => {
    const r = router([['GET', '/café'], ['GET', '/a b'], ['GET', '/x%2fy'], ['GET', '/100%']]);
    assert.equal(hit(r, 'GET', '/caf%C3%A9')?.route, 'GET /café');
    assert.equal(hit(r, 'GET', '/a%20b')?.route, 'GET /a b');
    assert.equal(hit(r, 'GET', '/x%2Fy')?.route, 'GET /x%2fy', 'escapes in patterns are normalised to uppercase hex');
    assert.equal(hit(r, 'GET', '/100%25')?.route, 'GET /100%');
    assert.equal(r.find('GET', '/café'), null, 'a raw path is never decoded for static matching');
    assert.equal(r.find('GET', '/x/y'), null);
  });

  test('[ ] | ^ in static text match raw (as browsers and fetch send them) and escaped', () => {
    const r = router([['GET', '/a|b'], ['GET', '/x/[id]'], ['GET', '/p/%5e/:v'], ['GET', '/q/:v|raw'], ['GET', '/plain/:v']]);
    for (const path of ['/a|b', '/a%7Cb', '/a%7cb', new URL('http://h/a|b').pathname]) assert.equal(hit(r, 'GET', path)?.route, 'GET /a|b', path);
    for (const path of ['/x/[id]', '/x/%5Bid%5D', '/x/%5bid]', new URL('http://h/x/[id]').pathname]) assert.equal(hit(r, 'GET', path)?.route, 'GET /x/[id]', path);
    // Node 20 leaves ^ raw, Node 24 escapes it: either way it matches
    for (const path of ['/p/^/1', '/p/%5E/1', new URL('http://h/p/^/1').pathname]) assert.deepEqual(hit(r, 'GET', path), { route: 'GET /p/%5e/:v', params: { v: '1' } }, path);
    assert.deepEqual(hit(r, 'GET', '/q/a%7Cb|raw'), { route: 'GET /q/:v|raw', params: { v: 'a|b' } }, 'values decode as before');
    assert.deepEqual(hit(r, 'GET', '/plain/a%7Cb%25%7C'), { route: 'GET /plain/:v', params: { v: 'a|b%|' } });
    assert.equal(r.find('GET', '/a%257Cb'), null, 'an escaped "%" is not an escape');
    assert.deepEqual(r.allowed('/a%7Cb'), ['GET']);
    assert.throws(() => r.add('GET', '/a%7Cb', 'x'), /Duplicate route/, 'the raw and the escaped pattern are one route');
    const ci = router([['GET', '/A|B']], { caseSensitive: false });
    assert.equal(hit(ci, 'GET', '/a%7cb')?.route, 'GET /A|B');
  });

  test('a literal colon is written "::"', () => {
    const r = router([['POST', '/v1/things::batchGet'], ['GET', '/v1/things/:id::archive']]);
    assert.equal(hit(r, 'POST', '/v1/things:batchGet')?.route, 'POST /v1/things::batchGet');
    assert.deepEqual(hit(r, 'GET', '/v1/things/7:archive')?.params, { id: '7' });
  });
});

describe('parameters', () => {
  test('a parameter takes one or more characters up to the next "/"', () => {
    const r = router([['GET', '/users/:id'], ['GET', '/users/:id/posts/:postId']]);
    assert.deepEqual(hit(r, 'GET', '/users/42'), { route: 'GET /users/:id', params: { id: '42' } });
    assert.deepEqual(hit(r, 'GET', '/users/42/posts/7')?.params, { id: '42', postId: '7' });
    assert.equal(r.find('GET', '/users/'), null, 'empty value');
    assert.equal(r.find('GET', '/users'), null);
    assert.equal(r.find('GET', '/users/42/posts'), null);
    assert.equal(r.find('GET', '/users/42/'), null, 'trailing slash is significant by default');
    assert.equal(r.find('GET', '/users//posts/7'), null);
  });

  test('params are a fresh object per match, values keep their case', () => {
    const r = router([['GET', '/:a/:b']]);
    const m1 = r.find('GET', '/Foo/BAR');
    const m2 = r.find('GET', '/Foo/BAR');
    assert.deepEqual(m1?.params, { a: 'Foo', b: 'BAR' });
    assert.notEqual(m1?.params, m2?.params);
    m1!.params.a = 'changed';
    assert.equal(r.find('GET', '/Foo/BAR')?.params.a, 'Foo');
  });

  test('several parameters in one segment, separated by static text', () => {
    const r = router([
      ['GET', '/files/:name.:ext'],
      ['GET', '/files/:name'],
      ['GET', '/files/:name/raw'],
      ['GET', '/d/:from-:to'],
      ['GET', '/j/:name.json'],
    ]);
    assert.deepEqual(hit(r, 'GET', '/files/report.pdf'), { route: 'GET /files/:name.:ext', params: { name: 'report', ext: 'pdf' } });
    assert.deepEqual(hit(r, 'GET', '/files/archive.tar.gz')?.params, { name: 'archive', ext: 'tar.gz' }, 'the first separator that leads to a match');
    assert.deepEqual(hit(r, 'GET', '/files/README'), { route: 'GET /files/:name', params: { name: 'README' } });
    assert.deepEqual(hit(r, 'GET', '/files/a.b/raw'), { route: 'GET /files/:name/raw', params: { name: 'a.b' } });
    assert.deepEqual(hit(r, 'GET', '/files/.hidden'), { route: 'GET /files/:name', params: { name: '.hidden' } }, 'values are never empty');
    assert.deepEqual(hit(r, 'GET', '/files/trailing.'), { route: 'GET /files/:name', params: { name: 'trailing.' } });
    assert.deepEqual(hit(r, 'GET', '/d/2020-01-2021')?.params, { from: '2020', to: '01-2021' });
    assert.deepEqual(hit(r, 'GET', '/j/data.json')?.params, { name: 'data' });
    assert.equal(r.find('GET', '/j/data.xml'), null);
  });

  test('maxParamLength (default 100): a longer value does not match that parameter', () => {
    const r = router([['GET', '/u/:id'], ['GET', '/f/:name.:ext'], ['GET', '/w/:id'], ['GET', '/w/*']]);
    assert.equal(r.maxParamLength, 100);
    assert.deepEqual(hit(r, 'GET', `/u/${'a'.repeat(100)}`)?.params, { id: 'a'.repeat(100) });
    assert.equal(r.find('GET', `/u/${'a'.repeat(101)}`), null);
    assert.deepEqual(r.allowed(`/u/${'a'.repeat(101)}`), []);
    assert.equal(r.find('GET', `/f/${'a'.repeat(101)}.pdf`), null, 'each value of a segment is limited');
    assert.deepEqual(hit(r, 'GET', `/f/a.${'b'.repeat(100)}`)?.params, { name: 'a', ext: 'b'.repeat(100) });
    assert.deepEqual(hit(r, 'GET', `/w/${'a'.repeat(101)}`), { route: 'GET /w/*', params: { '*': 'a'.repeat(101) } }, 'other routes are still tried; wildcards have no limit');
    // the raw length counts: 34 escaped characters are 102
    assert.equal(r.find('GET', `/u/${'%41'.repeat(34)}`), null);
    const small = router([['GET', '/u/:id']], { maxParamLength: 3 });
    assert.deepEqual(hit(small, 'GET', '/u/abc')?.params, { id: 'abc' });
    assert.equal(small.find('GET', '/u/abcd'), null);
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) {
      assert.throws(() => new RadixRouter({ maxParamLength: bad }), /maxParamLength must be a positive integer/);
    }
  });

  test('two parameters must be separated by static text', () => {
    assert.throws(() => router([['GET', '/:a:b']]), /":a" and ":b" must be separated/);
  });
});

describe('constraints', () => {
  test('<int>: optional minus and digits', () => {
    const r = router([['GET', '/n/:id<int>']]);
    for (const ok of ['0', '42', '-7', '007']) assert.deepEqual(hit(r, 'GET', `/n/${ok}`)?.params, { id: ok }, ok);
    for (const bad of ['-', '1.5', 'x', '1e3', '+1', '12a', ' 1']) assert.equal(r.find('GET', `/n/${bad}`), null, bad);
  });

  test('<uuid>: 8-4-4-4-12 hex digits, either case', () => {
    const r = router([['GET', '/u/:id<uuid>']]);
    for (const ok of ['123e4567-e89b-12d3-a456-426614174000', '123E4567-E89B-12D3-A456-426614174000']) assert.equal(hit(r, 'GET', `/u/${ok}`)?.params.id, ok);
    for (const bad of ['123e4567e89b12d3a456426614174000', '123e4567-e89b-12d3-a456-42661417400', 'g23e4567-e89b-12d3-a456-426614174000', '123e4567-e89b-12d3-a456-4266141740000']) {
      assert.equal(r.find('GET', `/u/${bad}`), null, bad);
    }
  });

  test('regular expressions must match the whole value', () => {
    const r = router([
      ['GET', '/a/:id(\\d+)'],
      ['GET', '/b/:locale([a-z]{2}-[A-Z]{2})/home'],
      ['GET', '/c/:v((?:ab)+|x[)(]y)'],
      ['GET', '/d/:v(a|b)'],
    ]);
    assert.deepEqual(hit(r, 'GET', '/a/123')?.params, { id: '123' });
    assert.equal(r.find('GET', '/a/12x'), null);
    assert.equal(r.find('GET', '/a/x12'), null);
    assert.deepEqual(hit(r, 'GET', '/b/en-GB/home')?.params, { locale: 'en-GB' });
    assert.equal(r.find('GET', '/b/english/home'), null);
    assert.equal(hit(r, 'GET', '/c/abab')?.params.v, 'abab');
    assert.equal(hit(r, 'GET', '/c/x)y')?.params.v, 'x)y', 'parentheses in a character class');
    assert.equal(r.find('GET', '/c/aba'), null);
    assert.equal(r.find('GET', '/d/ab'), null, 'an alternation is anchored as a whole');
    assert.ok(r.find('GET', '/d/b'));
  });

  test('constraints see the decoded value', () => {
    const r = router([['GET', '/s/:v(a b)'], ['GET', '/n/:id<int>']]);
    assert.equal(hit(r, 'GET', '/s/a%20b')?.params.v, 'a b');
    assert.equal(hit(r, 'GET', '/n/%31%32')?.params.id, '12');
  });

  test('a failed constraint backtracks to other routes', () => {
    const r = router([['GET', '/u/:id<int>'], ['GET', '/u/*'], ['GET', '/v/:id<int>/x'], ['GET', '/v/:id<int>/y']]);
    assert.equal(hit(r, 'GET', '/u/12')?.route, 'GET /u/:id<int>');
    assert.deepEqual(hit(r, 'GET', '/u/me'), { route: 'GET /u/*', params: { '*': 'me' } });
    assert.equal(hit(r, 'GET', '/v/1/y')?.route, 'GET /v/:id<int>/y');
    assert.equal(r.find('GET', '/v/a/y'), null);
  });

  test('regular expressions that could backtrack catastrophically are refused at registration', () => {
    for (const re of ['(a+)+', '(\\d*)*', '(a|aa)*', '(?:-[a-z]+)*', '([a-z]+-?)+', '(a?){2,}', '(x(a+)b)+', '(?:a|b)+', '(a)\\1', '(?<n>a)\\k<n>', '((a+))+']) {
      assert.throws(() => router([['GET', `/s/:v(${re})`]]), /the regular expression of ":v" could take exponential time/, re);
    }
    for (const re of ['\\d+', '[a-z0-9-]+', '[a-z]{2}-[A-Z]{2}', '(?:ab)+|x', 'a|b', '\\d+(\\.\\d+)?', '(a+)?', '(?:jpg|png)', '[(+*]+', '\\(a+\\)+', '\\d{2}:\\d{2}', '(?=a)a+', 'a{1,3}b{2}']) {
      assert.doesNotThrow(() => router([['GET', `/s/:v(${re})`]]), re);
    }
  });

  test('malformed constraints are rejected at registration', () => {
    assert.throws(() => router([['GET', '/a/:id<float>']]), /unknown parameter type "<float>"/);
    assert.throws(() => router([['GET', '/a/:id<int']]), /unknown parameter type/);
    assert.throws(() => router([['GET', '/a/:id(\\d+']]), /unterminated "\("/);
    assert.throws(() => router([['GET', '/a/:id()']]), /empty regular expression/);
    assert.throws(() => router([['GET', '/a/:id([)']]), /unterminated|invalid regular expression/);
    assert.throws(() => router([['GET', '/a/:id(+)']]), /invalid regular expression for ":id"/);
  });
});

describe('wildcards', () => {
  test('"*" takes the rest of the path, possibly empty, as params["*"]', () => {
    const r = router([['GET', '/files/*']]);
    assert.deepEqual(hit(r, 'GET', '/files/'), { route: 'GET /files/*', params: { '*': '' } });
    assert.deepEqual(hit(r, 'GET', '/files/a'), { route: 'GET /files/*', params: { '*': 'a' } });
    assert.deepEqual(hit(r, 'GET', '/files/a/b/c.txt')?.params, { '*': 'a/b/c.txt' });
    assert.deepEqual(hit(r, 'GET', '/files//x/')?.params, { '*': '/x/' });
    assert.equal(r.find('GET', '/files'), null, 'the slash before "*" is required (unless ignoreTrailingSlash)');
    assert.equal(r.find('GET', '/filesx'), null);
  });

  test('a root catch-all, after parameters, and decoding', () => {
    const r = router([['GET', '/*'], ['GET', '/u/:id/*']]);
    assert.deepEqual(hit(r, 'GET', '/')?.params, { '*': '' });
    assert.deepEqual(hit(r, 'GET', '/x/y')?.params, { '*': 'x/y' });
    assert.deepEqual(hit(r, 'GET', '/u/7/a%20b/c')?.params, { id: '7', '*': 'a b/c' });
    assert.deepEqual(hit(r, 'GET', '/u/7')?.params, { '*': 'u/7' }, 'no slash after :id: the root catch-all');
  });

  test('"*" only as the whole last segment', () => {
    assert.throws(() => router([['GET', '/a/*/b']]), /wildcard "\*" is only allowed as the whole last segment/);
    assert.throws(() => router([['GET', '/a*']]), /wildcard/);
    assert.throws(() => router([['GET', '/a/b*']]), /wildcard/);
    assert.throws(() => router([['GET', '/a/:x*']]), /wildcard/);
  });
});

describe('priority and backtracking', () => {
  test('static beats parameter beats wildcard at each position', () => {
    const r = router([['GET', '/a/*'], ['GET', '/a/:x'], ['GET', '/a/b']]);
    assert.equal(hit(r, 'GET', '/a/b')?.route, 'GET /a/b');
    assert.equal(hit(r, 'GET', '/a/c')?.route, 'GET /a/:x');
    assert.deepEqual(hit(r, 'GET', '/a/c/d'), { route: 'GET /a/*', params: { '*': 'c/d' } });
    assert.deepEqual(hit(r, 'GET', '/a/'), { route: 'GET /a/*', params: { '*': '' } });
  });

  test('a dead-end static branch falls back to the parameter: /a/b/d reaches /a/:x/d', () => {
    const r = router([['GET', '/a/b/c'], ['GET', '/a/:x/d']]);
    assert.deepEqual(hit(r, 'GET', '/a/b/d'), { route: 'GET /a/:x/d', params: { x: 'b' } });
    assert.equal(hit(r, 'GET', '/a/b/c')?.route, 'GET /a/b/c');
    assert.equal(r.find('GET', '/a/b/e'), null);
    // the same with the static branch in the tree (a static-only route lives in the map)
    const t = router([['GET', '/a/b/c/:z'], ['GET', '/a/:x/d']]);
    assert.deepEqual(hit(t, 'GET', '/a/b/d'), { route: 'GET /a/:x/d', params: { x: 'b' } });
    assert.deepEqual(hit(t, 'GET', '/a/b/c/1'), { route: 'GET /a/b/c/:z', params: { z: '1' } });
  });

  test('backtracking across several levels, through parameters and into a wildcard', () => {
    const r = router([
      ['GET', '/a/b/:y/e'],
      ['GET', '/a/:x/c/d'],
      ['GET', '/a/:x/:z/f'],
      ['GET', '/a/*'],
    ]);
    assert.deepEqual(hit(r, 'GET', '/a/b/q/e'), { route: 'GET /a/b/:y/e', params: { y: 'q' } });
    assert.deepEqual(hit(r, 'GET', '/a/b/c/d'), { route: 'GET /a/:x/c/d', params: { x: 'b' } });
    assert.deepEqual(hit(r, 'GET', '/a/b/c/f'), { route: 'GET /a/:x/:z/f', params: { x: 'b', z: 'c' } });
    assert.deepEqual(hit(r, 'GET', '/a/b/c/g'), { route: 'GET /a/*', params: { '*': 'b/c/g' } });
  });

  test('parameter values from an abandoned branch do not leak into the match', () => {
    const r = router([['GET', '/p/:a/x/:b/y'], ['GET', '/p/:a/:c']]);
    assert.deepEqual(hit(r, 'GET', '/p/1/x'), { route: 'GET /p/:a/:c', params: { a: '1', c: 'x' } });
    assert.deepEqual(hit(r, 'GET', '/p/1/x/2/y')?.params, { a: '1', b: '2' });
  });

  test('static prefixes that are not whole segments', () => {
    const r = router([['GET', '/user/:id'], ['GET', '/users/:name'], ['GET', '/users'], ['GET', '/u']]);
    assert.deepEqual(hit(r, 'GET', '/user/1'), { route: 'GET /user/:id', params: { id: '1' } });
    assert.deepEqual(hit(r, 'GET', '/users/mona'), { route: 'GET /users/:name', params: { name: 'mona' } });
    assert.equal(hit(r, 'GET', '/users')?.route, 'GET /users');
    assert.equal(r.find('GET', '/user'), null);
    assert.equal(r.find('GET', '/use'), null);
  });
});

describe('trailing slash', () => {
  test('default: "/a" and "/a/" are different routes', () => {
    const r = router([['GET', '/a'], ['GET', '/a/'], ['GET', '/b'], ['GET', '/u/:id'], ['GET', '/v/:id/']]);
    assert.equal(hit(r, 'GET', '/a')?.route, 'GET /a');
    assert.equal(hit(r, 'GET', '/a/')?.route, 'GET /a/');
    assert.equal(r.find('GET', '/b/'), null);
    assert.equal(r.find('GET', '/u/1/'), null);
    assert.equal(r.find('GET', '/v/1'), null);
    assert.deepEqual(hit(r, 'GET', '/v/1/')?.params, { id: '1' });
  });

  test('ignoreTrailingSlash: each matches the other, and registering both is a duplicate', () => {
    const r = router([['GET', '/a'], ['GET', '/b/'], ['GET', '/u/:id'], ['GET', '/v/:id/'], ['GET', '/']], { ignoreTrailingSlash: true });
    assert.equal(hit(r, 'GET', '/a/')?.route, 'GET /a');
    assert.equal(hit(r, 'GET', '/b')?.route, 'GET /b/');
    assert.deepEqual(hit(r, 'GET', '/u/1/')?.params, { id: '1' });
    assert.deepEqual(hit(r, 'GET', '/v/1')?.params, { id: '1' });
    assert.equal(hit(r, 'GET', '/')?.route, 'GET /');
    assert.equal(r.find('GET', '/a//'), null, 'only one slash is ignored');
    assert.throws(() => r.add('GET', '/a/', 'x'), /Duplicate route: GET \/a\/ conflicts with GET \/a/);
    assert.throws(() => r.add('GET', '/u/:id/', 'x'), /Duplicate route: GET \/u\/:id\/ conflicts with GET \/u\/:id/);
  });

  test('ignoreTrailingSlash: "/files/*" also answers "/files" and "/files/" with an empty "*"', () => {
    const r = router([['GET', '/files/*'], ['GET', '/u/:id/files/*'], ['GET', '/*']], { ignoreTrailingSlash: true });
    assert.deepEqual(hit(r, 'GET', '/files'), { route: 'GET /files/*', params: { '*': '' } });
    assert.deepEqual(hit(r, 'GET', '/files/'), { route: 'GET /files/*', params: { '*': '' } });
    assert.deepEqual(hit(r, 'GET', '/files/a/b/')?.params, { '*': 'a/b' });
    assert.deepEqual(hit(r, 'GET', '/u/3/files'), { route: 'GET /u/:id/files/*', params: { id: '3', '*': '' } });
    assert.deepEqual(hit(r, 'GET', '/u/3/files/x')?.params, { id: '3', '*': 'x' });
    assert.deepEqual(hit(r, 'GET', '/'), { route: 'GET /*', params: { '*': '' } });
  });

  test('ignoreTrailingSlash: a real route beats the empty wildcard, in either registration order', () => {
    for (const order of [0, 1]) {
      const routes: Array<[string, string]> = [['GET', '/files/*'], ['GET', '/files'], ['GET', '/u/:id/f/*'], ['GET', '/u/:id/f']];
      if (order) routes.reverse();
      const r = router(routes, { ignoreTrailingSlash: true });
      assert.equal(hit(r, 'GET', '/files')?.route, 'GET /files');
      assert.equal(hit(r, 'GET', '/files/')?.route, 'GET /files');
      assert.equal(hit(r, 'GET', '/files/x')?.route, 'GET /files/*');
      assert.deepEqual(hit(r, 'GET', '/u/1/f/'), { route: 'GET /u/:id/f', params: { id: '1' } });
      assert.equal(r.routes().length, 4, 'the implicit route is not listed');
    }
  });
});

describe('case sensitivity', () => {
  test('default: case-sensitive', () => {
    const r = router([['GET', '/About'], ['GET', '/users/:id']]);
    assert.ok(r.find('GET', '/About'));
    assert.equal(r.find('GET', '/about'), null);
    assert.equal(r.find('GET', '/USERS/1'), null);
  });

  test('caseSensitive: false matches static text in any case; values keep theirs', () => {
    const r = router([['GET', '/About'], ['GET', '/Users/:Name/Repos'], ['GET', '/files/*'], ['GET', '/id/:id<uuid>']], { caseSensitive: false });
    assert.equal(hit(r, 'GET', '/about')?.route, 'GET /About');
    assert.equal(hit(r, 'GET', '/ABOUT')?.route, 'GET /About');
    assert.deepEqual(hit(r, 'GET', '/USERS/MoNa/rEpOs')?.params, { Name: 'MoNa' }, 'parameter names and values keep their case');
    assert.deepEqual(hit(r, 'GET', '/Files/A/B')?.params, { '*': 'A/B' });
    assert.ok(r.find('GET', '/ID/123E4567-E89B-12D3-A456-426614174000'));
    assert.throws(() => r.add('GET', '/ABOUT', 'x'), /Duplicate route: GET \/ABOUT conflicts with GET \/About/);
  });

  test('caseSensitive: false with escapes and non-ASCII patterns', () => {
    const r = router([['GET', '/café']], { caseSensitive: false });
    assert.ok(r.find('GET', '/CAF%C3%A9'));
    assert.ok(r.find('GET', '/caf%c3%a9'));
  });
});

describe('percent-decoding', () => {
  test('parameter values are decoded like decodeURIComponent; the path is matched raw', () => {
    const r = router([['GET', '/a/:x'], ['GET', '/a/:x/b']]);
    assert.equal(hit(r, 'GET', '/a/caf%C3%A9')?.params.x, 'café');
    assert.deepEqual(hit(r, 'GET', '/a/x%2Fy'), { route: 'GET /a/:x', params: { x: 'x/y' } }, '%2F stays inside one segment');
    assert.deepEqual(hit(r, 'GET', '/a/x%2Fb/b')?.params, { x: 'x/b' });
    assert.equal(hit(r, 'GET', '/a/a+b')?.params.x, 'a+b', '"+" is not a space in a path');
    assert.equal(hit(r, 'GET', '/a/%25')?.params.x, '%');
    assert.equal(hit(r, 'GET', '/a/%E2%82%AC%20')?.params.x, '€ ');
  });

  test('a malformed escape in a matched parameter throws HttpError 400', () => {
    const r = router([['GET', '/a/:x'], ['GET', '/w/*'], ['GET', '/n/:id<int>']]);
    throws400(() => r.find('GET', '/a/%zz'));
    throws400(() => r.find('GET', '/a/%'));
    throws400(() => r.find('GET', '/a/%E2%82'));
    throws400(() => r.find('GET', '/a/%C3'));
    throws400(() => r.find('GET', '/a/%ED%A0%80'));
    throws400(() => r.find('GET', '/w/ok/%G1'));
    throws400(() => r.find('GET', '/n/%zz'));
  });

  test('malformed escapes where no parameter takes them are not an error', () => {
    const r = router([['GET', '/a/:x'], ['GET', '/static']]);
    assert.equal(r.find('GET', '/%zz/b'), null);
    assert.equal(r.find('GET', '/static%zz'), null);
    assert.equal(r.find('POST', '/a/%zz'), null);
    assert.deepEqual(r.allowed('/a/%zz'), ['GET']);
  });
});

describe('conflicts', () => {
  test('duplicate routes name both', () => {
    const r = router([['GET', '/a'], ['GET', '/u/:id'], ['GET', '/f/*']]);
    assert.throws(() => r.add('GET', '/a', 'x'), { message: 'Duplicate route: GET /a conflicts with GET /a' });
    assert.throws(() => r.add('GET', '/u/:id', 'x'), { message: 'Duplicate route: GET /u/:id conflicts with GET /u/:id' });
    assert.throws(() => r.add('GET', '/f/*', 'x'), /Duplicate route: GET \/f\/\* conflicts with GET \/f\/\*/);
    r.add('POST', '/u/:id', 'x'); // another method: fine
  });

  test('conflicts are typed errors that carry both patterns (what a framework on top names)', () => {
    const r = router([['GET', '/u/:id'], ['GET', '/About'], ['GET', '/n/:id<int>']], { caseSensitive: false });
    const duplicate = (() => { try { r.add('GET', '/u/:userId', 'x'); } catch (e) { return e; } })();
    assert.ok(duplicate instanceof DuplicateRouteError && duplicate instanceof RouteConflictError);
    assert.deepEqual([duplicate.name, duplicate.method, duplicate.pattern, duplicate.existing], ['DuplicateRouteError', 'GET', '/u/:userId', '/u/:id']);
    assert.throws(() => r.add('GET', '/about', 'x'), (e: unknown) => e instanceof DuplicateRouteError && e.existing === '/About' && e.pattern === '/about');
    const conflict = (() => { try { r.add('GET', '/n/:id/posts', 'x'); } catch (e) { return e; } })();
    assert.ok(conflict instanceof RouteConflictError && !(conflict instanceof DuplicateRouteError));
    assert.deepEqual([conflict.name, conflict.pattern, conflict.existing], ['RouteConflictError', '/n/:id/posts', '/n/:id<int>']);
    // a rejected route leaves no trace: the original still answers
    assert.equal(r.find('GET', '/u/7')?.value, 'GET /u/:id');
  });

  test('different parameter names at one position are accepted; each match is named by its route', () => {
    const r = router([['GET', '/c/:id'], ['GET', '/c/:key/x'], ['GET', '/c/:name.:ext'], ['GET', '/c/:slug/comments/:commentId'], ['POST', '/c/:other']]);
    assert.deepEqual(hit(r, 'GET', '/c/1'), { route: 'GET /c/:id', params: { id: '1' } });
    assert.deepEqual(hit(r, 'GET', '/c/1/x'), { route: 'GET /c/:key/x', params: { key: '1' } });
    assert.deepEqual(hit(r, 'GET', '/c/a.pdf'), { route: 'GET /c/:name.:ext', params: { name: 'a', ext: 'pdf' } });
    assert.deepEqual(hit(r, 'GET', '/c/p/comments/7'), { route: 'GET /c/:slug/comments/:commentId', params: { slug: 'p', commentId: '7' } });
    assert.deepEqual(hit(r, 'POST', '/c/1'), { route: 'POST /c/:other', params: { other: '1' } });
    assert.deepEqual(r.allowed('/c/1/x'), ['GET']);
    // the same shape with another name is still a duplicate
    assert.throws(() => r.add('GET', '/c/:other/x', 'x'), /Duplicate route: GET \/c\/:other\/x conflicts with GET \/c\/:key\/x/);
  });

  test('a different constraint at one position names both routes', () => {
    const r = router([['GET', '/n/:id<int>'], ['GET', '/r/:id(\\d+)']]);
    assert.throws(() => r.add('GET', '/n/:id/posts', 'x'), /GET \/n\/:id\/posts constrains ":id" with no constraint where GET \/n\/:id<int> uses <int>/);
    assert.throws(() => r.add('GET', '/n/:id<uuid>/x', 'x'), /<uuid> where GET \/n\/:id<int> uses <int>/);
    assert.throws(() => r.add('GET', '/r/:id(\\d*)', 'x'), /\(\\d\*\) where GET \/r\/:id\(\\d\+\) uses \(\\d\+\)/);
    r.add('GET', '/n/:id<int>/posts', 'x'); // same constraint: fine
    r.add('GET', '/r/:id(\\d+)/x', 'x');
  });

  test('a rejected route leaves no trace', () => {
    const r = router([['GET', '/a/:x'], ['GET', '/b/c/:p/d']]);
    assert.throws(() => r.add('GET', '/a/:y<int>/b/:z', 'x'));
    assert.throws(() => r.add('GET', '/b/c/:q<int>', 'x'));
    r.add('GET', '/b/:p', 'x');
    assert.throws(() => r.add('GET', '/b/c/:p/d', 'x'), /Duplicate route/);
    assert.equal(r.find('GET', '/a/1/b/2'), null);
    assert.equal(r.find('GET', '/b/c/1'), null);
    assert.throws(() => r.add('GET', '/b/c/:z<int>/e', 'x'), /GET \/b\/c\/:z<int>\/e .*GET \/b\/c\/:p\/d/, 'the owner of :p is the route that was accepted');
    assert.deepEqual(r.routes().map((x) => x.join(' ')).sort(), ['GET /a/:x', 'GET /b/:p', 'GET /b/c/:p/d']);
  });

  test('malformed patterns', () => {
    const r = new RadixRouter<number>();
    assert.throws(() => r.add('GET', 'users', 1), /must start with "\/"/);
    assert.throws(() => r.add('GET', '', 1), /must start with "\/"/);
    assert.throws(() => r.add('GET', '/a?b', 1), /must not contain "\?" or "#"/);
    assert.throws(() => r.add('GET', '/a#b', 1), /must not contain/);
    assert.throws(() => r.add('GET', '/a/:', 1), /must be followed by a parameter name/);
    assert.throws(() => r.add('GET', '/a/:1x', 1), /must be followed by a parameter name/);
    assert.throws(() => r.add('GET', '/:a/:a', 1), /":a" appears twice/);
    assert.throws(() => r.add('GET', '/:__proto__', 1), /"__proto__" is not allowed/);
    assert.deepEqual(r.routes(), []);
  });
});

describe('allowed()', () => {
  const r = router([
    ['GET', '/users'],
    ['POST', '/users'],
    ['GET', '/users/:id'],
    ['PATCH', '/users/:id'],
    ['DELETE', '/users/:id'],
    ['PUT', '/files/*'],
    ['GET', '/n/:id<int>'],
    ['POST', '/n/new'],
  ]);

  test('lists the methods with a route for the path, in registration order', () => {
    assert.deepEqual(r.allowed('/users'), ['GET', 'POST']);
    assert.deepEqual(r.allowed('/users/5'), ['GET', 'PATCH', 'DELETE']);
    assert.deepEqual(r.allowed('/files/'), ['PUT']);
    assert.deepEqual(r.allowed('/files/a/b'), ['PUT']);
    assert.deepEqual(r.allowed('/n/1'), ['GET']);
    assert.deepEqual(r.allowed('/n/new'), ['POST'], 'static for POST, and <int> keeps GET out');
    assert.deepEqual(r.allowed('/n/x'), []);
    assert.deepEqual(r.allowed('/nope'), []);
    assert.deepEqual(r.allowed('/users/5/x'), []);
  });

  test('never throws on malformed escapes', () => {
    assert.deepEqual(r.allowed('/users/%zz'), ['GET', 'PATCH', 'DELETE']);
    assert.deepEqual(r.allowed('/n/%zz'), []);
  });

  test('follows the trailing-slash and case options', () => {
    const t = router([['GET', '/A'], ['PUT', '/A/:x']], { ignoreTrailingSlash: true, caseSensitive: false });
    assert.deepEqual(t.allowed('/a/'), ['GET']);
    assert.deepEqual(t.allowed('/a/Q/'), ['PUT']);
  });
});

describe('drop-in for Router', () => {
  test('add / find / allowed with the same shapes as router/router.ts', () => {
    const r = new RadixRouter<() => string>();
    const handler = (): string => 'hi';
    r.add('GET', '/hello', handler);
    const m: Match<() => string> | null = r.find('GET', '/hello');
    assert.equal(m?.value(), 'hi');
    assert.deepEqual(r.allowed('/hello'), ['GET']);
    assert.equal(r.caseSensitive, true);
    assert.equal(r.ignoreTrailingSlash, false);
  });

  test('shared prefixes are compressed', () => {
    const r = router([['GET', '/repos/:owner/:repo/issues'], ['GET', '/repos/:owner/:repo/issues/:n'], ['GET', '/repos/:owner/:repo/pulls']]);
    const tables = (r as unknown as { tables: Map<string, { root: Parameters<typeof countNodes>[0] }> }).tables;
    // "/repos/" → :owner → "/" → :repo → "/" → { "issues" → "/" → :n, "pulls" }
    assert.equal(countNodes(tables.get('GET')!.root), 9);
  });

  test('many parameters in one route', () => {
    const pattern = Array.from({ length: 40 }, (_, i) => `/:p${i}`).join('');
    const r = router([['GET', pattern]]);
    const m = r.find('GET', Array.from({ length: 40 }, (_, i) => `/v${i}`).join(''));
    assert.equal(m?.params.p39, 'v39');
    assert.equal(Object.keys(m!.params).length, 40);
  });
});

// ---------------------------------------------------------------------------------------------
// Randomized cross-check against a naive matcher on the benchmark's route table

type Table = Array<[method: string, path: string]>;
interface RoutesModule {
  routes: Table;
  samplePath(pattern: string, i?: number, variant?: number): string;
}

/**
 * The obvious matcher: split into segments, keep the routes that match, rank each by its
 * segments (static 0 < parameter 1 < wildcard 2) and take the lexicographically smallest.
 * Valid for tables whose parameters are whole segments, as the benchmark's are.
 */
function reference(table: Table, options: { ignoreTrailingSlash: boolean; caseSensitive: boolean }) {
  const norm = (s: string): string => (options.caseSensitive ? s : s.toLowerCase());
  // bucketed by method and first segment, only to keep the test fast (every pattern of the table starts with static text)
  const buckets = new Map<string, Array<{ index: number; segs: string[] }>>();
  table.forEach(([method, pattern], index) => {
    const segs = pattern.split('/').slice(1);
    const key = `${method} ${norm(segs[0]!)}`;
    if (!buckets.has(key)) buckets.set(key, []);
    buckets.get(key)!.push({ index, segs });
  });
  return function match(method: string, path: string, decode: boolean): { index: number; params: Record<string, string> } | null | 'error' {
    if (options.ignoreTrailingSlash && path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    const segs = path.split('/').slice(1);
    let best: { index: number; params: Record<string, string>; rank: number[]; alias: boolean } | null = null;
    for (const route of buckets.get(`${method} ${norm(segs[0]!)}`) ?? []) {
      const attempt = (psegs: string[], alias: boolean): void => {
        const rank: number[] = [];
        const params: Record<string, string> = {};
        for (let j = 0; j < psegs.length; j++) {
          const ps = psegs[j]!;
          if (ps === '*') {
            if (j >= segs.length) return;
            params['*'] = segs.slice(j).join('/');
            rank.push(2);
            break;
          }
          if (j >= segs.length) return;
          if (ps.startsWith(':')) {
            if (segs[j] === '') return;
            params[ps.slice(1)] = segs[j]!;
            rank.push(1);
          } else {
            if (norm(ps) !== norm(segs[j]!)) return;
            rank.push(0);
          }
          if (j === psegs.length - 1 && segs.length !== psegs.length) return;
        }
        if (alias) params['*'] = '';
        const better =
          best === null ||
          (() => {
            for (let k = 0; k < Math.min(rank.length, best.rank.length); k++) if (rank[k] !== best.rank[k]) return rank[k]! < best.rank[k]!;
            return best.alias && !alias;
          })();
        if (better) best = { index: route.index, params, rank, alias };
      };
      attempt(route.segs, false);
      if (options.ignoreTrailingSlash && route.segs.at(-1) === '*' && route.segs.length > 1) attempt(route.segs.slice(0, -1), true);
    }
    if (best === null) return null;
    const found = best as { index: number; params: Record<string, string> };
    if (!decode) return found;
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(found.params)) {
      try {
        params[k] = decodeURIComponent(v);
      } catch {
        return 'error';
      }
    }
    return { index: found.index, params };
  };
}

describe('randomized cross-check against a naive matcher (benchmark table)', async () => {
  const mod = (await import(new URL('../../../benches/micro/routes.mjs', import.meta.url).href)) as RoutesModule;
  const { routes, samplePath } = mod;

  let seed = 1234;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(random() * xs.length)]!;
  const words = [...new Set(routes.flatMap(([, p]) => p.split('/')).filter((s) => s !== '' && !s.startsWith(':') && s !== '*'))];
  const values = ['1', '42', 'mona', 'a%20b', 'x%2Fy', '%E2%82%AC', 'MiXeD', '%zz', '%', 'a.b', 'latest', 'public', 'comments', 'events', ''];
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];

  function randomPath(): string {
    const [, pattern] = pick(routes);
    let segs = samplePath(pattern, Math.floor(random() * 1000)).split('/').slice(1);
    const edits = Math.floor(random() * 3);
    for (let e = 0; e < edits && segs.length > 0; e++) {
      const k = Math.floor(random() * segs.length);
      const r = random();
      if (r < 0.3) segs[k] = pick(values);
      else if (r < 0.5) segs[k] = pick(words);
      else if (r < 0.6) segs = segs.slice(0, k + 1);
      else if (r < 0.7) segs.push(pick([...values, ...words]));
      else if (r < 0.8) segs[k] = segs[k]!.toUpperCase();
      else if (r < 0.9) segs.push('');
      else segs.splice(k, 1);
    }
    return `/${segs.join('/')}`;
  }

  for (const options of [
    { ignoreTrailingSlash: false, caseSensitive: true },
    { ignoreTrailingSlash: true, caseSensitive: true },
    { ignoreTrailingSlash: false, caseSensitive: false },
    { ignoreTrailingSlash: true, caseSensitive: false },
  ]) {
    test(`find() and allowed() agree on 10000 random paths (${JSON.stringify(options)})`, () => {
      const r = new RadixRouter<number>(options);
      routes.forEach(([method, path], i) => r.add(method, path, i));
      const ref = reference(routes, options);
      let matched = 0;
      for (let n = 0; n < 10000; n++) {
        const path = n < routes.length ? samplePath(routes[n]![1], n) : randomPath();
        const method = n < routes.length ? routes[n]![0] : pick(methods);
        const expected = ref(method, path, true);
        let actual: ReturnType<typeof ref>;
        try {
          const m = r.find(method, path);
          actual = m === null ? null : { index: m.value, params: { ...m.params } };
        } catch (error) {
          assert.ok(error instanceof HttpError && error.status === 400, String(error));
          actual = 'error';
        }
        if (JSON.stringify(actual) !== JSON.stringify(expected)) assert.deepEqual(actual, expected, `${method} ${path}`);
        if (actual !== null) matched++;
        const allowed = methods.filter((m) => ref(m, path, false) !== null).join();
        const got = [...r.allowed(path)].sort().join();
        if (got !== [...allowed.split(',')].sort().join()) assert.equal(got, allowed, `allowed(${path})`);
      }
      assert.ok(matched > 1500, `enough of the random paths match (${matched})`);
    });
  }
});
