/**
 * One log line per request: method, path, route pattern, status, duration, bytes, request id
 * (and the worker, from the logger's base), at `info` (`error` for 5xx, with the error), and
 * `ctx.log`, a child logger carrying the request id, made on first use.
 */
import { Context, hookMiddleware, type Middleware } from '@armature/core';
import type { Logger } from 'pino';
import { exchangeOf, observe, type Exchange } from '../exchange.js';
import { createLogger } from './create-logger.js';
import { RequestLine } from './request-line.js';
import { wellFormedId } from '../request-ids.js';

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


const defaultLevel = (status: number): 'error' | 'info' => (status >= 500 ? 'error' : 'info');

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


/** Structured request logging (see RequestLoggerOptions). */
export function requestLogger(options: RequestLoggerOptions = {}): Middleware {
  const logger = options.logger ?? createLogger();
  const ignore = new Set(options.ignore ?? []);
  const idHeader = (options.requestIdHeader ?? 'x-request-id').toLowerCase();
  const levelFor = options.levelFor ?? defaultLevel;
  const defaultLevels = levelFor === defaultLevel;
  const headers = options.headers === true;
  const fields = options.fields;
  installContextLog();
  fallback = logger;
  // the line's fixed fields assembled here (no object, no per-key formatting) when pino would write them the same way
  const byHand = headers || fields !== undefined ? null : RequestLine.for(logger);
  // lines that go into a buffer written at the end of the turn can as well be made then (see exchange.ts)
  const canWait = byHand !== null && byHand.batched;
  // isLevelEnabled, asked again only when the logger's level changes (pino's 'level-change' event)
  let errorOn = false;
  let infoOn = false;
  const otherLevels = new Map<string, boolean>();
  const levelChanged = (): void => {
    errorOn = logger.isLevelEnabled('error');
    infoOn = logger.isLevelEnabled('info');
    otherLevels.clear();
  };
  levelChanged();
  logger.on('level-change', levelChanged);
  const enabled = (level: string): boolean => {
    if (level === 'info') return infoOn;
    if (level === 'error') return errorOn;
    let on = otherLevels.get(level);
    if (on === undefined) otherLevels.set(level, (on = logger.isLevelEnabled(level)));
    return on;
  };

  const levelValues = logger.levels.values;
  const finished = (exchange: Exchange): void => {
    const ctx = exchange.ctx;
    const status = exchange.status;
    const echoed = ctx.res.getHeader(idHeader); // a request-id middleware after this one made one
    if (echoed !== undefined && echoed !== exchange.requestId && wellFormedId(echoed) !== undefined) exchange.requestId = echoed;
    if (defaultLevels && byHand !== null && (status < 500 || exchange.error === undefined)) {
      // the common line: the default levels, written by hand (no level lookups by name)
      if (!(status >= 500 ? errorOn : infoOn)) return;
      if (byHand.usable) {
        byHand.write(status >= 500 ? levelValues.error! : levelValues.info!, exchange);
        return;
      }
    }
    const lineLevel = levelFor(status, exchange.error);
    if (!enabled(lineLevel)) return;
    if (byHand !== null && !(status >= 500 && exchange.error !== undefined) && byHand.usable) {
      byHand.write(levelValues[lineLevel]!, exchange);
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

  // it only acts before the rest of the chain: a hook in the chain, no layer of its own
  return hookMiddleware((ctx: Context): undefined => {
    // nothing is written at all (level silent or fatal): no per-request work
    if (!errorOn) return;
    if (ignore.size > 0 && ignore.has(ctx.path)) return;
    const exchange = observe(ctx, finished, canWait);
    exchange.logger = logger;
    exchange.idHeader ??= idHeader; // the id is worked out when first needed (most often for the line)
  });
}
