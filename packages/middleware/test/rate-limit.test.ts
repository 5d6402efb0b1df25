// Rate limits on the memory store: the three algorithms against a controlled clock, keys,
// headers, the 429 answer, skip/cost, and configuration mistakes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '@armature/core';
import { MemoryStore, rateLimit, type RatePolicy } from '@armature/middleware/rate-limit';

const fixed: RatePolicy = { algorithm: 'fixed-window', limit: 3, windowMs: 1000 };
const sliding: RatePolicy = { algorithm: 'sliding-window', limit: 10, windowMs: 1000 };
const bucket: RatePolicy = { algorithm: 'token-bucket', limit: 4, windowMs: 1000 };

const hits = (store: MemoryStore, p: RatePolicy, now: number, n: number) => {
  let allowed = 0;
  for (let i = 0; i < n; i++) if (store.hit('k', p, 1, now).allowed) allowed++;
  return allowed;
};

test('fixed window: limit per window from the first hit, refused hits not counted, reset after the window', () => {
  const s = new MemoryStore();
  const first = s.hit('k', fixed, 1, 10_000);
  assert.deepEqual({ ...first }, { allowed: true, remaining: 2, resetMs: 1000, retryAfterMs: 0 });
  assert.equal(hits(s, fixed, 10_500, 5), 2);
  const refused = s.hit('k', fixed, 1, 10_900);
  assert.equal(refused.allowed, false);
  assert.equal(refused.retryAfterMs, 100);
  assert.equal(s.hit('k', fixed, 1, 11_000).allowed, true);
  s.close();
});

test('sliding window: the previous window counts, weighted by its overlap', () => {
  const s = new MemoryStore();
  assert.equal(hits(s, sliding, 5_000, 10), 10); // window 5, full
  // at 6.5 s the previous window still weighs half: 5 of 10 left
  assert.equal(hits(s, sliding, 6_500, 10), 5);
  const refused = s.hit('k', sliding, 1, 6_500);
  assert.equal(refused.allowed, false);
  assert.ok(refused.retryAfterMs > 0 && refused.retryAfterMs <= 1500, `retry ${refused.retryAfterMs}`);
  // two windows later nothing is left of the burst
  assert.equal(hits(s, sliding, 8_000, 10), 10);
  s.close();
});

test('token bucket: a burst of limit, then limit per window, refilled continuously', () => {
  const s = new MemoryStore();
  assert.equal(hits(s, bucket, 1_000, 10), 4);
  const refused = s.hit('k', bucket, 1, 1_000);
  assert.equal(refused.allowed, false);
  assert.equal(refused.retryAfterMs, 250); // one token per 250 ms
  assert.equal(hits(s, bucket, 1_250, 3), 1);
  assert.equal(hits(s, bucket, 3_000, 10), 4); // full again, never above limit
  s.close();
});

test('the memory store is bounded: past maxKeys the oldest keys go', () => {
  const s = new MemoryStore({ maxKeys: 100 });
  for (let i = 0; i < 1000; i++) s.hit(`key${i}`, fixed, 1, 1_000);
  assert.ok(s.size <= 100, `size ${s.size}`);
  s.close();
});

function app(options: Parameters<typeof rateLimit>[0]) {
  const a = createApp();
  a.use(rateLimit(options));
  a.get('/a', () => 'a');
  a.get('/b', () => 'b');
  a.get('/health', () => 'ok');
  return a;
}

test('middleware: IETF RateLimit fields, then 429 problem+json with Retry-After', async () => {
  const a = app({ limit: 2, window: '1m' });
  const one = await a.inject({ url: '/a', remoteAddress: '10.0.0.1' });
  assert.equal(one.statusCode, 200);
  assert.equal(one.headers['ratelimit-policy'], '"default";q=2;w=60');
  assert.equal(one.headers.ratelimit, '"default";r=1;t=60');
  await a.inject({ url: '/a', remoteAddress: '10.0.0.1' });
  const three = await a.inject({ url: '/a', remoteAddress: '10.0.0.1' });
  assert.equal(three.statusCode, 429);
  assert.match(String(three.headers['content-type']), /application\/problem\+json/);
  assert.equal(three.headers['retry-after'], '60');
  assert.equal(three.headers.ratelimit, '"default";r=0;t=60');
  const problem = three.json<{ status: number; detail: string }>();
  assert.equal(problem.status, 429);
  assert.match(problem.detail, /2 per 60 s/);
  // another client has its own quota
  assert.equal((await a.inject({ url: '/a', remoteAddress: '10.0.0.2' })).statusCode, 200);
});

test('keys: by client address behind a trusted proxy, by route, by function; skip and cost', async () => {
  const proxied = createApp({ trustProxy: '127.0.0.1' });
  proxied.use(rateLimit({ limit: 1, window: 60_000 }));
  proxied.get('/a', () => 'a');
  const via = (ip: string) => proxied.inject({ url: '/a', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': ip } });
  assert.equal((await via('203.0.113.1')).statusCode, 200);
  assert.equal((await via('203.0.113.2')).statusCode, 200);
  assert.equal((await via('203.0.113.1')).statusCode, 429);

  const byRoute = app({ limit: 1, window: 60_000, key: 'route' });
  assert.equal((await byRoute.inject({ url: '/a', remoteAddress: '1.1.1.1' })).statusCode, 200);
  assert.equal((await byRoute.inject({ url: '/a', remoteAddress: '2.2.2.2' })).statusCode, 429);
  assert.equal((await byRoute.inject({ url: '/b', remoteAddress: '2.2.2.2' })).statusCode, 200);

  const byKey = app({ limit: 3, window: 60_000, key: (ctx) => ctx.req.headers.get('x-api-key') ?? 'anonymous', cost: (ctx) => (ctx.path === '/b' ? 3 : 1), skip: (ctx) => ctx.path === '/health' });
  assert.equal((await byKey.inject({ url: '/b', headers: { 'x-api-key': 'k1' } })).statusCode, 200);
  assert.equal((await byKey.inject({ url: '/a', headers: { 'x-api-key': 'k1' } })).statusCode, 429);
  assert.equal((await byKey.inject({ url: '/a', headers: { 'x-api-key': 'k2' } })).statusCode, 200);
  for (let i = 0; i < 5; i++) assert.equal((await byKey.inject({ url: '/health', headers: { 'x-api-key': 'k1' } })).statusCode, 200);
});

test('headers: false leaves the RateLimit fields out but 429s keep Retry-After', async () => {
  const a = app({ limit: 1, window: '10s', headers: false, algorithm: 'token-bucket' });
  const ok = await a.inject('/a');
  assert.equal(ok.headers.ratelimit, undefined);
  const no = await a.inject('/a');
  assert.equal(no.statusCode, 429);
  assert.equal(no.headers['retry-after'], '10');
});

test('configuration mistakes are refused at start-up', () => {
  assert.throws(() => rateLimit({ limit: 0, window: 1000 }), /limit must be/);
  assert.throws(() => rateLimit({ limit: 1, window: 'soon' }), /not a duration/);
  assert.throws(() => rateLimit({ limit: 1, window: 1000, algorithm: 'leaky' as never }), /unknown algorithm/);
  assert.throws(() => rateLimit({ limit: 1, window: 1000, name: 'has space' }), /name/);
  const store = new MemoryStore();
  rateLimit({ limit: 1, window: 1000, store });
  assert.throws(() => rateLimit({ limit: 1, window: 1000, store }), /share one store/);
  rateLimit({ limit: 1, window: 1000, store, name: 'login' });
  store.close();
});
