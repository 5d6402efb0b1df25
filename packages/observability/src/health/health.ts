/**
 * Liveness and readiness, as Kubernetes probes them. Liveness: the process answers (and its own
 * indicators, such as memory, hold). Readiness: every readiness indicator is up within the
 * timeout, and the app is not shutting down: from the moment graceful shutdown starts the
 * readiness answer is 503, so the load balancer stops sending new requests while the in-flight
 * ones finish. Answers have the shape of `@nestjs/terminus`'s.
 */
import type { App, Context, Middleware } from '@armature/core';
import { IndicatorDown, type HealthIndicator, type IndicatorDetails } from './indicators.js';

export interface HealthOptions {
  /** Liveness path (GET/HEAD). Default `/health/live`; false: not served. */
  liveness?: string | false;
  /** Readiness path (GET/HEAD). Default `/health/ready`; false: not served. */
  readiness?: string | false;
  /** Indicators of readiness (databases, caches, downstream services) by name. */
  indicators?: Record<string, HealthIndicator>;
  /** Indicators of liveness (keep these local: a database outage must not restart every pod). */
  livenessIndicators?: Record<string, HealthIndicator>;
  /** How long an indicator may take before it counts as down, in ms (default 3000). */
  timeout?: number;
  /** Apps whose graceful shutdown turns readiness off (or call `health.watch(app)`). */
  app?: App;
}

export type HealthStatus = 'ok' | 'error' | 'shutting_down';

export interface IndicatorState extends IndicatorDetails {
  status: 'up' | 'down';
}

/** The body of a health answer (200 when `status` is `ok`, 503 otherwise). */
export interface HealthReport {
  status: HealthStatus;
  /** Indicators that are up. */
  info: Record<string, IndicatorState>;
  /** Indicators that are down. */
  error: Record<string, IndicatorState>;
  /** All of them. */
  details: Record<string, IndicatorState>;
}

export type HealthKind = 'liveness' | 'readiness';

export interface Health {
  /** Serves the liveness and readiness paths. */
  readonly middleware: Middleware;
  /** Runs the indicators of `kind` now. */
  check(kind: HealthKind): Promise<HealthReport>;
  /** Turns readiness off for good (graceful shutdown has started). */
  shutdown(): void;
  /** True once shutdown() was called or a watched app started closing. */
  readonly shuttingDown: boolean;
  /** Readiness turns off when `app` starts closing (`app.close()`, a worker's SIGTERM). */
  watch(app: App): void;
}

function checkPath(path: string | false, what: string): string | false {
  if (path !== false && (typeof path !== 'string' || !path.startsWith('/'))) throw new TypeError(`health: ${what} must be a path starting with "/" or false, got ${String(path)}`);
  return path;
}

function checkIndicators(indicators: Record<string, HealthIndicator> | undefined, what: string): Array<[string, HealthIndicator]> {
  const list = Object.entries(indicators ?? {});
  for (const [name, fn] of list) if (typeof fn !== 'function') throw new TypeError(`health: ${what} "${name}" must be a function`);
  return list;
}

async function runIndicator(fn: HealthIndicator, timeout: number): Promise<IndicatorState> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      Promise.resolve().then(fn),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new IndicatorDown(`timed out after ${timeout} ms`)), timeout);
      }),
    ]);
    const details = result !== null && typeof result === 'object' ? (result as IndicatorDetails) : {};
    return { ...details, status: 'up' };
  } catch (error) {
    const details = error instanceof IndicatorDown ? error.details : {};
    return { ...details, status: 'down', message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Makes the health checks of an app (see HealthOptions). */
export function createHealth(options: HealthOptions = {}): Health {
  const liveness = checkPath(options.liveness ?? '/health/live', 'liveness');
  const readiness = checkPath(options.readiness ?? '/health/ready', 'readiness');
  const ready = checkIndicators(options.indicators, 'indicator');
  const live = checkIndicators(options.livenessIndicators, 'liveness indicator');
  const timeout = options.timeout ?? 3000;
  if (!(timeout > 0)) throw new TypeError('health: timeout must be a positive number of ms');
  const apps = new Set<App>();
  if (options.app !== undefined) apps.add(options.app);
  let stopped = false;
  const shuttingDown = (): boolean => {
    if (stopped) return true;
    for (const app of apps) if (app.engine?.closing === true) return (stopped = true);
    return false;
  };
  // concurrent probes share one run of the indicators
  const running: Record<HealthKind, Promise<HealthReport> | null> = { liveness: null, readiness: null };

  const run = async (kind: HealthKind): Promise<HealthReport> => {
    const list = kind === 'liveness' ? live : ready;
    const states = await Promise.all(list.map(([, fn]) => runIndicator(fn, timeout)));
    const report: HealthReport = { status: 'ok', info: {}, error: {}, details: {} };
    list.forEach(([name], i) => {
      const state = states[i]!;
      report.details[name] = state;
      if (state.status === 'up') report.info[name] = state;
      else {
        report.error[name] = state;
        report.status = 'error';
      }
    });
    if (kind === 'readiness' && shuttingDown()) report.status = 'shutting_down';
    return report;
  };
  const check = (kind: HealthKind): Promise<HealthReport> => {
    const current = running[kind];
    if (current !== null) return current;
    const p = run(kind).finally(() => {
      running[kind] = null;
    });
    running[kind] = p;
    return p;
  };
  const answer = async (ctx: Context, kind: HealthKind): Promise<HealthReport> => {
    const report = kind === 'readiness' && shuttingDown() ? { status: 'shutting_down' as const, info: {}, error: {}, details: {} } : await check(kind);
    ctx.status(report.status === 'ok' ? 200 : 503);
    ctx.set('Cache-Control', 'no-store');
    return report;
  };
  const middleware: Middleware = (ctx, next) => {
    const path = ctx.path;
    if (path !== liveness && path !== readiness) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    return answer(ctx, path === liveness ? 'liveness' : 'readiness');
  };
  return {
    middleware,
    check,
    shutdown: () => void (stopped = true),
    get shuttingDown() {
      return shuttingDown();
    },
    watch: (app) => void apps.add(app),
  };
}
