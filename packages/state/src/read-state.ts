/**
 * ReadState: a value read on every request and written rarely (configuration, feature flags,
 * reference data). `state.value` is a plain field holding the current snapshot, deeply frozen, so
 * a read costs a property read; a write builds the next snapshot copy-on-write (immer: the parts
 * that did not change are shared with the previous one), gives it a version, swaps the field in
 * one assignment and tells the subscribers. A reader never sees a half-applied update.
 *
 * With `sync` (workers of one machine, or Redis across machines) one authority orders the
 * writes: `update()` is a compare-and-set on the version it read, retried on the newer snapshot
 * when another process wrote first, so two concurrent writers lose no update.
 */
import { freeze, produce, type Draft } from 'immer';
import type { Snapshot, StateSync, SyncChannel, SyncListener } from './sync.js';

export interface ReadStateOptions {
  /** The state's name across processes (required with `sync`; one name, one state). */
  name?: string;
  /** Shares the state: `workerSync()` (the workers of one machine) or `redisSync({ client })`. */
  sync?: StateSync;
  /** Deep-freeze every snapshot (default true): a mutation of a read value throws in strict code. */
  freeze?: boolean;
  /** Attempts of one `update()` when other writers keep winning (default 100). */
  maxAttempts?: number;
  /** Where a subscriber's error goes (default console.error); the other subscribers still run. */
  onError?: (error: unknown) => void;
}

/** Called after each new snapshot, with it and its version. */
export type Subscriber<T> = (value: T, version: number) => void;

/** A recipe: mutate the draft (or return a whole new value); runs again on a newer snapshot when a concurrent write won. */
export type Recipe<T> = (draft: Draft<T>) => void | T | Draft<T>;

export class ReadState<T> {
  /** The current snapshot: read it as often as you like (it is a plain field). */
  readonly value: T;
  /** Its version: 0 for the initial value, one more per accepted write. */
  readonly version: number = 0;
  readonly name: string | undefined;
  /** Resolves once the state has joined its transport and holds the shared snapshot (at once without `sync`). */
  readonly ready: Promise<this>;
  private subscribers: Array<Subscriber<T>> = [];
  private readonly freezes: boolean;
  private readonly maxAttempts: number;
  private readonly onError: (error: unknown) => void;
  private channel: SyncChannel | null = null;
  private readonly shared: boolean;
  private connected = true;
  /** Writes of this process, one after the other (each bases its compare-and-set on the one before). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(initial: T, options: ReadStateOptions = {}) {
    this.freezes = options.freeze !== false;
    this.maxAttempts = options.maxAttempts ?? 100;
    this.onError = options.onError ?? ((error) => console.error('[armature] ReadState subscriber failed:', error));
    this.name = options.name;
    this.value = this.frozen(initial);
    const sync = options.sync;
    this.shared = sync !== undefined;
    if (sync === undefined) {
      this.ready = Promise.resolve(this);
      return;
    }
    if (typeof options.name !== 'string' || options.name === '') throw new TypeError('ReadState: a synced state needs a name ({ name, sync })');
    const listener: SyncListener = {
      update: (snapshot) => this.apply(snapshot, false),
      snapshot: () => this.snapshot(),
      connection: (up) => {
        this.connected = up;
      },
    };
    this.ready = sync.join(options.name, { version: 0, value: this.value }, listener).then(({ channel, snapshot }) => {
      this.channel = channel;
      this.apply(snapshot, true);
      return this;
    });
    // an unhandled rejection would end the process; the error still reaches whoever awaits ready or writes
    this.ready.catch(() => {});
  }

  /** The snapshot with its version, read together. */
  snapshot(): Snapshot<T> {
    return { version: this.version, value: this.value };
  }

  /** False while a synced state's transport is down: reads return the last snapshot, writes wait. */
  get isConnected(): boolean {
    return this.connected;
  }

  /**
   * Calls `fn` after every new snapshot (not for the current one); returns the function that
   * stops it.
   */
  subscribe(fn: Subscriber<T>): () => void {
    this.subscribers = [...this.subscribers, fn];
    return () => {
      this.subscribers = this.subscribers.filter((s) => s !== fn);
    };
  }

  /**
   * Replaces the whole value (last writer wins, in the authority's order). Resolves with the
   * version it got; without `sync` the new value is visible at once.
   */
  set(value: T): Promise<number> {
    return this.write(() => value, false);
  }

  /**
   * The next value from the current one: `update((draft) => { draft.beta = true })`, or return a
   * new value. Without `sync` it applies at once; with `sync` it is a compare-and-set on the
   * version read, so `recipe` may run again on a newer snapshot. Resolves with the version.
   */
  update(recipe: Recipe<T>): Promise<number> {
    return this.write(() => produce(this.value, recipe as (draft: Draft<T>) => void) as T, true);
  }

  /** Stops hearing the transport; the last snapshot stays readable. */
  async close(): Promise<void> {
    this.subscribers = [];
    await this.ready.catch(() => {});
    await this.channel?.leave();
  }

  private write(next: () => T, conditional: boolean): Promise<number> {
    if (!this.shared) {
      // local: synchronous, so the writer reads its own write on the next line
      try {
        const value = next();
        if (value !== this.value) this.apply({ version: this.version + 1, value }, false);
        return Promise.resolve(this.version);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const run = this.queue.then(() => this.writeShared(next, conditional));
    this.queue = run.catch(() => {});
    return run;
  }

  private async writeShared(next: () => T, conditional: boolean): Promise<number> {
    await this.ready;
    const channel = this.channel!;
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const base = this.version;
      const value = next();
      if (value === this.value) return base;
      const frozen = this.frozen(value);
      const result = await channel.write(frozen, conditional ? base : null);
      if (result.ok) {
        this.apply({ version: result.version, value: frozen }, false);
        return result.version;
      }
      this.apply(result.current, false);
    }
    throw new Error(`ReadState ${this.name}: update gave up after ${this.maxAttempts} attempts (other writers kept winning)`);
  }

  /** Takes a newer snapshot (or, on joining, the authority's, whatever its version). */
  private apply(snapshot: Snapshot, joining: boolean): void {
    if (snapshot.version < this.version || (snapshot.version === this.version && !joining)) return;
    const value = this.frozen(snapshot.value as T);
    const newer = snapshot.version > this.version;
    (this as { value: T }).value = value;
    (this as { version: number }).version = snapshot.version;
    if (!newer) return; // joining at the same version: the same value, nobody to tell
    const subscribers = this.subscribers;
    for (let i = 0; i < subscribers.length; i++) {
      try {
        subscribers[i]!(value, snapshot.version);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  private frozen(value: T): T {
    return this.freezes ? freeze(value, true) : value;
  }
}
