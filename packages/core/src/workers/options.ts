/**
 * What `listen({ workers })` accepts, and how it is resolved: the number of workers, and how they
 * share the port (the kernel's SO_REUSEPORT where Node has it, else node:cluster's round robin).
 */
import { availableParallelism } from 'node:os';
import { logPrefix } from '../http/worker-id.js';

export interface WorkersOptions {
  /** Worker processes: a number, or `'auto'` (one per core: `os.availableParallelism()`). */
  count: number | 'auto';
  /**
   * How workers share the port: `'reuseport'` (each binds it with SO_REUSEPORT and the kernel
   * spreads connections: Node ≥ 22.12 / 23.1 on Linux), `'cluster'` (node:cluster: the primary
   * accepts and hands connections round robin), or `'auto'` (default: reuseport where available).
   */
  mode?: 'auto' | 'reuseport' | 'cluster';
  /** Runs once, in the primary, before any worker starts (migrations, warming a shared cache). */
  onPrimary?: () => void | Promise<void>;
  /** A worker that dies more than this many times within `restartWindow` stops the whole app (default 5). */
  maxRestarts?: number;
  /** ms (default 60 000). */
  restartWindow?: number;
  /** Delay before restarting a crashed worker: doubles per crash from `initial`, up to `max` (ms; default 100 / 10 000). */
  backoff?: { initial?: number; max?: number };
  /** Pin worker i to CPU i (mod the number of CPUs) with `taskset` (Linux; skipped with a warning elsewhere). */
  affinity?: boolean;
  /** How long a graceful stop waits for workers before killing them (ms, default 15 000). */
  shutdownTimeout?: number;
  /** Where the primary reports worker events (default: console.error with an `[armature]` prefix). */
  log?: (message: string) => void;
}

export type WorkersOption = number | 'auto' | WorkersOptions;

export interface ResolvedWorkers {
  count: number;
  mode: 'reuseport' | 'cluster';
  onPrimary: (() => void | Promise<void>) | undefined;
  maxRestarts: number;
  restartWindow: number;
  backoffInitial: number;
  backoffMax: number;
  affinity: boolean;
  shutdownTimeout: number;
  log: (message: string) => void;
}

/** Does this Node's `net` bind with SO_REUSEPORT? (v22.12+ on 22, v23.1+; Linux and the BSDs). */
export function reusePortSupported(version = process.versions.node, platform = process.platform): boolean {
  if (platform !== 'linux' && platform !== 'freebsd') return false;
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

const positive = (name: string, value: number | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) throw new TypeError(`workers.${name} must be a number ≥ 0, got ${String(value)}`);
  return value;
};

export function resolveWorkers(option: WorkersOption): ResolvedWorkers {
  const o: WorkersOptions = typeof option === 'object' ? option : { count: option };
  const count = o.count === 'auto' ? availableParallelism() : o.count;
  if (!(Number.isInteger(count) && count >= 1 && count <= 1024)) throw new TypeError(`workers must be 'auto' or a whole number from 1 to 1024, got ${String(o.count)}`);
  const wanted = o.mode ?? 'auto';
  if (wanted !== 'auto' && wanted !== 'reuseport' && wanted !== 'cluster') throw new TypeError(`workers.mode must be 'auto', 'reuseport' or 'cluster', got ${String(wanted)}`);
  if (wanted === 'reuseport' && !reusePortSupported()) throw new Error(`workers.mode 'reuseport' needs Node ≥ 22.12 on Linux (this is Node ${process.versions.node} on ${process.platform}); use 'auto'`);
  return {
    count,
    mode: wanted === 'cluster' || (wanted === 'auto' && !reusePortSupported()) ? 'cluster' : 'reuseport',
    onPrimary: o.onPrimary,
    maxRestarts: positive('maxRestarts', o.maxRestarts, 5),
    restartWindow: positive('restartWindow', o.restartWindow, 60_000),
    backoffInitial: positive('backoff.initial', o.backoff?.initial, 100),
    backoffMax: positive('backoff.max', o.backoff?.max, 10_000),
    affinity: o.affinity === true,
    shutdownTimeout: positive('shutdownTimeout', o.shutdownTimeout, 15_000),
    log: o.log ?? ((message) => console.error(`${logPrefix()} ${message}`)),
  };
}
