/**
 * One request and its answer as the observers (request log, metrics, tracing) see it: when it
 * started, how it ended (status, bytes, the error that caused it, cut short or not) and how long
 * it took. The first observer of a request makes the exchange and adds it to the response's
 * observers (`res.observe`, which every transport calls once the response is over); the others
 * add a listener to the same exchange. The response itself is left as it is (no wrapper, no own
 * property: its shape stays the one every response has). A request nobody observes costs nothing.
 */
import type { Context } from '@armature/core';
import type { HttpResponse, ResponseObserver } from '@armature/core/http';
import { performance } from 'node:perf_hooks';

/** Called once when the response of an observed request is over (sent, cut short, or its client gone). */
export type FinishListener = (exchange: Exchange) => void;

export class Exchange implements ResponseObserver {
  readonly ctx: Context;
  /** performance.now() when the first observer saw the request. */
  readonly start: number;
  /** performance.now() when the response was over (the request line's time is taken from it: one clock read). */
  end = 0;
  /** Milliseconds from start to the end of the response (set when it finishes). */
  duration = 0;
  /** The error the chain threw, if any (the answer is then the error's). */
  error: unknown = undefined;
  /** The response was cut short (aborted, or its client went away before it ended). */
  aborted = false;
  finished = false;
  /** An OpenTelemetry span of this request (set by the tracing middleware), for log correlation. */
  span: { spanContext(): { traceId: string; spanId: string } } | null = null;
  /** Request id, worked out on first use (see requestIdOf in the logger). */
  requestId: string | undefined = undefined;
  /** The request's child logger, made on first use of `ctx.log`. */
  log: unknown = undefined;
  /** The request logger's base logger (for `ctx.log`), when a request logger observes. */
  logger: unknown = undefined;
  /** The listeners: most requests have one or two (log, metrics), so no array for those. */
  private readonly first: FinishListener;
  private second: FinishListener | null = null;
  private more: FinishListener[] | null = null;

  constructor(ctx: Context, listener: FinishListener) {
    this.ctx = ctx;
    this.first = listener;
    this.start = performance.now();
  }

  /** Body bytes the transport was given (after any content coding). */
  get bytes(): number {
    return this.ctx.res.bodyBytes;
  }

  /** The status the client got (or would have got, for a response cut short). */
  get status(): number {
    return this.ctx.res.statusCode;
  }

  add(listener: FinishListener): void {
    if (this.second === null) this.second = listener;
    else (this.more ??= []).push(listener);
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

  /** The response is over (ResponseObserver: called once by its transport). */
  responseFinished(_res: HttpResponse, aborted: boolean): void {
    this.finished = true;
    this.aborted = aborted;
    const end = performance.now();
    this.end = end;
    this.duration = end - this.start;
    this.tell(this.first);
    if (this.second === null) return;
    this.tell(this.second);
    const more = this.more;
    if (more !== null) for (const listener of more) this.tell(listener);
  }

  private tell(listener: FinishListener): void {
    try {
      listener(this);
    } catch (error) {
      this.ctx.config.report(error);
    }
  }
}

/** The exchange of an observed request, or undefined. */
export function exchangeOf(ctx: Context): Exchange | undefined {
  return ctx.res.observerOf(Exchange);
}

/** Observes `ctx`'s response: `listener` runs once it is over. Returns the request's exchange. */
export function observe(ctx: Context, listener: FinishListener): Exchange {
  const res = ctx.res;
  let exchange = res.observerOf(Exchange);
  if (exchange === undefined) {
    exchange = new Exchange(ctx, listener);
    res.observe(exchange);
  } else {
    exchange.add(listener);
  }
  return exchange;
}
