/**
 * OpenTelemetry tracing through `@opentelemetry/api`: a SERVER span per request, its parent taken
 * from the W3C `traceparent`/`tracestate` fields (through whatever propagator the SDK
 * registered), named `METHOD /route/:pattern`, with the route, status and error attributes of
 * the HTTP semantic conventions, and active while the handler runs (so spans of outgoing calls
 * nest under it). Without a registered SDK it does nothing at all.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, ROOT_CONTEXT, type Attributes, type Span, type TextMapGetter, type Tracer } from '@opentelemetry/api';
import type { Context, Middleware } from '@armature/core';
import type { HeaderList } from '@armature/core/http';
import { observe, type Exchange } from './exchange.js';

export interface TracingOptions {
  /** The tracer to use (default: the global provider's tracer `@armature/observability`, once an SDK is registered). */
  tracer?: Tracer;
  /** Paths not traced (exact match, e.g. probes and the metrics scrape). */
  ignore?: readonly string[];
  /** Extra attributes of a request's span, at its start. */
  attributes?: (ctx: Context) => Attributes;
}

const TRACER_NAME = '@armature/observability';

const headerGetter: TextMapGetter<HeaderList> = {
  get: (carrier, key) => carrier.get(key),
  keys: (carrier) => Object.keys(carrier.toObject()),
};

type ProxyProvider = { getDelegateTracer?(name: string): Tracer | undefined };

/** The global SDK's tracer, or null while none is registered (checked per request until one is). */
function globalTracer(): Tracer | null {
  const provider = trace.getTracerProvider() as ProxyProvider;
  if (typeof provider.getDelegateTracer !== 'function') return trace.getTracer(TRACER_NAME);
  return provider.getDelegateTracer(TRACER_NAME) ?? null;
}

function endSpan(exchange: Exchange): void {
  const span = exchange.span as Span;
  const status = exchange.status;
  span.setAttribute('http.response.status_code', status);
  const error = exchange.error;
  if (error !== undefined && status >= 500) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setAttribute('error.type', error instanceof Error ? error.constructor.name : 'Error');
  } else if (status >= 500) span.setAttribute('error.type', String(status));
  if (status >= 500 || exchange.aborted) span.setStatus({ code: SpanStatusCode.ERROR, message: exchange.aborted ? 'response cut short' : undefined });
  span.end();
}

/** A span per request (see TracingOptions). */
export function tracing(options: TracingOptions = {}): Middleware {
  let tracer: Tracer | null = options.tracer ?? null;
  const ignore = new Set(options.ignore ?? []);
  const extra = options.attributes;
  return (ctx, next) => {
    if (tracer === null && (tracer = globalTracer()) === null) return next();
    if (ignore.size > 0 && ignore.has(ctx.path)) return next();
    const parent = propagation.extract(ROOT_CONTEXT, ctx.req.headers, headerGetter);
    const route = ctx.routePath;
    const attributes: Attributes = {
      'http.request.method': ctx.method,
      'url.path': ctx.path,
      'url.scheme': ctx.req.secure ? 'https' : 'http',
    };
    if (route !== null) attributes['http.route'] = route;
    const agent = ctx.req.headers.get('user-agent');
    if (agent !== undefined) attributes['user_agent.original'] = agent;
    if (extra !== undefined) Object.assign(attributes, extra(ctx));
    const span = tracer.startSpan(route === null ? ctx.method : `${ctx.method} ${route}`, { kind: SpanKind.SERVER, attributes }, parent);
    const exchange = observe(ctx, endSpan);
    exchange.span = span;
    const active = trace.setSpan(parent, span);
    return context.with(active, next);
  };
}
