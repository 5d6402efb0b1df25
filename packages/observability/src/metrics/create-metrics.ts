/**
 * Prometheus metrics with prom-client: requests and their duration by route pattern, method and
 * status (never by raw path, so the label sets stay bounded), the engine's connections (open,
 * culled, refused), event-loop utilization, and prom-client's process metrics (CPU, heap, GC,
 * event-loop lag). Served at an opt-in path; in a multi-worker app, summed across workers.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import cluster from 'node:cluster';
import { hookMiddleware, workerId, type App, type Context, type Middleware } from '@armature/core';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { observe, tellEnded, type Exchange } from '../exchange.js';
import { askPrimary, installPrimaryAggregator, installWorkerReporter } from './cluster.js';
import { HttpSeries } from './http-series.js';

export interface MetricsOptions {
  /** Where the scrape is served (GET). Default `/metrics`; false: not served by the middleware (use `metrics.handler`). */
  path?: string | false;
  /** Prefix of the metric names this package defines (default none: `http_requests_total`, …). */
  prefix?: string;
  /** Duration histogram buckets, in seconds. */
  buckets?: readonly number[];
  /** prom-client's process and Node.js metrics (CPU, memory, heap, GC, event-loop lag, handles). Default true. */
  defaultMetrics?: boolean;
  /** Labels added to every metric (e.g. `{ service: 'orders' }`). */
  labels?: Record<string, string>;
  /** In a worker of a multi-worker app: serve the sum of every worker's metrics (default true). */
  aggregate?: boolean;
  /** How long the primary waits for the workers' metrics, in ms (default 2000). */
  aggregateTimeout?: number;
  /** Apps whose engine connections to report (or call `metrics.watch(app)` later). */
  app?: App;
  /** Paths not counted (exact match). The scrape path is never counted. */
  ignore?: readonly string[];
  /** The registry to use (default a new one; add your own metrics to `metrics.registry`). */
  registry?: Registry;
}

/** The default duration buckets (seconds): 1 ms to 10 s. */
export const DEFAULT_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The label `route` of an answer no route gave (404, 405, a malformed path). */
export const UNMATCHED_ROUTE = '(unmatched)';

export interface Metrics {
  /** The registry holding every metric of this instance: register your own here. */
  readonly registry: Registry;
  /** Counts and times every request; serves the scrape at `path`. */
  readonly middleware: Middleware;
  /** A route handler answering the scrape (for `app.get('/internal/metrics', metrics.handler)`). */
  readonly handler: (ctx: Context) => Promise<string>;
  /** Reports `app`'s engine connections (open, culled, refused). */
  watch(app: App): void;
  /** The scrape text: this process's metrics, or every worker's in a multi-worker app. */
  scrape(): Promise<string>;
  /** The scrape's Content-Type. */
  readonly contentType: string;
}

/** Makes the metrics of an app (see MetricsOptions). */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const path = options.path === undefined ? '/metrics' : options.path;
  if (path !== false && (typeof path !== 'string' || !path.startsWith('/'))) throw new TypeError(`metrics path must start with "/", got ${String(path)}`);
  const prefix = options.prefix ?? '';
  const timeout = options.aggregateTimeout ?? 2000;
  const registry = options.registry ?? new Registry();
  if (options.labels !== undefined) registry.setDefaultLabels(options.labels);
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const aggregate = options.aggregate !== false;
  // the primary runs the entry script too: there, answer the workers' requests for the sum
  if (aggregate) installPrimaryAggregator(timeout);
  const inWorker = aggregate && cluster.isWorker && workerId() !== null;
  if (inWorker) installWorkerReporter(registry);

  // requests answered in this turn are recorded at its end (see exchange.ts): a read tells them first
  const series = new HttpSeries(options.buckets ?? DEFAULT_BUCKETS, UNMATCHED_ROUTE, tellEnded);
  series.registerCounter(registry, `${prefix}http_requests_total`, 'Requests answered, by method, route pattern and status');
  series.registerHistogram(registry, `${prefix}http_request_duration_seconds`, 'Time from the request reaching the app to the end of its response, by method, route pattern and status');
  let inFlight = 0;
  new Gauge({
    name: `${prefix}http_requests_in_flight`, help: 'Requests being served now', registers: [registry],
    collect() {
      tellEnded();
      this.set(inFlight);
    },
  });

  const apps = new Set<App>();
  const engineTotal = (read: (app: App) => number): number => {
    let sum = 0;
    for (const app of apps) sum += read(app);
    return sum;
  };
  new Gauge({
    name: `${prefix}armature_connections_open`, help: 'Open client connections', registers: [registry],
    collect() { this.set(engineTotal((a) => a.engine?.connectionCount ?? 0)); },
  });
  new Counter({
    name: `${prefix}armature_connections_culled_total`, help: 'Connections closed under pressure or to make room at maxConnections', registers: [registry],
    collect() { this.reset(); this.inc(engineTotal((a) => a.engine?.stats.culled ?? 0)); },
  });
  new Counter({
    name: `${prefix}armature_connections_refused_total`, help: 'New connections refused with 503 (at the limit, or shutting down)', registers: [registry],
    collect() { this.reset(); this.inc(engineTotal((a) => a.engine?.stats.refused ?? 0)); },
  });
  let elu: EventLoopUtilization = performance.eventLoopUtilization();
  new Gauge({
    name: `${prefix}nodejs_eventloop_utilization_ratio`, help: 'Event loop utilization since the previous scrape (0..1)', registers: [registry], aggregator: 'average',
    collect() {
      const now = performance.eventLoopUtilization();
      this.set(performance.eventLoopUtilization(now, elu).utilization);
      elu = now;
    },
  });
  if (options.app !== undefined) apps.add(options.app);

  const finished = (exchange: Exchange): void => {
    inFlight--;
    series.record(exchange.outcome, exchange.duration / 1000);
  };

  const scrape = async (): Promise<string> => {
    if (inWorker) {
      try {
        return await askPrimary(timeout + 1000);
      } catch (error) {
        return `# armature: this worker's metrics only (${(error as Error).message})\n${await registry.metrics()}`;
      }
    }
    return registry.metrics();
  };
  const handler = async (ctx: Context): Promise<string> => {
    const text = await scrape();
    ctx.set('Content-Type', registry.contentType);
    ctx.set('Cache-Control', 'no-store');
    return text;
  };
  const ignore = new Set(options.ignore ?? []);
  // it only acts before the rest of the chain (or answers the scrape): a hook in the chain, no layer of its own
  const middleware = hookMiddleware((ctx: Context): Promise<string> | undefined => {
    if (path !== false && ctx.path === path && (ctx.method === 'GET' || ctx.method === 'HEAD')) return handler(ctx);
    if (ignore.size > 0 && ignore.has(ctx.path)) return undefined;
    inFlight++;
    observe(ctx, finished, true);
    return undefined;
  });
  return {
    registry,
    middleware,
    handler,
    watch: (app) => void apps.add(app),
    scrape,
    get contentType() {
      return registry.contentType;
    },
  };
}

