// The JSON test app with observability features chosen by FEATURES (joined with '+': none,
// logger, metrics, context, tracing, tracing-sdk, health): the overhead benchmark's server.
// The logger writes to LOG_FILE (default /dev/null) with createLogger's defaults (lines buffered,
// one write per event-loop turn); logger-unbuffered with bufferSize 0 (pino.destination, one
// asynchronous write per line); logger-pino-format sends the line through pino's own
// formatting (as a `fields` option does). tracing-sdk registers an SDK whose spans
// are dropped (a processor that does nothing), to measure span creation itself.
import { createApp, type Middleware } from '@armature/core';
import { createLogger, requestLogger } from '@armature/observability/logger';
import { createMetrics } from '@armature/observability/metrics';
import { requestContext } from '@armature/observability/context';
import { tracing } from '@armature/observability/tracing';
import { createHealth } from '@armature/observability/health';

const features = new Set((process.env.FEATURES ?? 'none').split('+').filter((f) => f !== 'none' && f !== ''));
const known = ['logger', 'logger-unbuffered', 'logger-pino-format', 'metrics', 'context', 'tracing', 'tracing-sdk', 'health'];
for (const f of features) if (!known.includes(f)) throw new Error(`FEATURES: unknown "${f}" (known: none, ${known.join(', ')})`);

if (features.has('tracing-sdk')) {
  const { BasicTracerProvider } = await import('@opentelemetry/sdk-trace-base');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { W3CTraceContextPropagator } = await import('@opentelemetry/core');
  const { context, propagation, trace } = await import('@opentelemetry/api');
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const drop = { onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} };
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [drop] }));
  features.add('tracing');
}

const app = createApp();
const middleware: Middleware[] = [];
if (features.has('context')) middleware.push(requestContext());
const logFile = process.env.LOG_FILE ?? '/dev/null';
if (features.has('logger')) middleware.push(requestLogger({ logger: createLogger({ destination: logFile, pretty: false }) }));
if (features.has('logger-unbuffered')) middleware.push(requestLogger({ logger: createLogger({ destination: logFile, pretty: false, bufferSize: 0 }) }));
// an empty `fields`: the line goes through logger.info({...}) and pino's per-key formatting
if (features.has('logger-pino-format')) middleware.push(requestLogger({ logger: createLogger({ destination: logFile, pretty: false }), fields: () => ({}) }));
if (features.has('tracing')) middleware.push(tracing());
if (features.has('metrics')) {
  const metrics = createMetrics();
  metrics.watch(app);
  middleware.push(metrics.middleware);
}
if (features.has('health')) middleware.push(createHealth().middleware);
for (const m of middleware) app.use(m);
app.get('/json', () => ({ message: 'Hello, World!' }));
const { port } = await app.listen({ port: Number(process.env.PORT ?? 8080), host: '127.0.0.1' });
console.log(`listening on ${port}`);
process.once('SIGTERM', () => void app.close({ timeout: 2000 }).then(() => process.exit(0)));
