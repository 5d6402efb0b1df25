/**
 * One request and its answer as the observers (request log, metrics, tracing) see it: when it
 * started, how it ended (status, bytes, the error that caused it, cut short or not) and how long
 * it took. The first observer of a request makes the exchange and adds it to the response's
 * observers (`res.observe`, which every transport calls once the response is over); the others
 * add a listener to the same exchange. The response itself is left as it is (no wrapper, no own
 * property: its shape stays the one every response has). A request nobody observes costs nothing.
 *
 * Listeners that only record (the request line into a buffered destination, the metrics) may
 * wait for the end of the event-loop turn: then the response's end only notes the time, and
 * every such exchange of the turn is told in one pass at its end (each observer's code then runs
 * in a tight loop, not between the engine's; a busy server answers dozens of requests per turn).
 * The time and duration are still those of the response's end. Something that needs the
 * listeners done (a scrape, a logger flush, process exit) calls tellEnded() first.
 */
import type { Context } from '@armature/core';
import type { HttpResponse, ResponseObserver } from '@armature/core/http';
import { performance } from 'node:perf_hooks';
import { nextRequestNumber, requestIdText, wellFormedId } from './request-ids.js';
import { atTurnEnd } from './turn-end.js';
import { outcomeOf, type Outcome } from './outcomes.js';

/** Called once when the response of an observed request is over (sent, cut short, or its client gone). */
export type FinishListener = (exchange: Exchange) => void;

export class Exchange implements ResponseObserver {
  readonly ctx: Context;
  /** performance.now() when the first observer saw the request. */
  readonly start: number;
  /** performance.now() when the response was over (the request line's time is taken from it: one clock read). */
  end = 0;
  /** The error the request's handling threw, if any (the answer is then the error's; told by the app, see responseFailed). */
  error: unknown = undefined;
  /** The response was cut short (aborted, or its client went away before it ended). */
  aborted = false;
  /** An OpenTelemetry span of this request (set by the tracing middleware), for log correlation. */
  span: { spanContext(): { traceId: string; spanId: string } } | null = null;
  /**
   * The request header that may carry its id in (set by the request logger); the id is worked
   * out on first use (decideId), which for most requests is their log line at the end of the turn.
   */
  idHeader: string | null = null;
  /** A made-up request id's number (see request-ids.ts), its text made only if asked for; 0: none. */
  private requestNumber = 0;
  private requestIdText: string | undefined = undefined;
  /** The request's child logger, made on first use of `ctx.log`. */
  log: unknown = undefined;
  /** The request logger's base logger (for `ctx.log`), when a request logger observes. */
  logger: unknown = undefined;
  /** The listeners: most requests have one or two (log, metrics), so no array for those. */
  private readonly first: FinishListener;
  private second: FinishListener | null = null;
  private more: FinishListener[] | null = null;
  /** Every listener may wait for the end of the turn (see above). */
  private canWait: boolean;
  private outcome_: Outcome | null = null;

  constructor(ctx: Context, listener: FinishListener, canWait: boolean) {
    this.ctx = ctx;
    this.first = listener;
    this.canWait = canWait;
    this.start = performance.now();
  }

  /** The request id (when a request logger observes: a well-formed incoming one, else made up), or undefined. */
  get requestId(): string | undefined {
    this.decideId();
    if (this.requestIdText === undefined && this.requestNumber !== 0) this.requestIdText = requestIdText(this.requestNumber);
    return this.requestIdText;
  }

  set requestId(id: string | undefined) {
    this.requestIdText = id;
    this.requestNumber = 0;
  }

  /** The made-up request id's number (its text then made only if asked for), or 0 when the id is a given one. */
  get madeUpIdNumber(): number {
    this.decideId();
    return this.requestNumber;
  }

  private decideId(): void {
    if (this.idHeader === null || this.requestIdText !== undefined || this.requestNumber !== 0) return;
    const given = wellFormedId(this.ctx.req.headers.get(this.idHeader));
    if (given !== undefined) this.requestIdText = given;
    else this.requestNumber = nextRequestNumber();
  }

  /** Milliseconds from start to the end of the response (once it is over). */
  get duration(): number {
    return this.end - this.start;
  }

  /** Body bytes the transport was given (after any content coding). */
  get bytes(): number {
    return this.ctx.res.bodyBytes;
  }

  /** The status the client got (or would have got, for a response cut short). */
  get status(): number {
    return this.ctx.res.statusCode;
  }

  /** The route pattern, method and status the request is counted and logged by (once the response is over). */
  get outcome(): Outcome {
    return (this.outcome_ ??= outcomeOf(this.ctx.routePath, this.ctx.method, this.ctx.res.statusCode));
  }

  add(listener: FinishListener, canWait: boolean): void {
    if (!canWait) this.canWait = false;
    if (this.second === null) this.second = listener;
    else (this.more ??= []).push(listener);
  }

  /** The request's handling threw `error`, which the app answers (ResponseObserver; the first one is kept). */
  responseFailed(_res: HttpResponse, error: unknown): void {
    if (this.error === undefined) this.error = error;
  }

  /** The response is over (ResponseObserver: called once by its transport). */
  responseFinished(_res: HttpResponse, aborted: boolean): void {
    this.aborted = aborted;
    const end = performance.now();
    this.end = end;
    if (this.canWait) {
      ended.push(this);
      if (!tellingQueued) {
        tellingQueued = true;
        atTurnEnd(tellAtTurnEnd);
      }
      return;
    }
    this.tellListeners();
  }

  /** Runs the listeners (once the response is over). */
  tellListeners(): void {
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

/** Exchanges of this turn whose listeners wait for its end (see above). */
let ended: Exchange[] = [];
let tellingQueued = false;

function tellAtTurnEnd(): void {
  tellingQueued = false;
  tellEnded();
}

/** Tells the listeners of every response that ended and waits for the end of the turn (now). */
export function tellEnded(): void {
  if (ended.length === 0) return;
  const list = ended;
  ended = []; // a listener's own flush (a full buffer) comes back here: it finds none
  for (let i = 0; i < list.length; i++) list[i]!.tellListeners();
}

/** The exchange of an observed request, or undefined. */
export function exchangeOf(ctx: Context): Exchange | undefined {
  return ctx.res.observerOf(Exchange);
}

/**
 * Observes `ctx`'s response: `listener` runs once it is over, or (`canWait`: it only records, and
 * whatever reads the record calls tellEnded() first) at the end of that event-loop turn.
 * Returns the request's exchange.
 */
export function observe(ctx: Context, listener: FinishListener, canWait = false): Exchange {
  const res = ctx.res;
  let exchange = res.observerOf(Exchange);
  if (exchange === undefined) {
    exchange = new Exchange(ctx, listener, canWait);
    res.observe(exchange);
  } else {
    exchange.add(listener, canWait);
  }
  return exchange;
}
