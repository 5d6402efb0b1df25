/**
 * `natsSync({ connection })`: shares ReadStates through NATS JetStream, as a second transport
 * beside Redis. Each state is one key of a JetStream key-value bucket (`armature_state`), holding
 * `{ v, d }` (the version and the value). The bucket is the one place that orders writes: a write
 * is a compare-and-set on the key's revision (`kv.update(key, value, revision)`), retried when
 * another process wrote in between; each process watches its keys and hears every write. JetStream
 * stores the bucket on the server's disk and the client resumes its watch after a reconnect, so
 * a process that was cut off catches up, and a server restart loses nothing.
 */
import type { Snapshot, StateSync, SyncChannel, SyncListener, WriteResult } from './sync.js';

/** One entry of a key-value bucket (the `nats` package's KvEntry fits). */
export interface NatsKvEntry {
  readonly revision: number;
  readonly operation: string;
  readonly value: Uint8Array;
}

/** A watch: the entries as they come, until stopped. */
export interface NatsKvWatch extends AsyncIterable<NatsKvEntry> {
  stop(): void;
}

/** What natsSync needs of a bucket (the `nats` package's KV fits). */
export interface NatsKvBucket {
  get(key: string): Promise<NatsKvEntry | null>;
  create(key: string, data: Uint8Array): Promise<number>;
  update(key: string, data: Uint8Array, version: number): Promise<number>;
  watch(options: { key: string }): Promise<NatsKvWatch>;
}

/** What natsSync needs of a connection: `await connect({ servers })` of the `nats` package fits. */
export interface NatsSyncConnection {
  jetstream(): { views: { kv(name: string, options?: { history?: number }): Promise<NatsKvBucket> } };
  status(): AsyncIterable<{ type: string }>;
}

export interface NatsSyncOptions {
  /** A NATS connection (JetStream enabled on the server). The transport does not close it. */
  connection: NatsSyncConnection;
  /** The key-value bucket (default `armature_state`, created if missing, history 1). */
  bucket?: string;
  /** Where outages and recoveries are reported (default console.warn). */
  log?: (message: string) => void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A state name as a bucket key (keys allow `-`, `_`, `=`, letters and digits here; the rest is escaped as `=XX`). */
export function natsKey(name: string): string {
  let out = '';
  for (const byte of encoder.encode(name)) {
    const c = String.fromCharCode(byte);
    out += /[-_A-Za-z0-9]/.test(c) ? c : `=${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

function decode(entry: NatsKvEntry): Snapshot {
  const { v, d } = JSON.parse(decoder.decode(entry.value)) as { v: number; d: unknown };
  return { version: v, value: d };
}

function isWrongSequence(error: unknown): boolean {
  return /wrong last sequence|key exists/i.test(String((error as Error)?.message ?? error));
}

class NatsSync implements StateSync {
  readonly kind = 'nats';
  private bucket: Promise<NatsKvBucket> | null = null;
  private readonly listeners = new Set<SyncListener>();
  private watchingStatus = false;

  constructor(private readonly options: NatsSyncOptions) {
    if (options === undefined || options.connection === undefined) throw new TypeError("natsSync: pass { connection: await connect({ servers }) } (the 'nats' package)");
  }

  private kv(): Promise<NatsKvBucket> {
    return (this.bucket ??= this.options.connection.jetstream().views.kv(this.options.bucket ?? 'armature_state', { history: 1 }));
  }

  async join(name: string, local: Snapshot, listener: SyncListener): Promise<{ channel: SyncChannel; snapshot: Snapshot }> {
    const kv = await this.kv();
    const key = natsKey(name);
    let entry = await kv.get(key);
    if (entry === null || entry.operation !== 'PUT') {
      try {
        await kv.create(key, encoder.encode(JSON.stringify({ v: local.version, d: local.value })));
      } catch (error) {
        if (!isWrongSequence(error)) throw error; // another process created it first
      }
      entry = await kv.get(key);
    }
    const snapshot = decode(entry!);
    const watch = await kv.watch({ key });
    void (async () => {
      for await (const e of watch) if (e.operation === 'PUT') listener.update(decode(e));
    })().catch((error: unknown) => this.report(`state "${name}": the watch ended: ${String(error)}`));
    this.listeners.add(listener);
    this.watchStatus();
    const channel: SyncChannel = {
      write: (value, base) => this.write(kv, key, value, base),
      leave: async () => {
        this.listeners.delete(listener);
        watch.stop();
      },
    };
    return { channel, snapshot };
  }

  private async write(kv: NatsKvBucket, key: string, value: unknown, base: number | null): Promise<WriteResult> {
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError('natsSync: the value cannot be written as JSON');
    for (;;) {
      const entry = await kv.get(key);
      if (entry === null) throw new Error(`natsSync: the key ${key} is gone from the bucket`);
      const current = decode(entry);
      if (base !== null && current.version !== base) return { ok: false, current };
      const version = current.version + 1;
      try {
        await kv.update(key, encoder.encode(`{"v":${version},"d":${json}}`), entry.revision);
        return { ok: true, version };
      } catch (error) {
        if (!isWrongSequence(error)) throw error;
        // another process wrote between the read and the update: read again
      }
    }
  }

  private watchStatus(): void {
    if (this.watchingStatus) return;
    this.watchingStatus = true;
    void (async () => {
      for await (const s of this.options.connection.status()) {
        if (s.type === 'disconnect' || s.type === 'reconnect') {
          const up = s.type === 'reconnect';
          this.report(up ? 'state: NATS answers again' : 'state: the NATS connection dropped; reads keep the last snapshot');
          for (const l of this.listeners) l.connection?.(up);
        }
      }
    })().catch(() => {});
  }

  private report(message: string): void {
    (this.options.log ?? ((m: string) => console.warn(`[armature] ${m}`)))(message);
  }
}

/**
 * Shares ReadStates through NATS JetStream's key-value store:
 * `new ReadState(initial, { name: 'flags', sync: natsSync({ connection: await connect({ servers }) }) })`.
 */
export function natsSync(options: NatsSyncOptions): StateSync {
  return new NatsSync(options);
}
