/**
 * One request and its answer as the observers (request log, metrics, tracing) see it: when it
 * started, how it ended (status, bytes, the error that caused it, cut short or not) and how long
 * it took. The first observer of a request wraps `end`, `write` and `abort` of its response with
 * shared functions (no closure per request); the others add a listener to the same exchange.
 * A request nobody observes costs nothing.
 */
import type { Context } from '@armature/core';
import type { HttpResponse } from '@armature/core/http';
import { performance } from 'node:perf_hooks';

/** Called once when the response of an observed request is over (sent, cut short, or its client gone). */
export type FinishListener = (exchange: Exchange) => void;

const EXCHANGE = Symbol('armature.exchange');

type Observed = HttpResponse & { [EXCHANGE]?: Exchange };
type BodyChunk = Parameters<HttpResponse['end']>[0];

function byteLength(chunk: BodyChunk): number {
  if (chunk === undefined) return 0;
  return typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
}

export class Exchange {
  readonly ctx: Context;
  /** performance.now() when the first observer saw the request. */
  readonly start: number;
  /** Milliseconds from start to the end of the response (set when it finishes). */
  duration = 0;
  /** The error the chain threw, if any (the answer is then the error's). */
  error: unknown = undefined;
  /** The response was cut short (aborted, or its client went away before it ended). */
  aborted = false;
  finished = false;
  /** Inside the response's own end(): a write() it makes is part of the body end() was given. */
  ending = false;
  /** An OpenTelemetry span of this request (set by the tracing middleware), for log correlation. */
  span: { spanContext(): { traceId: string; spanId: string } } | null = null;
  /** Request id, worked out on first use (see requestIdOf in the logger). */
  requestId: string | undefined = undefined;
  /** The request's child logger, made on first use of `ctx.log`. */
  log: unknown = undefined;
  /** The request logger's base logger (for `ctx.log`), when a request logger observes. */
  logger: unknown = undefined;
  private written = 0;
  private lastBody: BodyChunk = undefined;
  private readonly listeners: FinishListener[] = [];
  readonly originalEnd: HttpResponse['end'];
  readonly originalWrite: HttpResponse['write'];
  readonly originalAbort: HttpResponse['abort'];

  constructor(ctx: Context, res: HttpResponse) {
    this.ctx = ctx;
    this.start = performance.now();
    this.originalEnd = res.end;
    this.originalWrite = res.write;
    this.originalAbort = res.abort;
  }

  /** Body bytes written (measured when asked for: a string body is only counted by whoever needs the figure). */
  get bytes(): number {
    if (this.lastBody !== undefined) {
      this.written += byteLength(this.lastBody);
      this.lastBody = undefined;
    }
    return this.written;
  }

  /** The status the client got (or would have got, for a response cut short). */
  get status(): number {
    return this.ctx.res.statusCode;
  }

  add(listener: FinishListener): void {
    this.listeners.push(listener);
  }

  /** Runs the rest of the chain, noting the error it throws or rejects with (then passed on). */
  run(next: () => unknown): unknown {
    let value: unknown;
    try {
      value = next();
    } catch (error) {
      this.error = error;
      throw error;
    }
    if (value instanceof Promise) return value.then(undefined, (error: unknown) => this.fail(error));
    return value;
  }

  private fail(error: unknown): never {
    this.error = error;
    throw error;
  }

  finish(aborted: boolean): void {
    if (this.finished) return;
    this.finished = true;
    this.aborted = aborted;
    this.duration = performance.now() - this.start;
    for (const listener of this.listeners) {
      try {
        listener(this);
      } catch (error) {
        this.ctx.config.report(error);
      }
    }
  }

  noteBody(body: BodyChunk): void {
    if (body === undefined) return;
    if (this.lastBody !== undefined) this.written += byteLength(this.lastBody);
    this.lastBody = body;
  }
}

function observedEnd(this: Observed, body?: BodyChunk): void {
  const exchange = this[EXCHANGE]!;
  if (!this.finished) exchange.noteBody(body);
  exchange.ending = true;
  try {
    exchange.originalEnd.call(this, body);
  } finally {
    exchange.ending = false;
  }
  if (this.finished) exchange.finish(false);
}

function observedWrite(this: Observed, chunk: BodyChunk): boolean {
  const exchange = this[EXCHANGE]!;
  if (exchange.ending) return exchange.originalWrite.call(this, chunk as never);
  if (!this.headersSent) this.onClose(() => exchange.finish(true)); // a stream: its client may leave first
  if (!this.finished) exchange.noteBody(chunk);
  return exchange.originalWrite.call(this, chunk as never);
}

function observedAbort(this: Observed, error?: unknown): void {
  const exchange = this[EXCHANGE]!;
  exchange.originalAbort.call(this, error);
  exchange.finish(true);
}

/** The exchange of an observed request, or undefined. */
export function exchangeOf(ctx: Context): Exchange | undefined {
  return (ctx.res as Observed)[EXCHANGE];
}

/** Observes `ctx`'s response: `listener` runs once it is over. Returns the request's exchange. */
export function observe(ctx: Context, listener: FinishListener): Exchange {
  const res = ctx.res as Observed;
  let exchange = res[EXCHANGE];
  if (exchange === undefined) {
    exchange = new Exchange(ctx, res);
    res[EXCHANGE] = exchange;
    res.end = observedEnd;
    res.write = observedWrite;
    res.abort = observedAbort;
  }
  exchange.add(listener);
  return exchange;
}
