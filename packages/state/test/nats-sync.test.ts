// natsSync() against the machine's NATS with JetStream (NATS_URL, default nats://127.0.0.1:4222):
// three processes incrementing one state lose no update; a late joiner gets the latest snapshot;
// names that are not valid bucket keys are escaped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { ReadState, natsKey, natsSync } from '@armature/state';
import { fleet, lateJoiner } from './fleet.js';

const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
let nc: NatsConnection | null = null;
let reason = '';

before(async () => {
  try {
    const c = await connect({ servers: url, timeout: 2000, reconnect: false });
    await c.jetstreamManager(); // fails without JetStream
    nc = c;
  } catch (error) {
    reason = `NATS with JetStream is not reachable at ${url} (${(error as Error).message}): skipping the natsSync tests`;
    console.log(`# ${reason}`);
  }
});
after(() => nc?.close());

async function forget(name: string): Promise<void> {
  const kv = await nc!.jetstream().views.kv('armature_state');
  await kv.purge(natsKey(name));
}

test('three processes incrementing one state through NATS: no lost update, one version per write', async (t) => {
  if (nc === null) return t.skip(reason);
  const name = `test:${randomUUID()}`;
  const reports = await fleet(3, { TRANSPORT: 'nats', NATS_URL: url, NAME: name, INCREMENTS: '40', TOTAL: '120' });
  for (const r of reports) {
    assert.equal(r.n, 120, `process ${r.me}`);
    assert.equal(r.version, 120);
    assert.equal(r.mine, 40);
    assert.equal(r.backwards + r.missing, 0);
  }
  await forget(name);
});

test('a late joiner gets the latest snapshot, set() reaches the others, any name is a valid key', async (t) => {
  if (nc === null) return t.skip(reason);
  const name = `flags for tenant ${randomUUID()} / é`;
  assert.match(natsKey(name), /^[-_=A-Za-z0-9]+$/);
  assert.notEqual(natsKey('a.b'), natsKey('a_b'));
  const sync = natsSync({ connection: nc, log: () => {} });
  const [a, b] = await lateJoiner(name, () => sync);
  await Promise.all([a.close(), b.close()]);
  await forget(name);
});
