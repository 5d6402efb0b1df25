// Request ids: a well-formed incoming id is kept, a bad one replaced, one generated otherwise;
// echoed and on ctx.state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '@armature/core';
import { requestId, requestIdOf } from '@armature/middleware/request-id';

function app(options?: Parameters<typeof requestId>[0]) {
  const a = createApp();
  a.use(requestId(options));
  a.get('/', (ctx) => ({ id: requestIdOf(ctx) }));
  return a;
}

test('generates a UUID when none is sent, echoes it, and exposes it to the handler', async () => {
  const r = await app().inject('/');
  const id = r.headers['x-request-id'] as string;
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(r.json<{ id: string }>().id, id);
  const again = await app().inject('/');
  assert.notEqual(again.headers['x-request-id'], id);
});

test('keeps a well-formed incoming id; replaces malformed or oversized ones', async () => {
  const a = app();
  const kept = await a.inject({ url: '/', headers: { 'x-request-id': 'edge-1234:abc/def' } });
  assert.equal(kept.headers['x-request-id'], 'edge-1234:abc/def');
  for (const bad of ['has space', 'quote"', 'x'.repeat(129), 'semi;colon', '']) {
    const r = await a.inject({ url: '/', headers: { 'x-request-id': bad } });
    assert.notEqual(r.headers['x-request-id'], bad);
    assert.match(String(r.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  }
});

test('custom header, no trust, custom generator', async () => {
  let n = 0;
  const r = await app({ header: 'X-Correlation-Id', trustIncoming: false, generate: () => `req-${++n}` }).inject({ url: '/', headers: { 'x-correlation-id': 'client-chosen' } });
  assert.equal(r.headers['x-correlation-id'], 'req-1');
  assert.throws(() => requestId({ header: 'bad header' }), /invalid header name/);
});
