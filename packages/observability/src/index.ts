/**
 * `@armature/observability`: structured request logs (pino), the request context
 * (AsyncLocalStorage), Prometheus metrics summed across workers (prom-client), OpenTelemetry
 * tracing, liveness/readiness health checks, and CPU profiles and heap snapshots of a running
 * process; each as middleware and as a DI module. Every piece also has a subpath of its own
 * (`/logger`, `/context`, `/metrics`, `/tracing`, `/health`, `/profiling`, `/modules`); the
 * flame graph renderer is at `/flame`.
 */
export * from './logger/index.js';
export * from './context.js';
export * from './metrics/index.js';
export * from './tracing.js';
export * from './health/index.js';
export * from './profiling/index.js';
export * from './modules.js';
