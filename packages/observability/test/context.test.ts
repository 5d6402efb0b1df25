// The request context: a plain singleton-like service sees the current request through awaits,
// timers and concurrent requests without mixing them up; nothing outside a request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from '@armature/core';
import { currentRequest, requestContext, requireRequest } from '@armature/observability/context';

const service = {
  async whoAsks(): Promise<string> {
    await sleep(Math.random() * 10);
    const request = requireRequest();
    await new Promise((r) => setImmediate(r));
    return `${request.id}:${String(request.user)}:${String(request.get('tenant'))}:${request.ctx.path}`;
  },
};

test('services see their own request across awaits, with concurrent requests', async () => {
  const app = createApp();
  app.use(requestContext());
  app.use((ctx, next) => {
    ctx.state.user = ctx.get('x-user');
    currentRequest()!.set('tenant', ctx.query.tenant);
    return next();
  });
  app.get('/who/:n', () => service.whoAsks());
  const answers = await Promise.all(
    Array.from({ length: 40 }, (_, i) => app.inject({ url: `/who/${i}?tenant=t${i}`, headers: { 'x-user': `u${i}`, 'x-request-id': `id-${i}` } })),
  );
  answers.forEach((r, i) => assert.equal(r.body, `id-${i}:u${i}:t${i}:/who/${i}`));
});

test('outside a request: undefined, or a clear error', () => {
  assert.equal(currentRequest(), undefined);
  assert.throws(() => requireRequest(), /No request context here/);
});

test('ids: the request-id middleware\'s, else a made-up one; locale from the i18n middleware', async () => {
  const app = createApp();
  app.use(requestContext());
  app.use((ctx, next) => {
    ctx.state.locale = 'fr';
    if (ctx.path === '/given') ctx.state.requestId = 'from-middleware';
    return next();
  });
  app.get('/given', () => `${requireRequest().id} ${requireRequest().locale}`);
  app.get('/made', () => requireRequest().id);
  assert.equal((await app.inject('/given')).body, 'from-middleware fr');
  const made = (await app.inject({ url: '/made', headers: { 'x-request-id': 'bad id' } })).body;
  assert.match(made, /^[0-9a-z]+-[0-9a-z]+$/);
});
