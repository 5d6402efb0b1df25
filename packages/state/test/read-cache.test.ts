// ReadCache: hits, TTL, the size bound (SIEVE keeps what is read), versioned invalidation,
// following a ReadState, and single-flight loading.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ReadCache, ReadState } from '@armature/state';

test('get, set, has, delete and a per-entry TTL', async () => {
  const cache = new ReadCache<string, number>({ ttl: 40 });
  cache.set('a', 1).set('b', 2, 0); // b: no expiry
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.has('b'), true);
  assert.equal(cache.get('zz'), undefined);
  await sleep(60);
  assert.equal(cache.get('a'), undefined, 'expired');
  assert.equal(cache.get('b'), 2);
  assert.equal(cache.delete('b'), true);
  assert.equal(cache.get('b'), undefined);
  assert.throws(() => cache.set('u', undefined as unknown as number), /undefined/);
  assert.throws(() => new ReadCache({ max: 0 }), RangeError);
  assert.throws(() => new ReadCache({ ttl: -1 }), RangeError);
});

test('the size bound keeps entries that are read (SIEVE) and evicts the unread ones', () => {
  const cache = new ReadCache<number, number>({ max: 100 });
  for (let i = 0; i < 100; i++) cache.set(i, i);
  // keys 0-49 are hot
  for (let i = 0; i < 50; i++) cache.get(i);
  for (let i = 100; i < 150; i++) cache.set(i, i);
  assert.equal(cache.size, 100);
  for (let i = 0; i < 50; i++) assert.equal(cache.get(i), i, `hot key ${i} kept`);
  let cold = 0;
  for (let i = 50; i < 100; i++) if (cache.get(i) !== undefined) cold++;
  assert.equal(cold, 0, 'the cold keys went first');
  // a long run of inserts never grows past the bound
  for (let i = 0; i < 10_000; i++) cache.set(1000 + i, i);
  assert.equal(cache.size, 100);
});

test('invalidate() drops everything at once, and a load in flight does not store its stale value', async () => {
  const cache = new ReadCache<string, string>();
  cache.set('k', 'old');
  let release!: (v: string) => void;
  const pending = cache.load('x', () => new Promise<string>((r) => (release = r)));
  cache.invalidate();
  assert.equal(cache.version, 1);
  assert.equal(cache.get('k'), undefined);
  release('computed before the invalidation');
  assert.equal(await pending, 'computed before the invalidation');
  assert.equal(cache.get('x'), undefined, 'not stored');
  // delete() of one key does the same for that key
  let release2!: (v: string) => void;
  const pending2 = cache.load('y', () => new Promise<string>((r) => (release2 = r)));
  cache.delete('y');
  release2('stale');
  await pending2;
  assert.equal(cache.get('y'), undefined);
});

test('a cache with a ReadState source invalidates when the state changes version', async () => {
  const prices = new ReadState({ eur: 1 });
  const cache = new ReadCache<string, number>({ source: prices });
  cache.set('total', 42);
  await prices.update((d) => void (d.eur = 2));
  assert.equal(cache.get('total'), undefined);
  cache.close();
  cache.set('total', 43);
  await prices.update((d) => void (d.eur = 3));
  assert.equal(cache.get('total'), 43, 'closed: no longer follows');
});

test('load() under concurrent misses calls the loader once; a failed load is retried by the next call', async () => {
  let calls = 0;
  const cache = new ReadCache<string, number>({
    load: async (key) => {
      calls++;
      await sleep(20);
      if (key === 'bad' && calls < 3) throw new Error('backend down');
      return key.length;
    },
  });
  const values = await Promise.all(Array.from({ length: 100 }, () => cache.load('four')));
  assert.ok(values.every((v) => v === 4));
  assert.equal(calls, 1);
  assert.equal(await cache.load('four'), 4);
  assert.equal(calls, 1, 'then a hit');
  const failures = await Promise.allSettled(Array.from({ length: 10 }, () => cache.load('bad')));
  assert.ok(failures.every((f) => f.status === 'rejected'));
  assert.equal(calls, 2, 'one failing call for ten waiters');
  assert.equal(await cache.load('bad'), 3);
  await assert.rejects(new ReadCache<string, number>().load('k'), /no loader/);
  // a loader that throws synchronously rejects the load
  await assert.rejects(cache.load('sync', () => {
    throw new Error('sync failure');
  }), /sync failure/);
});
