// Tracing: nothing without an SDK; with one (in-memory exporter), a SERVER span per request whose
// parent comes from traceparent, named by route pattern, with status and error attributes, active
// while the handler runs, and its ids on the request's log lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '@armature/core';
import { context, propagation, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { requestLogger } from '@armature/observability/logger';
import { tracing } from '@armature/observability/tracing';
import { capturedLogger } from './capture.fixture.js';

const PARENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';

test('without an SDK: no span, nothing wrapped', async () => {
  const app = createApp();
  app.use(tracing());
  let wrapped: boolean | null = null;
  app.get('/', (ctx) => {
    wrapped = Object.prototype.hasOwnProperty.call(ctx.res, 'end');
    return trace.getActiveSpan() === undefined ? 'no span' : 'span';
  });
  const r = await app.inject({ url: '/', headers: { traceparent: `00-${PARENT_TRACE}-${PARENT_SPAN}-01` } });
  assert.equal(r.body, 'no span');
  assert.equal(wrapped, false);
});

test('with an SDK: spans with W3C parents, route names, status and errors', async () => {
  const exporter = new InMemorySpanExporter();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));

  const { logger, lines } = capturedLogger();
  const app = createApp({ onError: () => {} });
  app.use(tracing(), requestLogger({ logger }));
  let activeInHandler: string | undefined;
  app.get('/orders/:id', async (ctx) => {
    await new Promise((r) => setTimeout(r, 2));
    activeInHandler = trace.getActiveSpan()?.spanContext().spanId;
    ctx.log.info('in handler');
    return { id: ctx.params.id };
  });
  app.get('/fail', () => {
    throw new RangeError('out of range');
  });
  await app.inject({ url: '/orders/5', headers: { traceparent: `00-${PARENT_TRACE}-${PARENT_SPAN}-01`, 'user-agent': 'probe/1' } });
  await app.inject('/fail');
  await app.inject('/none');

  const spans = exporter.getFinishedSpans();
  assert.equal(spans.length, 3);
  const [ok, failed, missing] = spans as [any, any, any];
  assert.equal(ok.name, 'GET /orders/:id');
  assert.equal(ok.kind, SpanKind.SERVER);
  assert.equal(ok.spanContext().traceId, PARENT_TRACE);
  assert.equal(ok.parentSpanContext?.spanId ?? ok.parentSpanId, PARENT_SPAN);
  assert.equal(activeInHandler, ok.spanContext().spanId);
  assert.equal(ok.attributes['http.route'], '/orders/:id');
  assert.equal(ok.attributes['http.request.method'], 'GET');
  assert.equal(ok.attributes['url.path'], '/orders/5');
  assert.equal(ok.attributes['user_agent.original'], 'probe/1');
  assert.equal(ok.attributes['http.response.status_code'], 200);
  assert.equal(ok.status.code, SpanStatusCode.UNSET);

  assert.equal(failed.name, 'GET /fail');
  assert.notEqual(failed.spanContext().traceId, PARENT_TRACE); // a new trace
  assert.equal(failed.attributes['http.response.status_code'], 500);
  assert.equal(failed.attributes['error.type'], 'RangeError');
  assert.equal(failed.status.code, SpanStatusCode.ERROR);
  assert.equal(failed.events[0]?.name, 'exception');

  assert.equal(missing.name, 'GET');
  assert.equal(missing.attributes['http.response.status_code'], 404);
  assert.equal(missing.status.code, SpanStatusCode.UNSET);

  const inHandler = lines.find((l) => l.msg === 'in handler')!;
  assert.equal(inHandler.traceId, PARENT_TRACE);
  assert.equal(inHandler.spanId, ok.spanContext().spanId);
  assert.equal(lines.find((l) => l.msg === 'request completed' && l.url === '/orders/5')!.traceId, PARENT_TRACE);
});
