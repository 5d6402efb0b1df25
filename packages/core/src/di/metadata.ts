/**
 * What the decorators record, keyed by class (class decorators) or by the decorated method's
 * function (method decorators: the same function object is found again on the prototype when the
 * controller is compiled, so no `Symbol.metadata` is needed — it is missing from tsc's output on
 * Node 20 and 24).
 */
import type { RouteOptions, RouteSchema } from '../app/hooks.js';
import type { Scope } from './scopes.js';
import type { Token } from './tokens.js';
import type { FilterLike, GuardLike, InterceptorLike } from './enhancers.js';
import type { ModuleMetadata } from './module.js';

export interface InjectableMeta {
  readonly scope: Scope | undefined;
  readonly deps: readonly Token[] | undefined;
}

export interface ControllerMeta extends InjectableMeta {
  readonly prefix: string;
}

/**
 * Options of a route decorator: `status` (the response status when the method returns
 * normally) plus the app's own route options (schema, middleware, hooks, bodyLimit), passed
 * through to `app.route(method, path, options, handler)`. `Path` and the schemas `S` type the
 * route method's context (see `Ctx` in routes.ts).
 */
export interface RouteDecoratorOptions<Path extends string = string, S extends RouteSchema = RouteSchema> extends RouteOptions<Path, S> {
  /** Status of a successful response (e.g. 201); an error or `ctx.status()` in the method still wins. */
  status?: number;
}

export interface RouteMeta {
  /** Upper-case method, or 'ALL'. */
  readonly method: string;
  readonly path: string;
  readonly options: RouteDecoratorOptions | undefined;
  /** How it was written, for messages: `@Get('/:id')`. */
  readonly decorator: string;
}

export interface EnhancerMeta {
  readonly guards: GuardLike[];
  readonly interceptors: InterceptorLike[];
  readonly filters: FilterLike[];
}

export const injectables = new WeakMap<Function, InjectableMeta>();
export const controllers = new WeakMap<Function, ControllerMeta>();
export const modules = new WeakMap<Function, ModuleMetadata>();
export const globalModules = new WeakSet<Function>();
/** Route decorators of a method, keyed by the method's function. */
export const routes = new WeakMap<Function, RouteMeta[]>();
/** Guards, interceptors and filters of a controller class or a method function. */
export const enhancers = new WeakMap<Function, EnhancerMeta>();
/** The error classes an exception filter class handles (`@Catch(...)`); none: every error. */
export const catches = new WeakMap<Function, readonly Function[]>();

/** The injectable options of a class or of its nearest decorated ancestor. */
export function injectableMeta(cls: Function): InjectableMeta | undefined {
  for (let c: unknown = cls; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const meta = controllers.get(c as Function) ?? injectables.get(c as Function);
    if (meta !== undefined) return meta;
  }
  return undefined;
}

export function enhancerMeta(key: Function): EnhancerMeta {
  let meta = enhancers.get(key);
  if (meta === undefined) {
    meta = { guards: [], interceptors: [], filters: [] };
    enhancers.set(key, meta);
  }
  return meta;
}
