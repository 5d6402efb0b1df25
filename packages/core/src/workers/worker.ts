/**
 * The worker side: is this process a worker of an Armature primary, which one, how it binds the
 * port, and telling the primary it listens.
 */
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';

/** Environment variables the primary gives each worker. */
export const WORKER_ENV = { id: 'ARMATURE_WORKER_ID', mode: 'ARMATURE_WORKER_MODE', port: 'ARMATURE_WORKER_PORT' } as const;

/** This process's worker number (1…n), or null in the primary or a plain process. */
export function workerId(): number | null {
  const id = process.env[WORKER_ENV.id];
  return cluster.isWorker && id !== undefined ? Number(id) : null;
}

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
          console.error(`[armature worker ${workerId()}] shutdown failed:`, error);
          process.exit(1);
        },
      );
    });
  }
}
