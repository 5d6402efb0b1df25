/**
 * Guards, interceptors and exception filters: the interfaces, the @UseGuards /
 * @UseInterceptors / @UseFilters decorators (on a controller class or a route method), and the
 * steps they compile into around a route's handler. Each may be an instance or a class (created
 * by the container in the controller's module, so it can inject()).
 */
import type { Context } from '../app/context.js';
import { ForbiddenException } from '../http/errors.js';
import { errorStatus } from '../http/problem.js';
import { checkStandard, misuse } from './decorators.js';
import { diError } from './messages.js';
import { enhancerMeta, type EnhancerMeta } from './metadata.js';
import type { Class } from './tokens.js';
import { isThenable, RequestScope, type Container } from './container.js';
import type { ProviderRecord } from './provider.js';

/** Decides whether the request reaches the handler: false → 403 (or throw an HttpError of your own). */
export interface CanActivate {
  canActivate(ctx: Context): boolean | Promise<boolean>;
}

/** Runs the rest (further interceptors and the handler); returns its result, a value or a promise. */
export type CallHandler = () => unknown;

/**
 * Runs around validation and the handler: `intercept(ctx, next)` calls `next()` (or not) and
 * returns the response value, e.g. `return { data: await next() }`. When `next()` fails, the
 * response status is already the error's when the interceptor resumes.
 */
export interface Interceptor {
  intercept(ctx: Context, next: CallHandler): unknown;
}

/**
 * Turns an error of the request (a guard's denial, validation, the handler's, a 404 or 405 for a
 * global filter) into a response value. The response status is set to the error's (500 for a
 * non-HttpError) before `catch` runs; call `ctx.status()` to change it. Use
 * @Catch(ErrorClass, …) to handle only some errors.
 */
export interface ExceptionFilter<E = any> {
  catch(error: E, ctx: Context): unknown;
}

export type GuardLike = CanActivate | Class<CanActivate>;
export type InterceptorLike = Interceptor | Class<Interceptor>;
export type FilterLike = ExceptionFilter | Class<ExceptionFilter>;

type EnhancerDecorator = (value: Function, context: ClassDecoratorContext | ClassMethodDecoratorContext) => void;

function useDecorator<T>(label: string, field: keyof EnhancerMeta, method: string, items: T[]): EnhancerDecorator {
  items.forEach((item, i) => {
    const ok = typeof item === 'function' || (typeof item === 'object' && item !== null && typeof (item as Record<string, unknown>)[method] === 'function');
    if (!ok) {
      throw diError('INVALID_DECLARATION', 'enhancerArgument', `@${label}()`, i, item, method);
    }
  });
  return (value, context) => {
    checkStandard(`@${label}()`, context);
    if (context.kind !== 'class' && (context.kind !== 'method' || context.static || context.private)) {
      throw misuse(`@${label}()`, 'enhancer', context);
    }
    // decorators apply bottom-up: prepend so that stacked decorators run top-down
    (enhancerMeta(value)[field] as T[]).unshift(...items);
  };
}

/** Guards for every route of a controller (on the class) or for one route (on the method). */
export function UseGuards(...guards: GuardLike[]): EnhancerDecorator {
  return useDecorator('UseGuards', 'guards', 'canActivate', guards);
}
/** Interceptors, outermost first. */
export function UseInterceptors(...interceptors: InterceptorLike[]): EnhancerDecorator {
  return useDecorator('UseInterceptors', 'interceptors', 'intercept', interceptors);
}
/** Exception filters; the first whose @Catch matches handles the error. */
export function UseFilters(...filters: FilterLike[]): EnhancerDecorator {
  return useDecorator('UseFilters', 'filters', 'catch', filters);
}

// ---- compiled steps ---------------------------------------------------------------------------
//
// A controller route's guards and interceptors compile into the app chain's `around` stage (after
// middleware, before the body is read and validated); its exception filters into an onError hook
// of the route, the global filters into one of the app, so that they see every error of a request
// (validation, 404, 405, 413, 415, guard denials, handler errors).

/** A stage of the app chain (see app/compose.ts). */
export type Step = (ctx: Context) => unknown;

/** A resolved enhancer: its singleton instance, or the record to create it from per request. */
export interface EnhancerRef<T> {
  readonly instance: T | null;
  readonly record: ProviderRecord | null;
  /** For filters: the error classes it handles (null: all). */
  readonly catches: readonly Function[] | null;
}

/** Request scopes by request: one per request, shared by its guards, interceptors, filters, middleware and controller. */
const requestScopes = new WeakMap<Context, RequestScope>();

/** The request scope of `ctx` (created on first use). */
export function requestScopeOf(ctx: Context): RequestScope {
  let scope = requestScopes.get(ctx);
  if (scope === undefined) requestScopes.set(ctx, (scope = new RequestScope(ctx, false)));
  return scope;
}

/** The enhancer's instance: the singleton, or this request's. */
export function instanceOf<T>(ref: EnhancerRef<T>, container: Container, ctx: Context): T {
  return ref.instance ?? (container.resolveRecord(ref.record!, requestScopeOf(ctx)) as T);
}

export function guardStep(guards: readonly EnhancerRef<CanActivate>[], container: Container, next: Step): Step {
  const n = guards.length;
  const run = (ctx: Context, from: number): unknown => {
    for (let i = from; i < n; i++) {
      const allowed = instanceOf(guards[i]!, container, ctx).canActivate(ctx);
      if (allowed === true) continue;
      if (isThenable(allowed)) {
        return Promise.resolve(allowed).then((ok) => {
          if (!ok) throw new ForbiddenException();
          return run(ctx, i + 1);
        });
      }
      if (!allowed) throw new ForbiddenException();
    }
    return next(ctx);
  };
  return (ctx) => run(ctx, 0);
}

/** An error left `next()`: the response status says so before the interceptor resumes (its `finally` sees the outcome). */
function settled(ctx: Context, error: unknown): unknown {
  if (!ctx.res.headersSent) ctx.res.statusCode = errorStatus(error);
  return error;
}

/** Runs the rest of the chain for an interceptor's `next()`. */
function callNext(ctx: Context, next: Step): unknown {
  let result: unknown;
  try {
    result = next(ctx);
  } catch (error) {
    throw settled(ctx, error);
  }
  if (isThenable(result)) {
    return Promise.resolve(result).then(undefined, (error: unknown) => {
      throw settled(ctx, error);
    });
  }
  return result;
}

export function interceptorStep(ref: EnhancerRef<Interceptor>, container: Container, next: Step): Step {
  return (ctx) => instanceOf(ref, container, ctx).intercept(ctx, () => callNext(ctx, next));
}

/**
 * The exception filters of a route (or the global ones) as an onError hook: the first whose
 * @Catch matches answers with what its `catch` returns (nothing: an empty body with the status).
 * The status and the error's header fields are set before `catch` runs.
 */
export function filterHook(filters: readonly EnhancerRef<ExceptionFilter>[], container: Container): (error: unknown, ctx: Context) => unknown {
  return (error, ctx) => {
    for (const ref of filters) {
      if (ref.catches !== null && ref.catches.length > 0 && !ref.catches.some((t) => error instanceof t)) continue;
      const answer = instanceOf(ref, container, ctx).catch(error, ctx);
      if (isThenable(answer)) return Promise.resolve(answer).then((v) => (v === undefined ? null : v));
      return answer === undefined ? null : answer;
    }
    return undefined;
  };
}
