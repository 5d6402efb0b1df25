// Run through fleet.ts: one process of a fleet sharing the state NAME through Redis (REDIS_URL),
// or NATS JetStream with TRANSPORT=nats (NATS_URL). It joins, runs INCREMENTS update()s (two at
// a time, DELAY_MS apart), reads the
// state every 5 ms meanwhile (a reader must always see a snapshot, never going back), waits until
// the whole fleet's TOTAL increments have arrived, and prints a JSON report.
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { connect } from 'nats';
import { ReadState, natsSync, redisSync, type StateSync } from '@armature/state';

const name = process.env.NAME!;
const increments = Number(process.env.INCREMENTS);
const total = Number(process.env.TOTAL);
const delay = Number(process.env.DELAY_MS ?? 0);
const me = String(process.pid);

interface Counter {
  n: number;
  by: Record<string, number>;
}

const logs: string[] = [];
const log = (m: string): void => void logs.push(m);
let sync: StateSync;
let disconnect: () => Promise<void>;
if (process.env.TRANSPORT === 'nats') {
  const connection = await connect({ servers: process.env.NATS_URL ?? '127.0.0.1:4222' });
  sync = natsSync({ connection, log });
  disconnect = () => connection.close();
} else {
  const client = new Redis(process.env.REDIS_URL!, { retryStrategy: () => 100 });
  client.on('error', () => {});
  sync = redisSync({ client, rejoinGrace: 1000, writeTimeout: 30_000, log });
  disconnect = async () => client.disconnect();
}
const state = new ReadState<Counter>({ n: 0, by: {} }, { name, sync });
await state.ready;
console.log('ready');

let backwards = 0;
let missing = 0;
let readsWhileDown = 0;
let last = 0;
const reader = setInterval(() => {
  const v = state.value;
  if (v === undefined || typeof v.n !== 'number') missing++;
  else if (v.n < last) backwards++;
  else last = v.n;
  if (!state.isConnected) readsWhileDown++;
}, 5);

let next = 0;
const writer = async (): Promise<void> => {
  while (next < increments) {
    next++;
    await state.update((d) => {
      d.n++;
      d.by[me] = (d.by[me] ?? 0) + 1;
    });
    if (delay > 0) await sleep(delay);
  }
};
await Promise.all([writer(), writer()]);
const deadline = Date.now() + 30_000;
while (state.value.n < total && Date.now() < deadline) await sleep(10);
clearInterval(reader);
console.log(JSON.stringify({ me, n: state.value.n, version: state.version, mine: state.value.by[me], backwards, missing, readsWhileDown, logs }));
await state.close();
await disconnect();
