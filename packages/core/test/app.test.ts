import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../src/index.js';

test('routes with parameters, constraints and wildcards through the app', async () => {
  const app = createApp({ onError: () => {} });
  app.get('/users/:id<int>', (ctx) => ({ user: Number(ctx.params.id) }));
  app.get('/users/me', () => ({ user: 'me' }));
  app.get('/users/:id<int>/posts/:postId', (ctx) => {
    const { id, postId } = ctx.params;
    // @ts-expect-error: the path has no :slug
    void ctx.params.slug;
    return `${id}/${postId}`;
  });
  app.get('/files/*', (ctx) => ctx.params['*']);
  app.post('/users', () => ({ created: true }));

  assert.deepEqual((await app.inject('/users/42')).json(), { user: 42 });
  assert.deepEqual((await app.inject('/users/me')).json(), { user: 'me' });
  assert.equal((await app.inject('/users/abc')).statusCode, 404);
  assert.equal((await app.inject('/users/7/posts/hello%20world')).body, '7/hello world');
  assert.equal((await app.inject('/files/a/b.txt')).body, 'a/b.txt');

  const malformed = await app.inject('/users/1/posts/%E0%A4%A');
  assert.equal(malformed.statusCode, 400);
  assert.match(malformed.json<{ detail: string }>().detail, /percent-encoding/);

  const wrong = await app.inject({ method: 'PUT', url: '/users' });
  assert.equal(wrong.statusCode, 405);
  assert.equal(wrong.headers.allow, 'POST');
  const options = await app.inject({ method: 'OPTIONS', url: '/users/5' });
  assert.equal(options.statusCode, 204);
  assert.equal(options.headers.allow, 'GET, HEAD, OPTIONS');
  const head = await app.inject({ method: 'HEAD', url: '/users/5' });
  assert.equal(head.statusCode, 200);
  assert.equal(head.body, '');
});

test('registration conflicts are reported at start-up, naming both routes', () => {
  const app = createApp();
  app.get('/users/:id', () => 'a');
  assert.throws(() => app.get('/users/:id<int>/posts', () => 'b'), /\/users\/:id.*\/users\/:id<int>\/posts|\/users\/:id<int>\/posts.*\/users\/:id/s);
  app.get('/users/:userId/posts', () => 'b'); // another name at one position is fine: params are named per route
  assert.throws(() => app.get('/users/:id', () => 'c'), /\/users\/:id/);
});
