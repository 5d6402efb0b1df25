// Observability on one app: a JSON line per request (pino), the request context in a service,
// Prometheus metrics at /metrics (summed across workers), OpenTelemetry spans (printed to the
// console with OTEL_CONSOLE=1), liveness/readiness probes with PostgreSQL and Redis checks, and
// CPU profiles / heap snapshots of the worker that answers (with PROFILING_TOKEN set).
//   PORT=3000 WORKERS=2 PROFILING_TOKEN=$(openssl rand -hex 16) npx tsx examples/observability/main.ts
//   curl localhost:3000/users/7 ; curl localhost:3000/metrics ; curl -i localhost:3000/health/ready
//   curl -H "Authorization: Bearer $PROFILING_TOKEN" -o flame.svg 'localhost:3000/debug/profile?seconds=5&format=svg'
//   kill -USR2 <a worker's pid>    → a 10 s .cpuprofile and its flame graph in the OS temp directory
// Optional: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp, isWorker, NotFoundException, workerId } from '@armature/core';
import { createLogger, logErrors, requestLogger } from '@armature/observability/logger';
import { currentRequest, requestContext } from '@armature/observability/context';
import { createMetrics } from '@armature/observability/metrics';
import { tracing } from '@armature/observability/tracing';
import { createHealth, heapIndicator, postgresIndicator, redisIndicator, type HealthIndicator } from '@armature/observability/health';
import { createProfiling, profileOnSignal } from '@armature/observability/profiling';

if (process.env.OTEL_CONSOLE === '1') {
  // an SDK of your choice; the console exporter here, OTLP (@opentelemetry/exporter-trace-otlp-http) in production
  const { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { W3CTraceContextPropagator } = await import('@opentelemetry/core');
  const { context, propagation, trace } = await import('@opentelemetry/api');
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] }));
}

const logger = createLogger({ name: 'observability-example' });
// created at the top level: the primary of a multi-worker app runs this too, and sums the workers' metrics
const metrics = createMetrics();

const indicators: Record<string, HealthIndicator> = {};
if (isWorker() || process.env.WORKERS === undefined) {
  if (process.env.DATABASE_URL) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
    pool.on('error', (error) => logger.warn({ err: error }, 'postgres pool error'));
    indicators.postgres = postgresIndicator(pool);
  }
  if (process.env.REDIS_URL) {
    const { Redis } = await import('ioredis');
    const redis = new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    redis.on('error', () => {}); // the readiness check reports it
    indicators.redis = redisIndicator(redis);
  }
}
const health = createHealth({ indicators, livenessIndicators: { heap: heapIndicator(1024 * 1024 * 1024) } });

/** A service without request scope that still knows which request it serves. */
const audit = {
  record(action: string): void {
    const request = currentRequest();
    request?.log.info({ action, user: request.user ?? 'anonymous' }, 'audit');
  },
};

const app = createApp({ onError: logErrors(logger) });
app.use(requestContext());
app.use(requestLogger({ logger, ignore: ['/health/live', '/health/ready', '/metrics'] }));
app.use(tracing({ ignore: ['/health/live', '/health/ready', '/metrics'] }));
app.use(metrics.middleware);
app.use(health.middleware);
// opt-in, and never open: createProfiling() throws without a token (or an authorize function)
const profilingToken = process.env.PROFILING_TOKEN;
if (profilingToken !== undefined) app.use(createProfiling({ token: profilingToken, maxSeconds: 30 }).middleware);
if (isWorker() || process.env.WORKERS === undefined) profileOnSignal({ svg: true }); // SIGUSR2, in the process that serves
metrics.watch(app);
health.watch(app);

const users = new Map([['7', { id: 7, name: 'Ada' }]]);
app.get('/', () => ({ worker: workerId(), pid: process.pid }));
app.get('/users/:id', async (ctx) => {
  audit.record('read user');
  await sleep(Number(ctx.query.delay ?? 0));
  const user = users.get(ctx.params.id);
  if (user === undefined) throw new NotFoundException(`No user ${ctx.params.id}`);
  return { ...user, worker: workerId() };
});
app.get('/boom', () => {
  throw new Error('something broke');
});

const count = process.env.WORKERS;
const address = await app.listen({
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
  ...(count === undefined ? {} : { workers: count === 'auto' ? ('auto' as const) : Number(count) }),
});
if (!isWorker()) console.log(`observability example listening on http://${address.address}:${address.port}`);
