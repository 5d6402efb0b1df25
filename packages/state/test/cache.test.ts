// Cache: get/set/del/wrap/clear, TTL, tags (an invalidation while a value is computed wins), in
// memory; the same against the machine's Redis with RedisCacheStore, and tag invalidation that
// crosses processes (two caches on two clients stand for two machines).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { Cache, MemoryCacheStore, RedisCacheStore, redisSync } from '@armature/state';
import { REDIS_URL, redisUnreachable } from '../../../scripts/test-support/redis-probe.js';

test('get, set, del, clear and TTLs (the cache default, per entry, none)', async () => {
  const cache = new Cache({ ttl: 40 });
  await cache.set('a', { n: 1 });
  await cache.set('b', 'kept', 0);
  await cache.set('c', 3, { ttl: 1000 });
  assert.deepEqual(await cache.get('a'), { n: 1 });
  await sleep(60);
  assert.equal(await cache.get('a'), undefined);
  assert.equal(await cache.get('b'), 'kept');
  assert.equal(await cache.get('c'), 3);
  assert.equal(await cache.del('c'), true);
  assert.equal(await cache.del('c'), false);
  await cache.clear();
  assert.equal(await cache.get('b'), undefined);
  await assert.rejects(cache.set('u', undefined), /undefined/);
  await assert.rejects(cache.set('x', 1, -5), RangeError);
  await assert.rejects(async () => cache.get(''), /non-empty string/);
  assert.throws(() => new Cache({ ttl: Number.NaN }), RangeError);
  await assert.rejects(cache.invalidateTags('products' as never), /array/);
});

test('wrap() computes once under concurrent misses, stores the value, and does not store a failure', async () => {
  const cache = new Cache();
  let calls = 0;
  const slow = async () => {
    calls++;
    await sleep(20);
    return { price: 10 };
  };
  const all = await Promise.all(Array.from({ length: 20 }, () => cache.wrap('p', slow, 1000)));
  assert.ok(all.every((v) => v.price === 10));
  assert.equal(calls, 1);
  assert.deepEqual(await cache.wrap('p', slow), { price: 10 });
  assert.equal(calls, 1);
  await assert.rejects(cache.wrap('bad', () => Promise.reject(new Error('db down'))), /db down/);
  assert.equal(await cache.wrap('bad', () => 'ok'), 'ok');
});

test('tags: invalidateTags() turns every entry of a tag into a miss; an invalidation during wrap() wins', async () => {
  const cache = new Cache({ store: new MemoryCacheStore({ max: 100 }) });
  await cache.set('p1', 1, { tags: ['products', 'p:1'] });
  await cache.set('p2', 2, { tags: ['products'] });
  await cache.set('u1', 3, { tags: ['users'] });
  await cache.invalidateTags(['p:1']);
  assert.equal(await cache.get('p1'), undefined);
  assert.equal(await cache.get('p2'), 2);
  await cache.invalidateTags(['products']);
  assert.equal(await cache.get('p2'), undefined);
  assert.equal(await cache.get('u1'), 3);
  // stored again after the invalidation: current
  await cache.set('p2', 22, { tags: ['products'] });
  assert.equal(await cache.get('p2'), 22);
  // the value was computed before the invalidation finished: not stored as current
  let started!: () => void;
  const computing = new Promise<void>((r) => (started = r));
  const pending = cache.wrap('p3', async () => {
    started();
    await sleep(20);
    return 'computed from old data';
  }, { tags: ['products'] });
  await computing;
  await cache.invalidateTags(['products']);
  assert.equal(await pending, 'computed from old data');
  assert.equal(await cache.get('p3'), undefined);
});

// ---- Redis --------------------------------------------------------------------------------------

const clients: Redis[] = [];
let reason: string | null = null;
before(async () => {
  reason = await redisUnreachable('the Redis cache tests');
  if (reason === null) for (let i = 0; i < 2; i++) clients.push(new Redis(REDIS_URL));
});
after(() => clients.forEach((c) => c.disconnect()));

test('RedisCacheStore: shared entries, Redis TTLs, clear() of its prefix only, tags invalidated across machines', async (t) => {
  if (clients.length === 0) return t.skip(reason!);
  const prefix = `cache-test:${randomUUID()}:`;
  const name = `cache-test-${randomUUID()}`;
  const [c1, c2] = clients as [Redis, Redis];
  const a = await new Cache({ store: new RedisCacheStore({ client: c1, prefix }), name }).ready;
  const b = await new Cache({ store: new RedisCacheStore({ client: c2, prefix }), name }).ready;
  await a.set('user:1', { name: 'Ada' }, { ttl: 60_000, tags: ['users'] });
  assert.deepEqual(await b.get('user:1'), { name: 'Ada' }, 'machine b reads what a stored');
  const pttl = await c1.pttl(`${prefix}user:1`);
  assert.ok(pttl > 50_000 && pttl <= 60_000, `Redis expiry ${pttl}`);
  await a.set('short', 1, 30);
  await sleep(60);
  assert.equal(await b.get('short'), undefined);
  // tags: b invalidates, a sees the miss
  await b.invalidateTags(['users']);
  assert.equal(await a.get('user:1'), undefined);
  // clear() leaves other prefixes alone
  await c1.set(`other:${prefix}`, 'x');
  await a.set('k', 1);
  await a.clear();
  assert.equal(await b.get('k'), undefined);
  assert.equal(await c1.get(`other:${prefix}`), 'x');
  await c1.del(`other:${prefix}`);
  await Promise.all([a.close(), b.close()]);
  await c1.del(`armature:state:{${name}:tags}`, `armature:state:{${name}:tags}:ids`);
});

test('memory caches in two processes: a tag invalidation travels through Redis to the other', async (t) => {
  if (clients.length === 0) return t.skip(reason!);
  const name = `cache-test-${randomUUID()}`;
  const [c1, c2] = clients as [Redis, Redis];
  const a = await new Cache({ sync: redisSync({ client: c1 }), name }).ready;
  const b = await new Cache({ sync: redisSync({ client: c2 }), name }).ready;
  await a.set('page', '<html>', { tags: ['pages'] });
  await b.set('page', '<html>', { tags: ['pages'] });
  const heard = new Promise<void>((r) => a.tags.subscribe(() => r()));
  await b.invalidateTags(['pages']);
  await heard;
  assert.equal(await a.get('page'), undefined, "a's own memory entry is gone");
  assert.equal(await b.get('page'), undefined);
  await Promise.all([a.close(), b.close()]);
  await c1.del(`armature:state:{${name}:tags}`, `armature:state:{${name}:tags}:ids`);
});
