// ReadState in one process: frozen snapshots, copy-on-write updates with structural sharing,
// versions, subscribers, and a reader that never sees a half-applied update.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadState } from '@armature/state';

interface Flags {
  beta: boolean;
  limits: { rps: number; burst: number };
  regions: string[];
}
const initial = (): Flags => ({ beta: false, limits: { rps: 10, burst: 20 }, regions: ['eu'] });

test('reads return a frozen snapshot; update() is copy-on-write, versioned and visible at once', async () => {
  const flags = new ReadState(initial());
  assert.equal(flags.version, 0);
  const before = flags.value;
  assert.ok(Object.isFrozen(before) && Object.isFrozen(before.limits) && Object.isFrozen(before.regions));
  assert.throws(() => {
    (before as { beta: boolean }).beta = true;
  }, TypeError);

  const version = await flags.update((draft) => {
    draft.beta = true;
    draft.regions.push('us');
  });
  assert.equal(version, 1);
  assert.equal(flags.version, 1);
  assert.deepEqual(flags.value, { beta: true, limits: { rps: 10, burst: 20 }, regions: ['eu', 'us'] });
  // the old snapshot is untouched, and what did not change is shared
  assert.equal(before.beta, false);
  assert.deepEqual(before.regions, ['eu']);
  assert.equal(flags.value.limits, before.limits);
  assert.notEqual(flags.value.regions, before.regions);
});

test('a recipe that changes nothing keeps the version; set() replaces the value', async () => {
  const flags = new ReadState(initial());
  assert.equal(await flags.update(() => {}), 0);
  assert.equal(await flags.set({ beta: true, limits: { rps: 1, burst: 1 }, regions: [] }), 1);
  assert.equal(flags.value.limits.rps, 1);
  assert.ok(Object.isFrozen(flags.value.limits));
  assert.equal(await flags.update(() => initial()), 2);
  assert.equal(flags.value.limits.rps, 10);
});

test('subscribers hear every new snapshot with its version, can unsubscribe, and one failing does not stop the others', async () => {
  const errors: unknown[] = [];
  const flags = new ReadState(initial(), { onError: (e) => errors.push(e) });
  const seen: Array<[boolean, number]> = [];
  flags.subscribe(() => {
    throw new Error('subscriber bug');
  });
  const stop = flags.subscribe((value, version) => seen.push([value.beta, version]));
  await flags.update((d) => void (d.beta = true));
  await flags.update((d) => void (d.beta = false));
  stop();
  await flags.update((d) => void (d.beta = true));
  assert.deepEqual(seen, [[true, 1], [false, 2]]);
  assert.equal(errors.length, 3);
});

test('a reader between two fields of an update never sees a mix of old and new', async () => {
  const pair = new ReadState({ a: 0, b: 0 });
  let torn = 0;
  pair.subscribe(() => {
    const v = pair.value;
    if (v.a !== v.b) torn++;
  });
  for (let i = 1; i <= 1000; i++) {
    const held = pair.value;
    await pair.update((d) => {
      d.a = i;
      // while the recipe runs, the published snapshot is still the old one
      if (pair.value !== held || pair.value.a !== i - 1) torn++;
      d.b = i;
    });
    if (pair.value.a !== pair.value.b || held.a !== held.b) torn++;
  }
  assert.equal(torn, 0);
  assert.equal(pair.version, 1000);
});

test('a recipe that throws changes nothing; freeze: false keeps values as given', async () => {
  const flags = new ReadState(initial());
  await assert.rejects(flags.update(() => {
    throw new Error('no');
  }), /no/);
  assert.equal(flags.version, 0);
  const loose = new ReadState({ n: 1 }, { freeze: false });
  assert.equal(Object.isFrozen(loose.value), false);
});

test('a synced state without a name is refused at construction', () => {
  const sync = { kind: 'test', join: () => Promise.reject(new Error('unused')) };
  assert.throws(() => new ReadState({}, { sync }), /needs a name/);
});
