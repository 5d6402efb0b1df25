/**
 * The observability pieces as DI modules. Each `forRoot()` is a global module that applies its
 * middleware to every answer of the app (404s and other answers no route gives included)
 * through `configure(consumer)`, and provides its object to inject:
 *
 *   imports: [
 *     RequestContextModule.forRoot(),                 // first: the rest runs inside the context
 *     LoggerModule.forRoot({ ignore: ['/health/live'] }),   // inject(LOGGER), ctx.log
 *     TracingModule.forRoot(),
 *     MetricsModule.forRoot(),                        // inject(METRICS), GET /metrics
 *     HealthModule.forRoot({ imports: [DbModule], indicators: () => ({ db: postgresIndicator(inject(POOL)) }) }),
 *     ProfilingModule.forRoot({ token: process.env.PROFILING_TOKEN }),   // GET /debug/profile, /debug/heap-snapshot
 *   ]
 *
 * Middleware runs in import order. Options are checked when `forRoot()` is called.
 */
import { AppHost, Injectable, InjectionToken, Module, inject, type DynamicModule, type Middleware, type MiddlewareConsumer, type ModuleImport, type Provider } from '@armature/core';
import type { Logger } from 'pino';
import { currentRequest, requestContext, requireRequest, type RequestStore } from './context.js';
import { createLogger, type LoggerOptions } from './logger/create-logger.js';
import { requestLogger, type RequestLoggerOptions } from './logger/request-logger.js';
import { createMetrics, type Metrics, type MetricsOptions } from './metrics/create-metrics.js';
import { tracing, type TracingOptions } from './tracing.js';
import { createHealth, type Health, type HealthOptions } from './health/health.js';
import type { HealthIndicator } from './health/indicators.js';
import { createProfiling, type ProfilingOptions } from './profiling/endpoint.js';

/** The app's logger (LoggerModule). */
export const LOGGER = new InjectionToken<Logger>('LOGGER');
/** The app's metrics: add your own to `inject(METRICS).registry` (MetricsModule). */
export const METRICS = new InjectionToken<Metrics>('METRICS');
/** The app's health checks (HealthModule). */
export const HEALTH = new InjectionToken<Health>('HEALTH');

const LOGGER_MIDDLEWARE = new InjectionToken<Middleware>('LoggerModule middleware');
const CONTEXT_MIDDLEWARE = new InjectionToken<Middleware>('RequestContextModule middleware');
const TRACING_MIDDLEWARE = new InjectionToken<Middleware>('TracingModule middleware');
const PROFILING_MIDDLEWARE = new InjectionToken<Middleware>('ProfilingModule middleware');

/** The request being served, for singletons (what nestjs-cls's ClsService is to NestJS). */
@Injectable()
export class RequestContextService {
  /** The current request's store, or undefined outside a request. */
  get current(): RequestStore | undefined {
    return currentRequest();
  }
  /** The current request's id (throws outside a request). */
  get id(): string {
    return requireRequest().id;
  }
  get<T = unknown>(key: unknown): T | undefined {
    return currentRequest()?.get<T>(key);
  }
  set(key: unknown, value: unknown): void {
    requireRequest().set(key, value);
  }
}

@Module({})
export class RequestContextModule {
  private readonly middleware = inject(CONTEXT_MIDDLEWARE);
  /** The request context for every request; provides RequestContextService. Import it first. */
  static forRoot(): DynamicModule {
    return {
      module: RequestContextModule,
      global: true,
      providers: [{ provide: CONTEXT_MIDDLEWARE, useValue: requestContext() }, RequestContextService],
      exports: [RequestContextService],
    };
  }
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.middleware).forRoutes('*');
  }
}

export interface LoggerModuleOptions extends LoggerOptions, Omit<RequestLoggerOptions, 'logger'> {
  /** A logger of your own instead of one made from the options. */
  logger?: Logger;
}

@Module({})
export class LoggerModule {
  private readonly middleware = inject(LOGGER_MIDDLEWARE);
  private readonly logger = inject(LOGGER);
  /** The app's logger (inject(LOGGER)) and one line per request; `ctx.log` in handlers. */
  static forRoot(options: LoggerModuleOptions = {}): DynamicModule {
    const { logger: given, ignore, requestIdHeader, headers, levelFor, fields, ...loggerOptions } = options;
    const logger = given ?? createLogger(loggerOptions);
    const middleware = requestLogger({ logger, ignore, requestIdHeader, headers, levelFor, fields });
    return {
      module: LoggerModule,
      global: true,
      providers: [{ provide: LOGGER, useValue: logger }, { provide: LOGGER_MIDDLEWARE, useValue: middleware }],
      exports: [LOGGER],
    };
  }
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.middleware).forRoutes('*');
  }
  /** Once in-flight requests have finished: their buffered lines are written. */
  onApplicationShutdown(): Promise<void> {
    return new Promise((resolve) => {
      try {
        this.logger.flush(() => resolve());
      } catch {
        resolve(); // a destination that cannot flush (not open yet): nothing to wait for
      }
    });
  }
}

@Module({})
export class TracingModule {
  private readonly middleware = inject(TRACING_MIDDLEWARE);
  /** A span per request once an OpenTelemetry SDK is registered (nothing before). */
  static forRoot(options: TracingOptions = {}): DynamicModule {
    return { module: TracingModule, global: true, providers: [{ provide: TRACING_MIDDLEWARE, useValue: tracing(options) }] };
  }
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.middleware).forRoutes('*');
  }
}

@Module({})
export class MetricsModule {
  private readonly metrics = inject(METRICS);
  private readonly host = inject(AppHost);
  /**
   * Prometheus metrics (inject(METRICS)) at `path` (default `/metrics`), with the connections of
   * the app serving the module. Made when forRoot() is called, so that the primary of a
   * multi-worker app (which runs the same imports) answers the workers' requests for the sum.
   */
  static forRoot(options: MetricsOptions = {}): DynamicModule {
    const metrics = createMetrics(options);
    return { module: MetricsModule, global: true, providers: [{ provide: METRICS, useValue: metrics }], exports: [METRICS] };
  }
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.metrics.middleware).forRoutes('*');
    // the engine's open, culled and refused connections, without a watch() call of your own
    const app = this.host.app;
    if (app !== null) this.metrics.watch(app);
  }
}

export interface HealthModuleOptions extends Omit<HealthOptions, 'indicators' | 'livenessIndicators' | 'app'> {
  /** Readiness indicators, or a function returning them that may `inject()` what they check (from `imports`). */
  indicators?: Record<string, HealthIndicator> | (() => Record<string, HealthIndicator>);
  /** Liveness indicators (or a function returning them, like `indicators`). */
  livenessIndicators?: Record<string, HealthIndicator> | (() => Record<string, HealthIndicator>);
  /** Modules whose providers the indicator functions inject. */
  imports?: ModuleImport[];
  /**
   * On shutdown, how long readiness reports 503 before the server stops accepting, in ms
   * (default 0): time for the load balancer to notice (Kubernetes: a few probe periods).
   */
  shutdownDelay?: number;
}

const HEALTH_OPTIONS = new InjectionToken<HealthModuleOptions>('HealthModule options');

@Module({})
export class HealthModule {
  private readonly health = inject(HEALTH);
  private readonly options = inject(HEALTH_OPTIONS);
  /** Liveness and readiness endpoints (inject(HEALTH) for your own); readiness 503 from the start of shutdown. */
  static forRoot(options: HealthModuleOptions = {}): DynamicModule {
    const delay = options.shutdownDelay ?? 0;
    if (!(delay >= 0)) throw new TypeError('HealthModule: shutdownDelay must be a number of ms ≥ 0');
    const { imports, indicators, livenessIndicators, ...rest } = options;
    createHealth(rest); // paths and timeout are checked here
    const provider: Provider = {
      provide: HEALTH,
      useFactory: () =>
        createHealth({
          ...rest,
          indicators: typeof indicators === 'function' ? indicators() : indicators,
          livenessIndicators: typeof livenessIndicators === 'function' ? livenessIndicators() : livenessIndicators,
        }),
    };
    return {
      module: HealthModule,
      global: true,
      imports: imports ?? [],
      providers: [provider, { provide: HEALTH_OPTIONS, useValue: options }],
      exports: [HEALTH],
    };
  }
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.health.middleware).forRoutes('*');
  }
  /** Graceful shutdown has started: readiness answers 503 from now on (then waits shutdownDelay). */
  async beforeApplicationShutdown(): Promise<void> {
    this.health.shutdown();
    const delay = this.options.shutdownDelay ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

@Module({})
export class ProfilingModule {
  private readonly middleware = inject(PROFILING_MIDDLEWARE);
  /**
   * CPU profiles and heap snapshots of the process that answers (`GET /debug/profile?seconds=N`,
   * `GET /debug/heap-snapshot`), behind a bearer `token` or your `authorize(ctx)`: forRoot()
   * throws when neither is set.
   */
  static forRoot(options: ProfilingOptions): DynamicModule {
    const profiling = createProfiling(options);
    return { module: ProfilingModule, global: true, providers: [{ provide: PROFILING_MIDDLEWARE, useValue: profiling.middleware }] };
  }
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.middleware).forRoutes('*');
  }
}
