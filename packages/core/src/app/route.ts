/**
 * One route at run time: its compiled chain, what happens after the response, and the error
 * path (onError hooks → error handler → RFC 9457 problem document). Filled in at start-up.
 */
import { prepareErrorResponse, sendProblem } from '../http/problem.js';
import { reportToConsole } from '../http/report.js';
import type { HttpRequest } from '../http/request.js';
import type { HttpResponse } from '../http/response.js';
import type { TrustFunction } from './client-address.js';
import type { Step } from './compose.js';
import type { EventStream } from './sse.js';
import { Context, type ContextConfig } from './context.js';
import type { ErrorHandler, OnErrorHook } from './hooks.js';
import { reply, type Serializers } from './reply.js';

type AnyContext = Context<any, any, any, any>;

const notStarted: Step = () => {
  throw new Error('The app has not been started');
};

export class Route implements ContextConfig {
  /** The full pattern (prefixes included), for messages. */
  pattern: string;
  /** The path pattern alone (null for the not-found and malformed-path routes). */
  routePath: string | null = null;
  chain: Step = notStarted;
  onResponse: ((ctx: AnyContext) => void | Promise<void>) | null = null;
  /** onError hooks, innermost scope first; null when there are none. */
  errorHooks: readonly OnErrorHook<any>[] | null = null;
  errorHandler: ErrorHandler<any> | null = null;
  serializers: Serializers | null = null;
  bodyLimit: number | undefined = undefined;
  trust: TrustFunction | null = null;
  development = false;
  streams: Set<EventStream> | null = null;
  report: (error: unknown) => void = reportToConsole;

  constructor(pattern: string) {
    this.pattern = pattern;
  }

  /** Serves one request: a Context for it, the chain, the reply, the onResponse hooks. */
  handle(req: HttpRequest, res: HttpResponse, params: Record<string, string>): void | Promise<void> {
    return this.run(new Context(req, res, params, this));
  }

  run(ctx: AnyContext): void | Promise<void> {
    let value: unknown;
    try {
      value = this.chain(ctx);
    } catch (error) {
      return this.fail(ctx, error);
    }
    if (value instanceof Promise) {
      return value.then(
        (v: unknown) => this.respond(ctx, v),
        (error: unknown) => this.fail(ctx, error),
      );
    }
    return this.respond(ctx, value);
  }

  private respond(ctx: AnyContext, value: unknown): void | Promise<void> {
    let sending: void | Promise<void>;
    try {
      sending = reply(ctx.res, value, this.serializers);
    } catch (error) {
      return this.fail(ctx, error);
    }
    if (sending !== undefined) return this.streaming(ctx, sending);
    if (this.onResponse !== null) return this.onResponse(ctx);
  }

  private async streaming(ctx: AnyContext, sending: Promise<void>): Promise<void> {
    try {
      await sending;
    } catch (error) {
      return this.fail(ctx, error);
    }
    if (this.onResponse !== null) return this.onResponse(ctx);
  }

  private after(ctx: AnyContext): void | Promise<void> {
    if (this.onResponse !== null) return this.onResponse(ctx);
  }

  /**
   * Something in the chain (or the reply) threw. Too late to answer once the head is sent:
   * the response is cut short. Otherwise the onError hooks (innermost first), then the error
   * handler, may answer; failing that, the default problem document.
   */
  fail(ctx: AnyContext, error: unknown): void | Promise<void> {
    const res = ctx.res;
    res.failedWith(error);
    if (res.headersSent) {
      this.report(error);
      if (!res.finished) res.abort();
      return this.after(ctx);
    }
    this.prepare(res, error);
    if (this.errorHooks === null && this.errorHandler === null) {
      this.answerDefault(ctx, error);
      return this.after(ctx);
    }
    return this.failCustom(ctx, error);
  }

  /** Clears what described the failed answer and sets the error's status and header fields. */
  private prepare(res: HttpResponse, error: unknown): void {
    prepareErrorResponse(res, error, this.report);
  }

  private async failCustom(ctx: AnyContext, error: unknown): Promise<void> {
    const res = ctx.res;
    let answer: unknown;
    const hooks = this.errorHooks;
    if (hooks !== null) {
      for (const hook of hooks) {
        try {
          answer = await hook(error, ctx);
        } catch (hookError) {
          this.report(hookError);
          answer = undefined;
        }
        if (answer !== undefined || res.headersSent) break;
      }
    }
    if (answer === undefined && !res.headersSent && this.errorHandler !== null) {
      try {
        answer = await this.errorHandler(error, ctx);
      } catch (handlerError) {
        // a handler may translate an error by throwing another (e.g. an HttpError)
        if (handlerError !== error) {
          error = handlerError;
          this.prepare(res, error);
        }
      }
    }
    if (res.headersSent) return this.after(ctx);
    if (answer === undefined) {
      this.answerDefault(ctx, error);
      return this.after(ctx);
    }
    try {
      await reply(res, answer);
    } catch (replyError) {
      this.report(replyError);
      if (!res.headersSent) this.answerDefault(ctx, replyError);
      else if (!res.finished) res.abort();
    }
    return this.after(ctx);
  }

  /** The default RFC 9457 answer (see sendProblem), with the request path as `instance`. */
  answerDefault(ctx: AnyContext, error: unknown): void {
    sendProblem(ctx.res, error, ctx.path, this.development, this.report);
  }
}
