/**
 * `redisSync({ client })`: shares ReadStates between processes on any number of machines through
 * one Redis. Redis holds each state's snapshot (a hash) and assigns its versions in a Lua script
 * (redis-scripts.ts); every accepted write is published on the state's channel, which each
 * process hears through one subscriber connection of its own (a duplicate of the client).
 *
 * Outages: while Redis is unreachable readers keep the last snapshot and writes wait (up to
 * `writeTimeout`). When the connection is back, each process re-joins every state with the
 * snapshot it holds: it catches up if the fleet moved on, and if Redis came back empty (a restart
 * without persistence) the newest snapshot any live process holds is seeded again, with a grace
 * period before writes resume so that all of them can re-join first. A write carries an id, so
 * one resent after a reconnect applies once.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { JOIN, RECENT_IDS, WRITE } from './redis-scripts.js';
import type { Snapshot, StateSync, SyncChannel, SyncListener, WriteResult } from './sync.js';

/** What redisSync needs of a client: an `ioredis` Redis fits. */
export interface RedisSyncClient {
  readonly status: string;
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  duplicate(): RedisSyncSubscriber;
  on(event: 'ready' | 'close', listener: () => void): unknown;
  off(event: 'ready' | 'close', listener: () => void): unknown;
}

/** The subscriber connection (a duplicate of the client). */
export interface RedisSyncSubscriber {
  readonly status: string;
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  quit(): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'ready' | 'close' | 'error', listener: (error?: unknown) => void): unknown;
}

export interface RedisSyncOptions {
  /** An ioredis client. The transport defines its scripts on it and duplicates it for pub/sub; it does not close it. */
  client: RedisSyncClient;
  /** Prefix of every key and channel (default `armature:state:`). */
  prefix?: string;
  /** How long writes wait after Redis came back empty, for every process to re-seed (ms, default 3000). */
  rejoinGrace?: number;
  /** Longest wait of one write while Redis is unreachable (ms, default 10 000); then it rejects. */
  writeTimeout?: number;
  /** Where outages, recoveries and unreadable messages are reported (default console.warn). */
  log?: (message: string, error?: unknown) => void;
}

type JoinReply = [string, string];
type WriteReply = [number, string?, string?];
interface Scripts {
  armatureStateJoin(key: string, ids: string, channel: string, version: string, json: string, grace: number, ...pairs: string[]): Promise<JoinReply>;
  armatureStateWrite(key: string, ids: string, channel: string, base: string, json: string, id: string): Promise<WriteReply>;
}

/** One state as this process shares it. */
class Shared {
  readonly listeners = new Set<SyncListener>();
  /** Ids of recent writes and the version each got (insertion order; the oldest dropped first). */
  readonly recent = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly key: string,
    readonly ids: string,
    readonly channel: string,
  ) {}
  remember(id: string, version: number): void {
    if (id === '') return;
    this.recent.set(id, version);
    if (this.recent.size > RECENT_IDS) this.recent.delete(this.recent.keys().next().value!);
  }
}

class RedisSync implements StateSync {
  readonly kind = 'redis';
  private readonly client: RedisSyncClient;
  private readonly scripts: Scripts;
  private readonly prefix: string;
  private readonly grace: number;
  private readonly writeTimeout: number;
  private readonly log: (message: string, error?: unknown) => void;
  private subscriber: RedisSyncSubscriber | null = null;
  private readonly states = new Map<string, Shared>();
  private readonly byChannel = new Map<string, Shared>();
  /** Both connections are up and every state has re-joined since the last drop. */
  private connected = false;
  /** Set after the first time it was connected: what follows a drop is a recovery. */
  private wasConnected = false;
  private waiters: Array<() => void> = [];
  private rejoining: Promise<void> | null = null;
  private readonly onReady = (): void => void this.rejoinAll();
  private readonly onClose = (): void => this.dropped();

  constructor(options: RedisSyncOptions) {
    if (options === undefined || options.client === undefined) throw new TypeError('redisSync: pass { client: new Redis(url) } (an ioredis client)');
    this.client = options.client;
    this.scripts = options.client as unknown as Scripts;
    this.prefix = options.prefix ?? 'armature:state:';
    this.grace = options.rejoinGrace ?? 3000;
    this.writeTimeout = options.writeTimeout ?? 10_000;
    this.log = options.log ?? ((message, error) => console.warn(`[armature] ${message}`, error instanceof Error ? error.message : (error ?? '')));
    const client = this.client as unknown as Record<string, unknown>;
    if (typeof client.armatureStateJoin !== 'function') this.client.defineCommand('armatureStateJoin', { numberOfKeys: 2, lua: JOIN });
    if (typeof client.armatureStateWrite !== 'function') this.client.defineCommand('armatureStateWrite', { numberOfKeys: 2, lua: WRITE });
  }

  async join(name: string, local: Snapshot, listener: SyncListener): Promise<{ channel: SyncChannel; snapshot: Snapshot }> {
    let shared = this.states.get(name);
    if (shared === undefined) {
      // {name}: a Redis Cluster hash tag, so that the hash and the id set are in one slot
      const base = `${this.prefix}{${name}}`;
      shared = new Shared(name, base, `${base}:ids`, base);
      this.states.set(name, shared);
      this.byChannel.set(shared.channel, shared);
      await this.subscribe(shared);
    }
    shared.listeners.add(listener);
    const snapshot = await this.joinScript(shared, listener.snapshot?.() ?? local);
    const s = shared;
    const channel: SyncChannel = {
      write: (value, base) => this.write(s, value, base),
      leave: () => this.leave(s, listener),
    };
    return { channel, snapshot };
  }

  private async subscribe(shared: Shared): Promise<void> {
    if (this.subscriber === null) {
      const sub = this.client.duplicate();
      this.subscriber = sub;
      sub.on('message', (channel, message) => this.heard(channel, message));
      sub.on('ready', this.onReady);
      sub.on('close', this.onClose);
      sub.on('error', () => {}); // reported through 'close' and the writes; ioredis reconnects
      this.client.on('ready', this.onReady);
      this.client.on('close', this.onClose);
    }
    await this.subscriber.subscribe(shared.channel);
    if (!this.connected && this.client.status === 'ready') this.connected = this.wasConnected = true;
  }

  private async joinScript(shared: Shared, local: Snapshot): Promise<Snapshot> {
    const pairs: string[] = [];
    for (const [id, version] of shared.recent) pairs.push(String(version), id);
    const [version, json] = await this.scripts.armatureStateJoin(shared.key, shared.ids, shared.channel, String(local.version), JSON.stringify(local.value), this.grace, ...pairs);
    return { version: Number(version), value: JSON.parse(json) };
  }

  /** An update published by any process (this one included). */
  private heard(channel: string, message: string): void {
    const shared = this.byChannel.get(channel);
    if (shared === undefined) return;
    const a = message.indexOf(':');
    const b = message.indexOf(':', a + 1);
    let snapshot: Snapshot;
    try {
      snapshot = { version: Number(message.slice(0, a)), value: JSON.parse(message.slice(b + 1)) };
      if (a <= 0 || b < 0 || !Number.isSafeInteger(snapshot.version)) throw new Error('no version');
    } catch (error) {
      this.log(`state "${shared.name}": ignoring an unreadable update on ${channel}`, error);
      return;
    }
    shared.remember(message.slice(a + 1, b), snapshot.version);
    for (const listener of shared.listeners) listener.update(snapshot);
  }

  private dropped(): void {
    if (!this.connected) return;
    this.connected = false;
    this.log('state: the Redis connection dropped; reads keep the last snapshot, writes wait');
    for (const shared of this.states.values()) for (const l of shared.listeners) l.connection?.(false);
  }

  /** After a reconnect: every state joins again with the snapshot this process holds. */
  private rejoinAll(): Promise<void> {
    if (this.rejoining !== null) return this.rejoining;
    const run = this.rejoin().finally(() => {
      if (this.rejoining === run) this.rejoining = null;
    });
    return (this.rejoining = run);
  }

  private async rejoin(): Promise<void> {
    while (this.client.status === 'ready' && this.subscriber?.status === 'ready') {
      try {
        for (const shared of this.states.values()) {
          for (const listener of shared.listeners) {
            const snapshot = await this.joinScript(shared, listener.snapshot?.() ?? { version: 0, value: null });
            listener.update(snapshot);
          }
        }
      } catch (error) {
        this.log('state: re-joining after a reconnect failed; trying again', error);
        await sleep(100);
        continue;
      }
      if (!this.connected && this.wasConnected) this.log('state: Redis answers again; every state has caught up');
      this.connected = this.wasConnected = true;
      for (const shared of this.states.values()) for (const l of shared.listeners) l.connection?.(true);
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
      return;
    }
  }

  /** Resolves when connected (at once if it is), rejects past `deadline`. */
  private whenConnected(deadline: number, name: string): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(new Error(`state "${name}": Redis has been unreachable for ${this.writeTimeout} ms; the write was not applied`));
      }, Math.max(0, deadline - Date.now()));
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(done);
    });
  }

  private async write(shared: Shared, value: unknown, base: number | null): Promise<WriteResult> {
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError(`state "${shared.name}": the value cannot be written as JSON`);
    const id = randomUUID();
    const deadline = Date.now() + this.writeTimeout;
    for (;;) {
      await this.whenConnected(deadline, shared.name);
      let reply: WriteReply;
      try {
        reply = await this.scripts.armatureStateWrite(shared.key, shared.ids, shared.channel, base === null ? '' : String(base), json, id);
      } catch (error) {
        // the connection dropped under the write: the same id again applies it at most once
        if (this.client.status === 'ready' || Date.now() >= deadline) throw error;
        await sleep(50);
        continue;
      }
      const [code, a, b] = reply;
      if (code === 1) {
        shared.remember(id, Number(a));
        return { ok: true, version: Number(a) };
      }
      if (code === 0) return { ok: false, current: { version: Number(a), value: JSON.parse(b!) } };
      if (Date.now() >= deadline) throw new Error(`state "${shared.name}": Redis is re-seeding after a restart; the write timed out after ${this.writeTimeout} ms`);
      if (code === -1) {
        // Redis lost the state (a restart without persistence): seed it again, then retry
        for (const listener of shared.listeners) listener.update(await this.joinScript(shared, listener.snapshot?.() ?? { version: 0, value: null }));
      } else await sleep(Math.min(Number(a), Math.max(0, deadline - Date.now())));
    }
  }

  private async leave(shared: Shared, listener: SyncListener): Promise<void> {
    shared.listeners.delete(listener);
    if (shared.listeners.size > 0) return;
    this.states.delete(shared.name);
    this.byChannel.delete(shared.channel);
    const sub = this.subscriber;
    if (sub === null) return;
    if (this.states.size > 0) {
      await sub.unsubscribe(shared.channel).catch(() => {});
      return;
    }
    // the last state left: close the subscriber connection
    this.subscriber = null;
    this.connected = false;
    this.client.off('ready', this.onReady);
    this.client.off('close', this.onClose);
    await sub.quit().catch(() => {});
  }
}

/**
 * Shares ReadStates across processes and machines through Redis:
 * `new ReadState(initial, { name: 'flags', sync: redisSync({ client: new Redis(url) }) })`.
 * One transport per client is enough for any number of states.
 */
export function redisSync(options: RedisSyncOptions): StateSync {
  return new RedisSync(options);
}
