// ETags: weak tags on complete 200 GET/HEAD bodies, 304 on If-None-Match (weak comparison,
// lists, *), left alone for other methods, statuses, streams and tags the handler set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createApp } from '@armature/core';
import { etag, entityTag, noneMatch } from '@armature/middleware/etag';

function app(options?: Parameters<typeof etag>[0]) {
  const a = createApp();
  a.use(etag(options));
  a.get('/doc', () => ({ hello: 'world' }));
  a.post('/doc', () => ({ posted: true }));
  a.get('/missing', (ctx) => ctx.status(404) && { error: 'no' });
  a.get('/stream', () => Readable.from(['a', 'b']));
  a.get('/own', (ctx) => {
    ctx.set('ETag', '"v7"');
    return 'mine';
  });
  return a;
}

test('a complete 200 body gets a weak ETag; If-None-Match with it answers 304 without a body', async () => {
  const a = app();
  const first = await a.inject('/doc');
  const tag = first.headers.etag as string;
  assert.match(tag, /^W\/"[0-9a-f]+-[A-Za-z0-9_-]+"$/);
  assert.equal(tag, entityTag(JSON.stringify({ hello: 'world' })));
  const again = await a.inject({ url: '/doc', headers: { 'if-none-match': tag } });
  assert.equal(again.statusCode, 304);
  assert.equal(again.body, '');
  assert.equal(again.headers.etag, tag);
  assert.equal(again.headers['content-type'], undefined);
  // a list, the strong form of the same tag (weak comparison), and *
  for (const field of [`"nope", ${tag}`, tag.slice(2), '*']) {
    assert.equal((await a.inject({ url: '/doc', headers: { 'if-none-match': field } })).statusCode, 304, field);
  }
  assert.equal((await a.inject({ url: '/doc', headers: { 'if-none-match': '"other"' } })).statusCode, 200);
  const head = await a.inject({ method: 'HEAD', url: '/doc', headers: { 'if-none-match': tag } });
  assert.equal(head.statusCode, 304);
});

test('strong tags by option; other methods, statuses, streams and handler-set tags are left alone', async () => {
  const strong = await app({ weak: false }).inject('/doc');
  assert.match(strong.headers.etag as string, /^"/);
  const a = app();
  assert.equal((await a.inject({ method: 'POST', url: '/doc' })).headers.etag, undefined);
  assert.equal((await a.inject('/missing')).headers.etag, undefined);
  const stream = await a.inject('/stream');
  assert.equal(stream.body, 'ab');
  assert.equal(stream.headers.etag, undefined);
  assert.equal((await a.inject('/own')).headers.etag, '"v7"');
});

test('If-None-Match parsing is linear and tolerant of junk', () => {
  assert.equal(noneMatch('W/"a", junk, "b"', '"b"'), true);
  assert.equal(noneMatch('"unterminated', '"unterminated"'), false);
  const hostile = 'W/'.repeat(50_000) + ',"x'.repeat(50_000);
  const start = performance.now();
  assert.equal(noneMatch(hostile, '"y"'), false);
  assert.ok(performance.now() - start < 1000);
});
