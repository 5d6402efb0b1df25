/**
 * Which process this is: a worker of an Armature primary (and which one), or not. Kept in the
 * ground layer so that everything that logs can name the worker (`workers/` forks them).
 */
import cluster from 'node:cluster';

/** Environment variables the primary gives each worker. */
export const WORKER_ENV = { id: 'ARMATURE_WORKER_ID', mode: 'ARMATURE_WORKER_MODE', port: 'ARMATURE_WORKER_PORT' } as const;

/** This process's worker number (1…n), or null in the primary or a plain process. */
export function workerId(): number | null {
  const id = process.env[WORKER_ENV.id];
  return cluster.isWorker && id !== undefined ? Number(id) : null;
}

/** The prefix of the framework's own log lines: `[armature]`, or `[armature worker 3]` in worker 3. */
export function logPrefix(): string {
  const id = workerId();
  return id === null ? '[armature]' : `[armature worker ${id}]`;
}
