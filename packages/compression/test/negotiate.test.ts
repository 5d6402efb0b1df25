import { test } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateCoding } from '@armature/core/http';
import { Negotiator } from '../src/negotiate.js';
import { zstdAvailable, codings } from '../src/codings.js';
import { resolveSettings } from '../src/settings.js';

const all = new Negotiator(['zstd', 'br', 'gzip', 'deflate']);
const classic = new Negotiator(['br', 'gzip', 'deflate']);

function pick(n: Negotiator, field: string | undefined): string {
  const r = n.negotiate(field);
  return `${r.coding ?? 'identity'}${r.identity ? '' : ' (identity refused)'}`;
}

test('no Accept-Encoding, or an empty one: identity', () => {
  assert.equal(pick(classic, undefined), 'identity');
  assert.equal(pick(classic, ''), 'identity');
  assert.equal(pick(classic, ' , ,'), 'identity');
});

test('a single coding, any case, with OWS', () => {
  assert.equal(pick(classic, 'gzip'), 'gzip');
  assert.equal(pick(classic, 'GZip'), 'gzip');
  assert.equal(pick(classic, '  br  '), 'br');
  assert.equal(pick(classic, 'deflate'), 'deflate');
  assert.equal(pick(classic, 'x-gzip'), 'gzip');
});

test('equal q-values: the server preference order decides', () => {
  assert.equal(pick(classic, 'gzip, deflate, br'), 'br');
  assert.equal(pick(new Negotiator(['gzip', 'br']), 'br, gzip'), 'gzip');
  assert.equal(pick(all, 'gzip, deflate, br, zstd'), 'zstd');
});

test('q-values: the highest wins; q=0 refuses', () => {
  assert.equal(pick(classic, 'br;q=0.5, gzip'), 'gzip');
  assert.equal(pick(classic, 'br;q=0.5, gzip;q=0.4'), 'br');
  assert.equal(pick(classic, 'gzip;q=0.001'), 'gzip');
  assert.equal(pick(classic, 'gzip;q=0'), 'identity');
  assert.equal(pick(classic, 'br;q=0, gzip;q=0, deflate;q=0'), 'identity');
  assert.equal(pick(classic, 'gzip ; q=0.8 , br;Q=0.9'), 'br');
  assert.equal(pick(classic, 'gzip;level=1;q=0.3, br;q=0.2'), 'gzip'); // unknown parameters ignored
  assert.equal(pick(classic, 'gzip;q=1.000'), 'gzip');
  assert.equal(pick(classic, 'x-gzip;q=0.5, br;q=0.4'), 'gzip');
});

test('malformed q-values drop their element', () => {
  assert.equal(pick(classic, 'br;q=2, gzip;q=0.5'), 'gzip');
  assert.equal(pick(classic, 'br;q=abc, gzip;q=0.5'), 'gzip');
  assert.equal(pick(classic, 'br;q=-1'), 'identity');
  assert.equal(pick(classic, 'br;q='), 'identity');
});

test('* stands for every coding not named', () => {
  assert.equal(pick(classic, '*'), 'br');
  assert.equal(pick(classic, 'br;q=0, *'), 'gzip');
  assert.equal(pick(classic, '*;q=0.5, gzip'), 'gzip');
  assert.equal(pick(classic, 'unknown, *;q=0'), 'identity (identity refused)');
});

test('identity: refused by identity;q=0 or *;q=0; preferred when its q is higher', () => {
  assert.equal(pick(classic, 'identity;q=0'), 'identity (identity refused)');
  assert.equal(pick(classic, 'gzip, identity;q=0'), 'gzip (identity refused)');
  assert.equal(pick(classic, '*;q=0'), 'identity (identity refused)');
  assert.equal(pick(classic, '*;q=0, identity'), 'identity');
  assert.equal(pick(classic, 'identity'), 'identity');
  assert.equal(pick(classic, 'identity;q=1, gzip;q=0.5'), 'identity');
  assert.equal(pick(classic, 'identity;q=0.5, gzip'), 'gzip');
  assert.equal(pick(classic, 'compress, identity;q=0'), 'identity (identity refused)');
});

test('unknown codings are ignored', () => {
  assert.equal(pick(classic, 'compress, sdch, gzip'), 'gzip');
  assert.equal(pick(classic, 'compress'), 'identity');
});

test('zstd is offered exactly where the runtime has it', () => {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 24) assert.equal(zstdAvailable, true);
  if (major <= 20) assert.equal(zstdAvailable, false);
  assert.equal(codings.has('zstd'), zstdAvailable);
  const settings = resolveSettings({});
  assert.deepEqual(settings.offered, zstdAvailable ? ['zstd', 'br', 'gzip', 'deflate'] : ['br', 'gzip', 'deflate']);
  assert.equal(pick(settings.negotiator, 'zstd'), zstdAvailable ? 'zstd' : 'identity');
  assert.equal(pick(settings.negotiator, 'zstd, gzip'), zstdAvailable ? 'zstd' : 'gzip');
  // a zstd-only client that refuses identity gets 406 where zstd is missing
  assert.equal(pick(settings.negotiator, 'zstd, identity;q=0'), zstdAvailable ? 'zstd (identity refused)' : 'identity (identity refused)');
});

test('outcomes are cached per field, bounded', () => {
  const n = new Negotiator(['gzip']);
  for (let i = 0; i < 2000; i++) assert.equal(n.negotiate(`gzip;q=0.${i % 1000}`).coding, i % 1000 === 0 ? null : 'gzip');
  const cache = (n as unknown as { cache: Map<string, unknown> }).cache;
  assert.ok(cache.size <= 256);
});

test('parsing is linear in the field length', () => {
  const time = (field: string): number => {
    let best = Infinity;
    for (let round = 0; round < 5; round++) {
      const t = process.hrtime.bigint();
      for (let i = 0; i < 5; i++) negotiateCoding(field, ['zstd', 'br', 'gzip', 'deflate']);
      best = Math.min(best, Number(process.hrtime.bigint() - t));
    }
    return best;
  };
  const unit = 'gzip;q=0.5, ';
  const small = unit.repeat(1000);
  const base = time(small);
  // adversarial shapes 16× longer: separators only, parameters without end, long names
  for (const evil of [';'.repeat(small.length * 16), ','.repeat(small.length * 16), 'gzip' + ';q=0.5'.repeat(small.length * 3), 'a'.repeat(small.length * 16), ' '.repeat(small.length * 16) + 'gzip']) {
    const t = time(evil);
    assert.ok(t < base * 16 * 40 + 50e6, `${t} ns for ${evil.length} chars vs ${base} ns for ${small.length}`);
  }
});
