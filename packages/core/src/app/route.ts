/**
 * One route at run time: its compiled chain, what happens after the response, and the error
 * path (onError hooks → error handler → RFC 9457 problem document). Filled in at start-up.
 */
import { HttpError } from '../http/errors.js';
import { PROBLEM_TYPE, problemJson } from '../http/problem.js';
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

/** Fields that describe a representation: wrong for an error answer that replaces it. */
const REPRESENTATION = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-range', 'content-disposition', 'content-location', 'etag', 'last-modified'];

/** Problem document members an error's extensions may not replace. */
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance']);

/** The status an error is answered with: an HttpError's 4xx/5xx, else 500. */
export function errorStatus(error: unknown): number {
  return error instanceof HttpError && error.status >= 400 && error.status <= 599 ? error.status : 500;
}

export class Route implements ContextConfig {
  /** The full pattern (prefixes included), for messages. */
  pattern: string;
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
  report: (error: unknown) => void = (e) => console.error('[armature]', e);

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
    for (const name of REPRESENTATION) res.removeHeader(name);
    res.statusCode = errorStatus(error);
    if (error instanceof HttpError && error.headers !== undefined) {
      try {
        for (const name of Object.keys(error.headers)) res.setHeader(name, error.headers[name]!);
      } catch (headerError) {
        this.report(headerError);
      }
    }
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

  /**
   * The RFC 9457 answer: status, title, `detail` (the message of a 4xx; of a 5xx only if the
   * error says so, or its stack in development), `instance` (the request path), and the
   * error's extension members (`extensions`, a validation error's `issues`).
   */
  answerDefault(ctx: AnyContext, error: unknown): void {
    const res = ctx.res;
    const status = errorStatus(error);
    if (status >= 500) this.report(error);
    let detail: string | undefined;
    if (error instanceof HttpError && errorStatus(error) === error.status && error.expose) detail = error.message;
    if (this.development && status >= 500 && error instanceof Error) detail = error.stack;
    res.statusCode = status;
    res.setHeader('Content-Type', PROBLEM_TYPE);
    res.end(problemJson(status, detail, problemMembers(ctx.path, error)));
  }
}

function problemMembers(instance: string, error: unknown): Record<string, unknown> {
  const members: Record<string, unknown> = { instance };
  if (typeof error !== 'object' || error === null) return members;
  // a localized title (problemJson puts it in the place of the status text)
  if (error instanceof HttpError && error.title !== undefined && error.title !== '' && errorStatus(error) === error.status) members.title = error.title;
  const extensions = (error as { extensions?: unknown }).extensions;
  if (typeof extensions === 'object' && extensions !== null) {
    for (const key of Object.keys(extensions)) {
      if (!RESERVED.has(key)) members[key] = (extensions as Record<string, unknown>)[key];
    }
  }
  const issues = (error as { issues?: unknown }).issues;
  if (error instanceof HttpError && Array.isArray(issues)) members.issues = issues;
  return members;
}
