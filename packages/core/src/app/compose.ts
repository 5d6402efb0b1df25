/**
 * Builds a route's request chain once, at start-up: onRequest hooks → middleware → guards and
 * interceptors (the `around` stage, from DI) → validation (body read) → preHandler hooks →
 * handler, nested from the inside out into one function. A request calls
 * that function; nothing walks an array of hooks, and a layer that returns a plain value stays
 * synchronous (promises only appear where a hook, middleware or handler is async).
 */
import type { Context } from './context.js';
import { MIDDLEWARE_HOOK, type Hook, type HookMiddleware, type Middleware, type Next, type OnResponseHook } from './hooks.js';

/** One compiled stage: runs the rest of the chain for `ctx` and returns its result. */
export type Step = (ctx: Context<any, any, any, any>) => unknown;

const noop = (): void => {};

/**
 * `hook` before `next`: a result other than undefined answers and skips `next`, and so does a
 * hook that wrote the response itself.
 */
export function hookStep(hook: Hook<any>, next: Step): Step {
  return (ctx) => afterHook(hook(ctx), ctx, next);
}

/** What follows a hook that returned `r` (see hookStep): its answer, or `next`. */
function afterHook<C extends { readonly res: { readonly headersSent: boolean } }>(r: unknown, ctx: C, next: (ctx: C) => unknown): unknown {
  if (r === undefined) return ctx.res.headersSent ? undefined : next(ctx);
  if (r instanceof Promise) return r.then((v: unknown) => (v !== undefined ? v : ctx.res.headersSent ? undefined : next(ctx)));
  return r;
}

/**
 * A middleware made of `hook`, for middleware that only acts before the rest of the chain:
 * it runs `hook`, then goes on unless the hook answered (returned a value, or a promise of one
 * that is not undefined, or wrote the response itself), as an `onRequest` hook does. Wherever a
 * route chain is built (app.use, groups, route options, DI), it runs as the hook alone (see
 * middlewareStep): no layer and no `next` function per request. Called directly, it does the same.
 */
export function hookMiddleware<C extends { readonly res: { readonly headersSent: boolean } } = Context>(hook: Hook<C>): HookMiddleware<C> {
  const middleware = (ctx: C, next: Next): unknown => afterHook(hook(ctx), ctx, next);
  return Object.assign(middleware, { [MIDDLEWARE_HOOK]: hook }) as HookMiddleware<C>;
}

/**
 * `middleware` around `inner` (a hookMiddleware: its hook before `inner`). The layer's result is the middleware's return value or, when it
 * returns undefined, what `next()` produced (a failure of next() then continues down the error
 * path, even if the middleware caught it: to answer an error, return a value). A promise from
 * the inner chain is passed on as it is, so `return next()` adds no promise of its own.
 * `next` is the one allocation: it has to know this request's context.
 */
export function middlewareStep(middleware: Middleware<any>, inner: Step): Step {
  const hook = (middleware as { [MIDDLEWARE_HOOK]?: Hook<any> })[MIDDLEWARE_HOOK];
  if (typeof hook === 'function') return hookStep(hook, inner); // a hookMiddleware: no layer of its own
  return (ctx) => {
    let value: unknown;
    const next = (): unknown => {
      try {
        value = inner(ctx);
      } catch (error) {
        value = new Failure(error);
        throw error;
      }
      return value;
    };
    const r = middleware(ctx, next);
    if (r === undefined) return value instanceof Failure ? value.rethrow() : value;
    if (r === value) return r;
    if (!(r instanceof Promise)) {
      if (value instanceof Promise) value.then(undefined, noop); // replaced: its failure is moot
      return r;
    }
    return r.then((x: unknown) => {
      if (x === undefined) return value instanceof Failure ? value.rethrow() : value;
      if (value instanceof Promise && x !== value) value.then(undefined, noop);
      return x;
    });
  };
}

/** next() threw synchronously: kept so that a middleware returning nothing passes the error on. */
class Failure {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
  rethrow(): never {
    throw this.error;
  }
}

/**
 * Runs `hooks` in order after a response, nested like the chain: each error is reported and the
 * rest still run; synchronous hooks stay synchronous.
 */
export function onResponseStep(hooks: readonly OnResponseHook<any>[], report: (error: unknown) => void): (ctx: Context<any, any, any, any>) => void | Promise<void> {
  let step: (ctx: Context<any, any, any, any>) => void | Promise<void> = noop;
  for (let i = hooks.length - 1; i >= 0; i--) {
    const hook = hooks[i]!;
    const next = step;
    const last = next === noop;
    step = (ctx) => {
      let r: unknown;
      try {
        r = hook(ctx);
      } catch (error) {
        report(error);
      }
      if (r instanceof Promise) {
        return r.then(
          () => (last ? undefined : next(ctx)),
          (error: unknown) => {
            report(error);
            return last ? undefined : next(ctx);
          },
        );
      }
      if (!last) return next(ctx);
    };
  }
  return step;
}

/** The chain for the given stages, innermost (the handler) last in the lists. */
export function composeChain(stages: {
  onRequest: readonly Hook<any>[];
  middleware: readonly Middleware<any>[];
  /** Runs before validation, so that a guard that denies never causes the body to be read. */
  around: ((next: Step) => Step) | null;
  validation: ((next: Step) => Step) | null;
  preHandler: readonly Hook<any>[];
  handler: Step;
}): Step {
  let step = stages.handler;
  for (let i = stages.preHandler.length - 1; i >= 0; i--) step = hookStep(stages.preHandler[i]!, step);
  if (stages.validation !== null) step = stages.validation(step);
  if (stages.around !== null) step = stages.around(step);
  for (let i = stages.middleware.length - 1; i >= 0; i--) step = middlewareStep(stages.middleware[i]!, step);
  for (let i = stages.onRequest.length - 1; i >= 0; i--) step = hookStep(stages.onRequest[i]!, step);
  return step;
}
