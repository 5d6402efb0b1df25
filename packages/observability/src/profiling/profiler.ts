/**
 * The process-wide profiling primitives behind the endpoint and the signal: a CPU profile of
 * this process through an in-process inspector session (V8's sampling profiler, the same one
 * `node --cpu-prof` uses) and a heap snapshot as a stream. One profile or snapshot at a time per
 * process: a second one meanwhile is refused with ProfilerBusyError.
 */
import { Session } from 'node:inspector/promises';
import { getHeapSnapshot } from 'node:v8';
import type { Readable } from 'node:stream';
import { HttpError, workerId } from '@armature/core';
import type { CpuProfile } from '../flame/cpuprofile.js';
import { foldCpuProfile } from '../flame/cpuprofile.js';
import { renderFlameGraph } from '../flame/svg.js';

/** A CPU profile or heap snapshot is already being taken in this process. */
export class ProfilerBusyError extends HttpError {
  constructor(what: string) {
    // 409 when it reaches an HTTP answer (the profiling endpoints)
    super(409, `A ${what} is already being taken in this process; try again when it is done`);
  }
}

let busy: string | null = null;

function acquire(what: string): () => void {
  if (busy !== null) throw new ProfilerBusyError(busy);
  busy = what;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    busy = null;
  };
}

/** True while a CPU profile or heap snapshot is being taken in this process. */
export function profilerBusy(): boolean {
  return busy !== null;
}

/** The default sampling interval of CPU profiles, in µs (V8's and `--cpu-prof-interval`'s). */
export const DEFAULT_SAMPLING_INTERVAL = 1000;

export interface CpuProfileOptions {
  /** µs between samples (default 1000). Smaller catches shorter functions and costs more CPU. */
  samplingInterval?: number;
}

/** A CPU profile being recorded: `stop()` ends it and gives the V8 profile (the `.cpuprofile` JSON). */
export interface RunningCpuProfile {
  readonly startedAt: Date;
  /** Stops the profiler (idempotent: later calls give the same profile). */
  stop(): Promise<CpuProfile>;
}

export function checkSamplingInterval(interval: number): number {
  if (!Number.isInteger(interval) || interval < 1 || interval > 1_000_000) throw new TypeError(`profiling: samplingInterval must be a whole number of µs in 1..1000000, got ${String(interval)}`);
  return interval;
}

/** Starts V8's sampling profiler on this thread. Throws ProfilerBusyError while another profile or snapshot runs. */
export async function startCpuProfile(options: CpuProfileOptions = {}): Promise<RunningCpuProfile> {
  const interval = checkSamplingInterval(options.samplingInterval ?? DEFAULT_SAMPLING_INTERVAL);
  const release = acquire('CPU profile');
  const session = new Session();
  try {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval });
    await session.post('Profiler.start');
  } catch (error) {
    session.disconnect();
    release();
    throw error;
  }
  const startedAt = new Date();
  let stopping: Promise<CpuProfile> | null = null;
  const stop = async (): Promise<CpuProfile> => {
    try {
      const { profile } = await session.post('Profiler.stop');
      return profile as unknown as CpuProfile;
    } finally {
      session.disconnect();
      release();
    }
  };
  return { startedAt, stop: () => (stopping ??= stop()) };
}

/** Records a CPU profile of `seconds` (ended early when `signal` aborts). */
export async function recordCpuProfile(seconds: number, options: CpuProfileOptions & { signal?: AbortSignal } = {}): Promise<CpuProfile> {
  const running = await startCpuProfile(options);
  await sleep(seconds * 1000, options.signal);
  return running.stop();
}

/** Waits `ms`, or less if `signal` aborts; never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * A heap snapshot of this process as a stream of the `.heapsnapshot` JSON (Chrome DevTools'
 * Memory panel opens it), from `v8.getHeapSnapshot()`. V8 takes the snapshot when this is called
 * and serializes it on the first read, both synchronously: the process serves nothing meanwhile
 * (seconds for a heap of tens of MB), and the serialized snapshot (about twice the used heap)
 * is held in memory until it has been read. Busy until the stream closes.
 */
export function heapSnapshot(): Readable {
  const release = acquire('heap snapshot');
  let stream: Readable;
  try {
    stream = getHeapSnapshot();
  } catch (error) {
    release();
    throw error;
  }
  stream.once('close', release);
  return stream;
}

/**
 * A file name that says which process a profile is of and when it was taken:
 * `cpu-worker2-pid4242-2026-11-30T10-15-00-000Z.cpuprofile` (`worker2-` only in a worker of a
 * multi-worker app).
 */
export function profileFileName(kind: 'cpu' | 'heap', extension: string, date: Date = new Date()): string {
  const id = workerId();
  const stamp = date.toISOString().replace(/[:.]/g, '-');
  return `${kind}-${id === null ? '' : `worker${id}-`}pid${process.pid}-${stamp}.${extension}`;
}

/** A CPU profile drawn as an interactive flame graph (the renderer of `npm run flame`). */
export function cpuProfileToSvg(profile: CpuProfile, title = 'CPU profile'): string {
  const folded = foldCpuProfile(profile, { root: process.cwd() });
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  const id = workerId();
  const who = `${id === null ? '' : `worker ${id}, `}pid ${process.pid}`;
  return renderFlameGraph(folded.stacks, {
    title,
    subtitle: `${who}: ${seconds.toFixed(1)} s, ${folded.samples} samples`,
    msPerSample: folded.samples > 0 ? folded.durationUs / 1000 / folded.samples : undefined,
  });
}
