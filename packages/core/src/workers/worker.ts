/**
 * The worker side: is this process a worker of an Armature primary, which one, how it binds the
 * port, and telling the primary it listens.
 */
import type { AddressInfo } from 'node:net';
import { logPrefix, WORKER_ENV, workerId } from '../http/worker-id.js';

export { WORKER_ENV, workerId };

/** True in a worker process started by an Armature primary. */
export function isWorker(): boolean {
  return workerId() !== null;
}

/** How the worker binds: the port the primary chose, and with SO_REUSEPORT when that is the mode. */
export function workerListenOptions<T extends { port?: number; reusePort?: boolean; exclusive?: boolean }>(options: T): T {
  const mode = process.env[WORKER_ENV.mode];
  const port = process.env[WORKER_ENV.port];
  const out = { ...options };
  if (port !== undefined) out.port = Number(port);
  // reuseport: each worker binds its own socket (exclusive: not through the cluster primary)
  if (mode === 'reuseport') {
    out.reusePort = true;
    out.exclusive = true;
  }
  return out;
}

export interface WorkerMessage {
  armature: 'listening';
  id: number;
  address: AddressInfo;
}

/** Tells the primary this worker is serving. */
export function announceListening(address: AddressInfo): void {
  const id = workerId();
  if (id === null || process.send === undefined) return;
  const message: WorkerMessage = { armature: 'listening', id, address };
  process.send(message);
}

/**
 * In a worker, stop gracefully on SIGTERM/SIGINT (the primary's stop, or Ctrl-C reaching the
 * whole process group) unless the app installed handlers of its own.
 */
export function drainOnSignals(close: () => Promise<void>): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    if (process.listenerCount(signal) > 0) continue;
    process.once(signal, () => {
      close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`${logPrefix()} shutdown failed:`, error);
          process.exit(1);
        },
      );
    });
  }
}
