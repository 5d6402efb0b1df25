/**
 * Profiling in production without an endpoint: on a signal (SIGUSR2 by default) the process
 * records a CPU profile of N seconds and writes it to a directory (and its flame graph, with
 * `svg`). `kill -USR2 <pid>` on the machine is the authentication. In a multi-worker app, signal
 * the worker to profile (its pid is in `app.workers` of the primary), not the primary.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workerId } from '@armature/core';
import { DEFAULT_SAMPLING_INTERVAL, ProfilerBusyError, checkSamplingInterval, cpuProfileToSvg, profileFileName, recordCpuProfile } from './profiler.js';

export interface ProfileOnSignalOptions {
  /** The signal (default `SIGUSR2`; `SIGUSR1` is Node's own, it opens the inspector). */
  signal?: NodeJS.Signals;
  /** Length of each profile, in seconds (default 10). */
  seconds?: number;
  /** Where the files go (default the OS temp directory); created if missing. */
  dir?: string;
  /** Also write the flame graph (`.svg`) next to the `.cpuprofile` (default false). */
  svg?: boolean;
  /** µs between CPU samples (default 1000). */
  samplingInterval?: number;
  /** Called with the paths written (default: a line on stderr). */
  onWritten?: (files: string[]) => void;
  /** Called when a profile could not be taken or written, e.g. one was already running (default: a line on stderr). */
  onError?: (error: unknown) => void;
}

const prefix = (): string => {
  const id = workerId();
  return id === null ? '[armature]' : `[armature worker ${id}]`;
};

/**
 * Records a CPU profile each time the process receives `signal` and writes it to `dir`. Returns
 * a function that removes the signal handler.
 */
export function profileOnSignal(options: ProfileOnSignalOptions = {}): () => void {
  const signal = options.signal ?? 'SIGUSR2';
  if (signal === 'SIGUSR1') throw new TypeError('profileOnSignal: SIGUSR1 is Node\'s own (it starts the inspector); use SIGUSR2 or another signal');
  const seconds = options.seconds ?? 10;
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new TypeError('profileOnSignal: seconds must be a positive number');
  const samplingInterval = checkSamplingInterval(options.samplingInterval ?? DEFAULT_SAMPLING_INTERVAL);
  const dir = options.dir ?? tmpdir();
  const onWritten = options.onWritten ?? ((files) => console.error(`${prefix()} CPU profile (${seconds} s) written: ${files.join(', ')}`));
  const onError =
    options.onError ??
    ((error) => console.error(`${prefix()} ${signal}: no CPU profile: ${error instanceof ProfilerBusyError ? error.message : String((error as Error)?.stack ?? error)}`));

  const run = async (): Promise<void> => {
    const startedAt = new Date();
    const profile = await recordCpuProfile(seconds, { samplingInterval });
    await mkdir(dir, { recursive: true });
    const files = [join(dir, profileFileName('cpu', 'cpuprofile', startedAt))];
    await writeFile(files[0]!, JSON.stringify(profile));
    if (options.svg === true) {
      files.push(join(dir, profileFileName('cpu', 'svg', startedAt)));
      await writeFile(files[1]!, cpuProfileToSvg(profile, `CPU profile, ${seconds} s (${signal})`));
    }
    onWritten(files);
  };
  const handler = (): void => {
    run().catch((error: unknown) => {
      try {
        onError(error);
      } catch {
        // a failing error callback must not take the process down
      }
    });
  };
  process.on(signal, handler);
  return () => void process.removeListener(signal, handler);
}
