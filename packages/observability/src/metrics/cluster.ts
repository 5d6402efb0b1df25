/**
 * Metrics of every worker in one scrape. Prometheus reaches one worker through the shared port;
 * that worker asks the primary, which asks every worker for its registry (as JSON), sums them
 * (prom-client's aggregation: counters and histograms summed, gauges by their `aggregator`)
 * and sends the text back. Over the workers' IPC channels (`node:cluster`), no port of its own.
 * A worker that does not answer in time is left out; the scrape says how many answered.
 */
import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

const ASK = 'armature:metrics:ask'; // worker → primary: aggregate for me
const COLLECT = 'armature:metrics:collect'; // primary → every worker: your registry, please
const REPORT = 'armature:metrics:report'; // worker → primary: here it is
const ANSWER = 'armature:metrics:answer'; // primary → asking worker: the aggregated text

interface Message {
  armature?: string;
  id?: number;
  metrics?: unknown[];
  text?: string;
  error?: string;
}

let primaryInstalled = false;
let workerRegistry: Registry | null = null;
let seq = 0;
const waiting = new Map<number, { resolve(text: string): void; reject(error: Error): void; timer: NodeJS.Timeout }>();

/** In the primary: answers workers' requests for the aggregated metrics (idempotent). */
export function installPrimaryAggregator(timeout: number): void {
  if (primaryInstalled || !cluster.isPrimary) return;
  primaryInstalled = true;
  const rounds = new Map<number, { asker: number; ask: number; pending: Set<number>; results: unknown[][]; timer: NodeJS.Timeout }>();
  const settle = (round: number): void => {
    const r = rounds.get(round);
    if (r === undefined) return;
    rounds.delete(round);
    clearTimeout(r.timer);
    const asker = cluster.workers?.[r.asker];
    const send = (reply: Message): void => {
      if (asker !== undefined && asker.isConnected()) asker.send(reply);
    };
    const total = r.results.length + r.pending.size;
    Promise.resolve()
      .then(() => AggregatorRegistry.aggregate(r.results as never).metrics())
      .then(
        (body) => send({ armature: ANSWER, id: r.ask, text: `# armature: metrics of ${r.results.length} of ${total} workers\n${body}` }),
        (error: Error) => send({ armature: ANSWER, id: r.ask, error: error.message }),
      );
  };
  cluster.on('message', (worker, message: Message) => {
    if (message === null || typeof message !== 'object') return;
    if (message.armature === ASK && typeof message.id === 'number') {
      const round = ++seq;
      const pending = new Set<number>();
      for (const w of Object.values(cluster.workers ?? {})) {
        if (w === undefined || !w.isConnected()) continue;
        pending.add(w.id);
        w.send({ armature: COLLECT, id: round });
      }
      rounds.set(round, { asker: worker.id, ask: message.id, pending, results: [], timer: setTimeout(() => settle(round), timeout) });
      if (pending.size === 0) settle(round);
    } else if (message.armature === REPORT && typeof message.id === 'number') {
      const r = rounds.get(message.id);
      if (r === undefined || !r.pending.delete(worker.id)) return;
      if (Array.isArray(message.metrics)) r.results.push(message.metrics);
      if (r.pending.size === 0) settle(message.id);
    }
  });
}

/** In a worker: report `registry` when the primary collects, and ask the primary for the aggregate. */
export function installWorkerReporter(registry: Registry): void {
  if (!cluster.isWorker) return;
  const first = workerRegistry === null;
  workerRegistry = registry;
  if (!first) return;
  process.on('message', (message: Message) => {
    if (message === null || typeof message !== 'object') return;
    if (message.armature === COLLECT) {
      workerRegistry!.getMetricsAsJSON().then(
        (metrics) => process.send?.({ armature: REPORT, id: message.id, metrics }),
        () => process.send?.({ armature: REPORT, id: message.id, metrics: [] }),
      );
    } else if (message.armature === ANSWER && typeof message.id === 'number') {
      const w = waiting.get(message.id);
      if (w === undefined) return;
      waiting.delete(message.id);
      clearTimeout(w.timer);
      if (message.error !== undefined) w.reject(new Error(message.error));
      else w.resolve(message.text ?? '');
    }
  });
}

/** In a worker: the aggregated text of every worker's metrics, through the primary. */
export function askPrimary(timeout: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined || !process.connected) {
      reject(new Error('not connected to a primary'));
      return;
    }
    const id = ++seq;
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error(`the primary did not answer within ${timeout} ms (does the entry script create the metrics at its top level, so that the primary runs it too?)`));
    }, timeout);
    waiting.set(id, { resolve, reject, timer });
    process.send({ armature: ASK, id });
  });
}
