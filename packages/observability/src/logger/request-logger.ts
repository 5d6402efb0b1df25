/**
 * One log line per request: method, path, route pattern, status, duration, bytes, request id
 * (and the worker, from the logger's base), at `info` (`error` for 5xx, with the error), and
 * `ctx.log`, a child logger carrying the request id, made on first use.
 */
import { Context, type Middleware } from '@armature/core';
import { tracingChannel } from 'node:diagnostics_channel';
import pino, { type Logger } from 'pino';
import { exchangeOf, observe, type Exchange } from '../exchange.js';
import { createLogger } from './create-logger.js';
import { nextRequestId, wellFormedId } from '../request-ids.js';

declare module '@armature/core' {
  interface Context {
    /**
     * This request's logger: a child of the request logger's with `reqId` (and the trace ids when
     * tracing), or the last created request logger's own outside an observed request.
     */
    readonly log: Logger;
  }
}

export interface RequestLoggerOptions {
  /** The logger to write to (default: `createLogger()`, level from `LOG_LEVEL`). */
  logger?: Logger;
  /** Paths not logged (exact match, e.g. health probes): `['/health/live', '/metrics']`. */
  ignore?: readonly string[];
  /** Header field that carries a request id in (and, from the request-id middleware, out). Default `x-request-id`. */
  requestIdHeader?: string;
  /** Log the request's header fields (authorization and cookies redacted). Default false. */
  headers?: boolean;
  /** The level of a request's line by status (default: `error` for 5xx, `info` otherwise). */
  levelFor?: (status: number, error: unknown) => 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** Extra fields for a request's line (called once the response is over). */
  fields?: (ctx: Context) => Record<string, unknown>;
}


/** The logger `ctx.log` falls back to outside an observed request. */
let fallback: Logger | null = null;

function installContextLog(): void {
  if (Object.getOwnPropertyDescriptor(Context.prototype, 'log') !== undefined) return;
  Object.defineProperty(Context.prototype, 'log', {
    configurable: true,
    get(this: Context): Logger {
      const exchange = exchangeOf(this);
      if (exchange === undefined || exchange.logger === undefined) return (fallback ??= createLogger());
      return (exchange.log ??= childLogger(exchange)) as Logger;
    },
  });
}

function childLogger(exchange: Exchange): Logger {
  const bindings: Record<string, unknown> = { reqId: exchange.requestId };
  if (exchange.span !== null) {
    const { traceId, spanId } = exchange.span.spanContext();
    bindings.traceId = traceId;
    bindings.spanId = spanId;
  }
  return (exchange.logger as Logger).child(bindings);
}


const S = pino.symbols as unknown as Record<string, symbol>;
/** pino's own tracing of line formatting: when someone listens, lines go through pino. */
const asJsonChannel = tracingChannel('pino_asJson');
/** The fields of the request line, in their order. */
const LINE_KEYS = ['reqId', 'method', 'url', 'route', 'status', 'durationMs', 'bytes', 'traceId', 'spanId', 'aborted'];

/**
 * The pieces to assemble a request line by hand, exactly as pino would write it, when `logger`
 * formats lines the default way: no mixin, log formatter, hooks, message prefix or nested key,
 * no serializer or redaction of the line's fields, a stream that needs no metadata. Null when
 * it does not (the line then goes through `logger.info(…)`).
 */
function plainLine(logger: Logger): { stream: { write(line: string): unknown }; tail: string } | null {
  const l = logger as unknown as Record<symbol, any>;
  const serializers = l[S.serializersSym!] ?? {};
  const stringifiers = l[S.stringifiersSym!] ?? {};
  const hooks = l[S.hooksSym!] ?? {};
  const stream = l[S.streamSym!];
  const plain = l[S.mixinSym!] == null && l[S.formattersSym!]?.log === undefined && hooks.logMethod == null && hooks.streamWrite == null
    && typeof l[S.msgPrefixSym!] !== 'string' && !l[S.nestedKeySym!] && stringifiers[S.wildcardFirstSym!] === undefined
    && LINE_KEYS.every((k) => serializers[k] === undefined && stringifiers[k] === undefined)
    && typeof l[S.timeSym!] === 'function' && typeof l[S.chindingsSym!] === 'string' && typeof l[S.endSym!] === 'string'
    && stream != null && typeof stream.write === 'function' && stream[S.needsMetadataGsym!] !== true;
  if (!plain) return null;
  return { stream, tail: `,${JSON.stringify(String(l[S.messageKeySym!]))}:"request completed"${l[S.endSym!]}` };
}

/** Milliseconds as `Math.round(ms * 1000) / 1000` prints, without printing a fraction (which costs more). */
export function formatMs(ms: number): string {
  const us = Math.round(ms * 1000);
  if (!(us >= 0 && us <= 0x7fffffff)) return String(us / 1000);
  const whole = Math.floor(us / 1000);
  const frac = us - whole * 1000;
  if (frac === 0) return '' + whole;
  if (frac % 100 === 0) return whole + '.' + frac / 100;
  if (frac % 10 === 0) return whole + (frac < 100 ? '.0' : '.') + frac / 10;
  return whole + (frac < 10 ? '.00' : frac < 100 ? '.0' : '.') + frac;
}

/** The standard methods as JSON strings. */
const quotedMethods = new Map<string, string>(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map((m) => [m, `"${m}"`]));
/** Route patterns as JSON strings (they are few: the apps' routes). */
const quotedRoutes = new Map<string, string>();
function quotedRoute(route: string): string {
  let q = quotedRoutes.get(route);
  if (q === undefined) quotedRoutes.set(route, (q = JSON.stringify(route)));
  return q;
}

/** Structured request logging (see RequestLoggerOptions). */
export function requestLogger(options: RequestLoggerOptions = {}): Middleware {
  const logger = options.logger ?? createLogger();
  const ignore = new Set(options.ignore ?? []);
  const idHeader = (options.requestIdHeader ?? 'x-request-id').toLowerCase();
  const levelFor = options.levelFor ?? ((status: number) => (status >= 500 ? 'error' : 'info'));
  const headers = options.headers === true;
  const fields = options.fields;
  installContextLog();
  fallback = logger;
  // the line's fixed fields assembled here (no object, no per-key formatting) when pino would write them the same way
  const plain = headers || fields !== undefined ? null : plainLine(logger);
  const l = logger as unknown as Record<symbol, any>;
  // pino's default timestamp, printed once per millisecond rather than once per line
  const epochTime = l[S.timeSym!] === pino.stdTimeFunctions.epochTime;
  let timeAt = 0;
  let timeText = '';
  const time = (): string => {
    if (!epochTime) return l[S.timeSym!]();
    const now = Date.now();
    if (now !== timeAt) {
      timeAt = now;
      timeText = ',"time":' + now;
    }
    return timeText;
  };

  const finished = (exchange: Exchange): void => {
    const ctx = exchange.ctx;
    const status = exchange.status;
    const echoed = ctx.res.getHeader(idHeader); // a request-id middleware after this one made one
    if (echoed !== undefined && echoed !== exchange.requestId && wellFormedId(echoed) !== undefined) exchange.requestId = echoed;
    const lineLevel = levelFor(status, exchange.error);
    if (!logger.isLevelEnabled(lineLevel)) return;
    if (plain !== null && !(status >= 500 && exchange.error !== undefined) && !asJsonChannel.hasSubscribers) {
      const route = ctx.routePath;
      const method = ctx.method;
      // request ids are well-formed (no character to escape): the incoming one checked, or made here
      let line = l[S.lsCacheSym!][logger.levels.values[lineLevel]!] + time() + l[S.chindingsSym!]
        + ',"reqId":"' + exchange.requestId + '","method":' + (quotedMethods.get(method) ?? JSON.stringify(method))
        + ',"url":' + JSON.stringify(ctx.path) + ',"route":' + (route === null ? 'null' : quotedRoute(route))
        + ',"status":' + status + ',"durationMs":' + formatMs(exchange.duration) + ',"bytes":' + exchange.bytes;
      if (exchange.span !== null) {
        const { traceId, spanId } = exchange.span.spanContext();
        line += ',"traceId":' + JSON.stringify(traceId) + ',"spanId":' + JSON.stringify(spanId);
      }
      if (exchange.aborted) line += ',"aborted":true';
      plain.stream.write(line + plain.tail);
      return;
    }
    const line: Record<string, unknown> = {
      reqId: exchange.requestId,
      method: ctx.method,
      url: ctx.path,
      route: ctx.routePath,
      status,
      durationMs: Math.round(exchange.duration * 1000) / 1000,
      bytes: exchange.bytes,
    };
    if (exchange.span !== null) {
      const { traceId, spanId } = exchange.span.spanContext();
      line.traceId = traceId;
      line.spanId = spanId;
    }
    if (exchange.aborted) line.aborted = true;
    if (headers) line.req = { headers: ctx.headers };
    if (status >= 500 && exchange.error !== undefined) line.err = exchange.error;
    if (fields !== undefined) Object.assign(line, fields(ctx));
    logger[lineLevel](line, 'request completed');
  };

  return (ctx, next) => {
    // nothing is written at all (level silent or fatal): no per-request work
    if (!logger.isLevelEnabled('error')) return next();
    if (ignore.size > 0 && ignore.has(ctx.path)) return next();
    const exchange = observe(ctx, finished);
    exchange.logger = logger;
    exchange.requestId ??= wellFormedId(ctx.req.headers.get(idHeader)) ?? nextRequestId();
    return exchange.run(next);
  };
}
