/**
 * What a `ReadState` needs of a transport that shares it between processes: one place (the
 * workers' primary, a Redis server, …) holds the latest snapshot and assigns versions; each
 * process joins a state by name, writes through it, and hears every accepted write.
 */

/** A value and the version the authority gave it (0: the initial value, never written). */
export interface Snapshot<T = unknown> {
  readonly version: number;
  readonly value: T;
}

/**
 * The outcome of a write: accepted with its new version, or refused because the state moved
 * past `base` (compare-and-set), with the current snapshot so that the writer can retry on it.
 */
export type WriteResult = { readonly ok: true; readonly version: number } | { readonly ok: false; readonly current: Snapshot };

/** One joined state in one process. */
export interface SyncChannel {
  /**
   * Writes `value` as the next version. With `base` (the version the value was computed from),
   * the write is refused when the state is no longer at `base`; with `null` it always applies.
   */
  write(value: unknown, base: number | null): Promise<WriteResult>;
  /** Stops hearing updates (the authority keeps the state). */
  leave(): Promise<void>;
}

/** Where a process hears about the shared state. */
export interface SyncListener {
  /** A newer snapshot (a write anywhere, or the catch-up after a reconnect). */
  update(snapshot: Snapshot): void;
  /** The snapshot this process holds now (what it re-joins with after a reconnect). */
  snapshot?(): Snapshot;
  /** The transport lost or regained its authority (readers keep the last snapshot meanwhile). */
  connection?(connected: boolean): void;
}

/**
 * A transport: `join(name, local, listener)` resolves with the authority's snapshot (the
 * authority adopts `local` when it has none, or an older one — e.g. a Redis server that
 * restarted empty — so that no accepted version is lost).
 */
export interface StateSync {
  readonly kind: string;
  join(name: string, local: Snapshot, listener: SyncListener): Promise<{ channel: SyncChannel; snapshot: Snapshot }>;
}
