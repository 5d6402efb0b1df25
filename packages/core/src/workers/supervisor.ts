/**
 * The primary process of `listen({ workers })`: forks the workers (each runs the same entry
 * script and builds its own app, router and DI container), waits until every one listens,
 * replaces a worker that dies (exponential backoff, and a crash-loop limit that stops the app),
 * and on SIGTERM/SIGINT stops them all gracefully (each drains its connections) before exiting.
 */
import cluster, { type Worker } from 'node:cluster';
import { spawnSync } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import type { ResolvedWorkers } from './options.js';
import { WORKER_ENV, type WorkerMessage } from './worker.js';

export type WorkerState = 'starting' | 'listening' | 'stopping' | 'exited';

/** What the primary knows of one worker slot. */
export interface WorkerStatus {
  readonly id: number;
  readonly pid: number | undefined;
  readonly state: WorkerState;
  /** Times this slot's worker was replaced after dying. */
  readonly restarts: number;
  /** When the current process started (ms since the epoch). */
  readonly startedAt: number;
}

interface Slot {
  id: number;
  worker: Worker | null;
  state: WorkerState;
  restarts: number;
  startedAt: number;
  crashes: number[];
  timer: NodeJS.Timeout | null;
}

/** A free port on `host`, for workers that each bind it with SO_REUSEPORT. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host }, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export class Supervisor {
  private readonly slots: Slot[] = [];
  private stopping: Promise<void> | null = null;
  private address: AddressInfo | null = null;
  private ready: { resolve: (a: AddressInfo) => void; reject: (e: Error) => void } | null = null;
  private readonly signalHandlers = new Map<NodeJS.Signals, () => void>();

  constructor(
    private readonly config: ResolvedWorkers,
    private readonly listen: { port?: number; host?: string },
  ) {}

  /** Every worker slot as the primary sees it now. */
  status(): WorkerStatus[] {
    return this.slots.map((s) => ({ id: s.id, pid: s.worker?.process.pid, state: s.state, restarts: s.restarts, startedAt: s.startedAt }));
  }

  /** Runs onPrimary, forks the workers, resolves with the address once all of them listen. */
  async start(): Promise<AddressInfo> {
    const c = this.config;
    if (c.onPrimary !== undefined) await c.onPrimary();
    const host = this.listen.host ?? '127.0.0.1';
    let port = this.listen.port ?? 0;
    if (c.mode === 'reuseport' && port === 0) port = await freePort(host);
    const env: Record<string, string> = { [WORKER_ENV.mode]: c.mode };
    if (port !== 0) env[WORKER_ENV.port] = String(port);
    cluster.setupPrimary({ silent: false });
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const handler = (): void => {
        c.log(`${signal}: stopping ${this.slots.length} workers gracefully`);
        void this.stop().then(() => process.exit(0));
      };
      this.signalHandlers.set(signal, handler);
      process.on(signal, handler);
    }
    const ready = new Promise<AddressInfo>((resolve, reject) => (this.ready = { resolve, reject }));
    for (let id = 1; id <= c.count; id++) {
      const slot: Slot = { id, worker: null, state: 'starting', restarts: 0, startedAt: 0, crashes: [], timer: null };
      this.slots.push(slot);
      this.fork(slot, env);
    }
    c.log(`primary ${process.pid}: ${c.count} workers (${c.mode === 'reuseport' ? 'SO_REUSEPORT, the kernel spreads connections' : 'node:cluster round robin'})`);
    return ready;
  }

  private fork(slot: Slot, env: Record<string, string>): void {
    slot.timer = null;
    const worker = cluster.fork({ ...env, [WORKER_ENV.id]: String(slot.id) });
    slot.worker = worker;
    slot.state = 'starting';
    slot.startedAt = Date.now();
    if (this.config.affinity) this.pin(worker, slot.id);
    worker.on('message', (message: WorkerMessage) => {
      if (message?.armature !== 'listening' || worker !== slot.worker) return;
      slot.state = 'listening';
      this.address ??= message.address;
      if (slot.restarts > 0) this.config.log(`worker ${slot.id} (pid ${worker.process.pid}) is serving again`);
      if (this.ready !== null && this.slots.every((s) => s.state === 'listening')) {
        this.ready.resolve(this.address);
        this.ready = null;
      }
    });
    worker.on('exit', (code, signal) => this.exited(slot, worker, env, code, signal));
  }

  private exited(slot: Slot, worker: Worker, env: Record<string, string>, code: number | null, signal: string | null): void {
    if (worker !== slot.worker) return;
    const wasStopping = this.stopping !== null;
    slot.state = 'exited';
    slot.worker = null;
    if (wasStopping) return;
    const how = signal !== null ? `signal ${signal}` : `code ${code}`;
    const now = Date.now();
    slot.crashes = slot.crashes.filter((t) => now - t < this.config.restartWindow);
    slot.crashes.push(now);
    if (slot.crashes.length > this.config.maxRestarts) {
      const message = `worker ${slot.id} died ${slot.crashes.length} times within ${this.config.restartWindow} ms (last: ${how}): crash loop, stopping the app`;
      this.config.log(message);
      const ready = this.ready;
      this.ready = null;
      void this.stop().then(() => {
        if (ready !== null) ready.reject(new Error(message));
        else process.exit(1);
      });
      return;
    }
    const delay = Math.min(this.config.backoffMax, this.config.backoffInitial * 2 ** (slot.crashes.length - 1));
    slot.restarts++;
    this.config.log(`worker ${slot.id} (pid ${worker.process.pid}) exited with ${how}; restarting it in ${delay} ms`);
    slot.timer = setTimeout(() => this.fork(slot, env), delay);
  }

  private pin(worker: Worker, id: number): void {
    const cpu = (id - 1) % availableParallelism();
    const r = spawnSync('taskset', ['-cp', String(cpu), String(worker.process.pid)], { stdio: 'ignore' });
    if (r.status !== 0) this.config.log(`worker ${id}: could not pin to CPU ${cpu} (taskset ${r.error ? 'is not installed' : 'failed'}); running unpinned`);
  }

  /**
   * Graceful stop: SIGTERM to every worker (each stops accepting and finishes its in-flight
   * requests), SIGKILL to those still running after `shutdownTimeout`. Idempotent.
   */
  stop(): Promise<void> {
    return (this.stopping ??= this.stopAll());
  }

  private async stopAll(): Promise<void> {
    for (const [signal, handler] of this.signalHandlers) process.removeListener(signal, handler);
    const running: Array<Promise<void>> = [];
    for (const slot of this.slots) {
      if (slot.timer !== null) clearTimeout(slot.timer);
      const worker = slot.worker;
      if (worker === null) continue;
      slot.state = 'stopping';
      running.push(new Promise((resolve) => worker.once('exit', () => resolve())));
      worker.process.kill('SIGTERM');
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        for (const slot of this.slots) slot.worker?.process.kill('SIGKILL');
        resolve();
      }, this.config.shutdownTimeout);
    });
    await Promise.race([Promise.all(running), deadline]);
    clearTimeout(timer);
  }
}
