// Media types for the body readers (app/media-type.ts): Content-Type parsing per RFC 9110
// (quoted strings, quoted-pairs), RFC 6838 names, and the patterns a reader accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesMediaType, mediaPatterns, parseMediaType } from '../src/app/media-type.js';
import { createApp, type InjectResult } from '../src/index.js';

const problem = (r: InjectResult) => r.json<{ status: number; detail: string }>();

test('parseMediaType: essence, charset, quoted strings with ; and quoted-pairs', () => {
  assert.deepEqual(parseMediaType(undefined), { essence: '', charset: undefined, valid: true });
  assert.deepEqual(parseMediaType('Application/JSON'), { essence: 'application/json', charset: undefined, valid: true });
  assert.deepEqual(parseMediaType(' text/plain ; Charset = "UTF-8" '.replace(' = ', '=')), { essence: 'text/plain', charset: 'utf-8', valid: true });
  // a quoted string may hold ';' and '=': it is one parameter's value, not another parameter
  assert.deepEqual(parseMediaType('application/json; foo="a; charset=latin1"'), { essence: 'application/json', charset: undefined, valid: true });
  assert.deepEqual(parseMediaType('application/json; foo="a; charset=latin1"; charset=utf-8'), { essence: 'application/json', charset: 'utf-8', valid: true });
  assert.equal(parseMediaType('text/plain; charset="iso\\-8859\\-1"').charset, 'iso-8859-1');
  assert.equal(parseMediaType('text/plain; x="a\\"; charset=latin1"').charset, undefined);
  assert.equal(parseMediaType('text/plain; x="\\\\"; charset=latin1').charset, 'latin1');
  assert.equal(parseMediaType('text/plain;;; charset=utf-8;').charset, 'utf-8');
  assert.equal(parseMediaType('application/vnd.api+json;charset=utf-8').essence, 'application/vnd.api+json');
});

test('parseMediaType: malformed values are refused, not read by prefix', () => {
  for (const bad of [
    '', 'text', 'text/', '/plain', 'text/html**', 'text/*', '*/*', 'text /plain', 'text/plain garbage', 'text/plain; charset',
    'text/plain; =x', 'text/plain; charset="utf-8', 'text/plain; charset="a\\', 'text/plain; charset=utf-8; charset=latin1',
    'application/json, text/html', 'te\u00e9xt/plain', `text/${'a'.repeat(128)}`, 'text/plain; a=b c',
  ]) {
    assert.equal(parseMediaType(bad).valid, false, JSON.stringify(bad));
    assert.equal(parseMediaType(bad).essence, '', JSON.stringify(bad));
  }
});

test('parseMediaType is linear on hostile input', () => {
  // per-call time: the best of three rounds of at least 20 ms each (a loaded machine only slows rounds)
  const parse = (s: string): number => {
    let best = Infinity;
    for (let round = 0; round < 3; round++) {
      let calls = 0;
      const start = process.hrtime.bigint();
      let elapsed = 0;
      while (elapsed < 20e6) {
        parseMediaType(s);
        calls++;
        elapsed = Number(process.hrtime.bigint() - start);
      }
      best = Math.min(best, elapsed / calls);
    }
    return best;
  };
  const size = 200_000;
  const inputs = [
    'text/plain' + '; a="\\"'.repeat(size / 7),
    'text/plain' + '; a="\\""'.repeat(size / 8),
    'text/plain' + ';'.repeat(size),
    'text/plain; a="' + '\\a'.repeat(size / 2),
    'text/plain' + ' '.repeat(size) + 'x',
    'a'.repeat(size),
  ];
  // flat strings, as header values are (a rope from repeat() is slower to index)
  const flat = (s: string): string => Buffer.from(s, 'latin1').toString('latin1');
  const big = inputs.map(flat);
  const small = inputs.map((s) => flat(s.slice(0, s.length / 10)));
  for (let i = 0; i < inputs.length; i++) parseMediaType(big[i]!), parseMediaType(small[i]!); // warm up
  for (let i = 0; i < inputs.length; i++) {
    const ratio = parse(big[i]!) / Math.max(parse(small[i]!), 1);
    // linear: ten times the input costs about ten times as much; quadratic would be ~100
    assert.ok(ratio < 35, `input ${i}: ×${ratio.toFixed(1)} for ×10 the length`);
  }
});

test('patterns: */subtype and */*+suffix match; malformed patterns are refused', () => {
  assert.ok(matchesMediaType('application/json', mediaPatterns('*/json')));
  assert.ok(matchesMediaType('text/json', mediaPatterns('*/JSON')));
  assert.ok(!matchesMediaType('application/jsonx', mediaPatterns('*/json')));
  assert.ok(matchesMediaType('application/ld+json', mediaPatterns('*/*+json')));
  assert.ok(matchesMediaType('application/ld+json', mediaPatterns('application/*+json')));
  assert.ok(!matchesMediaType('application/+json', mediaPatterns('application/*+json')));
  assert.ok(!matchesMediaType('application/json', mediaPatterns('application/*+json')));
  assert.ok(matchesMediaType('image/png', mediaPatterns(['image/jpeg', 'image/*'])));
  assert.ok(!matchesMediaType('', mediaPatterns('text/*')));
  for (const bad of ['json', '/json', 'text/', 'text/html**', '**/json', 'text/*json', 'text/+json', 'a b/c', '*/*+']) {
    assert.throws(() => mediaPatterns(bad), TypeError, bad);
  }
});

test('readers: */json matches, a latin1 charset hidden in a quoted string is not taken, malformed types → 415', async () => {
  const app = createApp();
  app.post('/any-json', async (ctx) => ctx.json({ type: '*/json' }));
  app.post('/json', async (ctx) => ctx.json());
  app.post('/text', async (ctx) => ({ text: await ctx.text() }));
  const post = (url: string, type: string, body: string | Buffer) => app.inject({ method: 'POST', url, headers: { 'content-type': type }, body });

  assert.deepEqual((await post('/any-json', 'text/json', '{"a":1}')).json(), { a: 1 });
  assert.deepEqual((await post('/any-json', 'application/json', '[1]')).json(), [1]);
  assert.equal((await post('/any-json', 'application/xml', '[1]')).statusCode, 415);

  const quoted = await post('/json', 'application/json; foo="a; charset=latin1"', '{"é":"ü"}');
  assert.equal(quoted.statusCode, 200, quoted.body);
  assert.deepEqual(quoted.json(), { é: 'ü' });
  assert.equal((await post('/json', 'application/json; charset="latin1"', '{}')).statusCode, 415);

  assert.deepEqual((await post('/text', 'text/plain; x="; charset=latin1"', Buffer.from('é'))).json(), { text: 'é' });
  assert.deepEqual((await post('/text', 'text/plain; charset="latin1"', Buffer.from([0xe9]))).json(), { text: 'é' });
  for (const type of ['text/html**', 'text/', 'text', 'text/plain; charset', 'text/plain, text/html', 'text/plain; x="<script>']) {
    const r = await post('/text', type, 'hello');
    assert.equal(r.statusCode, 415, type);
    assert.match(problem(r).detail, /got a malformed Content-Type/);
    assert.ok(!r.body.includes('script'));
  }
  // a charset is named only when it looks like one
  const odd = await post('/text', 'text/plain; charset="<b>x</b>"', 'x');
  assert.equal(odd.statusCode, 415);
  assert.ok(!odd.body.includes('<b>'), odd.body);
  assert.match(problem(await post('/text', 'text/plain; charset=klingon', 'x')).detail, /Unsupported charset=klingon/);
  assert.match(problem(await post('/json', 'application/json; charset="<i>"', '{}')).detail, /JSON must be UTF-8, got charset \(not a charset name\)/);
  const wrong = await post('/text', 'image/png', 'x');
  assert.match(problem(wrong).detail, /got Content-Type image\/png/);
});
