/** Workers on every core: the options, the primary's supervisor, the worker side. */
export { resolveWorkers, reusePortSupported, type WorkersOption, type WorkersOptions, type ResolvedWorkers } from './options.js';
export { Supervisor, type WorkerStatus, type WorkerState } from './supervisor.js';
export { isWorker, workerId, workerListenOptions, announceListening, drainOnSignals, WORKER_ENV } from './worker.js';
