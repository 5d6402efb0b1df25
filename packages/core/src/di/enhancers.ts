/**
 * Guards, interceptors and exception filters: the interfaces, the @UseGuards /
 * @UseInterceptors / @UseFilters decorators (on a controller class or a route method), and the
 * steps they compile into around a route's handler. Each may be an instance or a class (created
 * by the container in the controller's module, so it can inject()).
 */
import type { Context } from '../app/context.js';
import { ForbiddenException, HttpError } from '../http/errors.js';
import { checkStandard, misuse } from './decorators.js';
import { diError } from './messages.js';
import { enhancerMeta, type EnhancerMeta } from './metadata.js';
import type { Class } from './tokens.js';
import type { Container, RequestScope } from './container.js';
import type { ProviderRecord } from './provider.js';

/** Decides whether the request reaches the handler: false → 403 (or throw an HttpError of your own). */
export interface CanActivate {
  canActivate(ctx: Context): boolean | Promise<boolean>;
}

/** Runs the rest (further interceptors and the handler); returns its result, a value or a promise. */
export type CallHandler = () => unknown;

/**
 * Runs around the handler: `intercept(ctx, next)` calls `next()` (or not) and returns the
 * response value, e.g. `return { data: await next() }`.
 */
export interface Interceptor {
  intercept(ctx: Context, next: CallHandler): unknown;
}

/**
 * Turns an error thrown by a guard, an interceptor or the handler into a response value. The
 * response status is set to the error's (500 for a non-HttpError) before `catch` runs; call
 * `ctx.status()` to change it. Use @Catch(ErrorClass, …) to handle only some errors.
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

/** A step of a compiled route: the request scope is null for routes with no request-scoped part. */
export type Step = (ctx: Context, scope: RequestScope | null) => unknown;

/** A resolved enhancer: its singleton instance, or the record to create it from per request. */
export interface EnhancerRef<T> {
  readonly instance: T | null;
  readonly record: ProviderRecord | null;
  /** For filters: the error classes it handles (null: all). */
  readonly catches: readonly Function[] | null;
}

function instanceOf<T>(ref: EnhancerRef<T>, container: Container, scope: RequestScope | null): T {
  return ref.instance ?? (container.resolveRecord(ref.record!, scope) as T);
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as PromiseLike<unknown>).then === 'function';
}

export function guardStep(guards: readonly EnhancerRef<CanActivate>[], container: Container, next: Step): Step {
  const n = guards.length;
  const run = (ctx: Context, scope: RequestScope | null, from: number): unknown => {
    for (let i = from; i < n; i++) {
      const allowed = instanceOf(guards[i]!, container, scope).canActivate(ctx);
      if (allowed === true) continue;
      if (isThenable(allowed)) {
        return Promise.resolve(allowed).then((ok) => {
          if (!ok) throw new ForbiddenException();
          return run(ctx, scope, i + 1);
        });
      }
      if (!allowed) throw new ForbiddenException();
    }
    return next(ctx, scope);
  };
  return (ctx, scope) => run(ctx, scope, 0);
}

export function interceptorStep(ref: EnhancerRef<Interceptor>, container: Container, next: Step): Step {
  return (ctx, scope) => instanceOf(ref, container, scope).intercept(ctx, () => next(ctx, scope));
}

export function filterStep(filters: readonly EnhancerRef<ExceptionFilter>[], container: Container, next: Step): Step {
  const handle = (error: unknown, ctx: Context, scope: RequestScope | null): unknown => {
    for (const ref of filters) {
      if (ref.catches !== null && ref.catches.length > 0 && !ref.catches.some((t) => error instanceof t)) continue;
      if (ctx.res.headersSent) throw error;
      const filter = instanceOf(ref, container, scope);
      ctx.status(error instanceof HttpError ? error.status : 500);
      if (error instanceof HttpError && error.headers !== undefined) for (const [k, v] of Object.entries(error.headers)) ctx.set(k, v);
      return filter.catch(error, ctx);
    }
    throw error;
  };
  return (ctx, scope) => {
    let result: unknown;
    try {
      result = next(ctx, scope);
    } catch (error) {
      return handle(error, ctx, scope);
    }
    if (isThenable(result)) return Promise.resolve(result).then(undefined, (error: unknown) => handle(error, ctx, scope));
    return result;
  };
}
