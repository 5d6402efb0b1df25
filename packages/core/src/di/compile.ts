/**
 * Controllers → plain app routes, at start-up. A singleton controller's route without guards,
 * interceptors, filters or status is registered as the bound method itself: the app calls it
 * exactly as it calls a functional route. Everything else is composed here once, per route.
 */
import type { App } from '../app/app.js';
import type { Context } from '../app/context.js';
import type { OnErrorHook, RouteDeclaration } from '../app/hooks.js';
import { ALL_METHODS, joinPath, normalizePrefix } from '../app/scope.js';
import type { Container } from './container.js';
import { DuplicateRouteError, RouteConflictError } from '../router/tree.js';
import { diError, diErrorCausedBy, reasonOf } from './messages.js';
import {
  filterHook, guardStep, interceptorStep, requestScopeOf,
  type CanActivate, type EnhancerRef, type ExceptionFilter, type FilterLike, type GuardLike, type Interceptor, type InterceptorLike, type Step,
} from './enhancers.js';
import { applyModuleMiddleware } from './middleware.js';
import { methodsOf } from './class-methods.js';
import { catches, controllers, enhancers, routes, type RouteMeta } from './metadata.js';
import type { ModuleNode } from './module.js';
import { RESOLVED, type ProviderRecord } from './provider.js';
import type { Class } from './tokens.js';

export interface GlobalEnhancers {
  guards?: readonly GuardLike[];
  interceptors?: readonly InterceptorLike[];
  filters?: readonly FilterLike[];
}

/** The app's route registration, typed loosely: options are passed through as the app defines them. */
interface RouteTarget {
  route(method: string, path: string, optionsOrHandler: unknown, handler?: unknown): unknown;
}

const withSlash = (p: string): string => (p.charCodeAt(0) === 47 ? p : `/${p}`);

/** A controller's prefix + a route method's path; either may omit the leading "/" (`@Controller('users')`, `@Get(':id')`). */
export function joinRoute(prefix: string, path: string): string {
  return joinPath(normalizePrefix(prefix === '' ? '' : withSlash(prefix)), withSlash(path));
}

/** Parameter names do not make routes different: `/users/:id` and `/users/:userId` collide. */
export const routeKey = (method: string, path: string): string => `${method} ${path.replace(/:[A-Za-z_$][\w$]*/g, ':')}`;

interface FoundRoute {
  readonly name: string;
  readonly fn: Function;
  readonly meta: RouteMeta;
}

/** Route methods of a controller class and its ancestors (a subclass's override wins). */
function routesOf(cls: Function): FoundRoute[] {
  const found: FoundRoute[] = [];
  for (const { key, fn } of methodsOf(cls)) {
    for (const meta of routes.get(fn) ?? []) found.push({ name: String(key), fn, meta });
  }
  return found;
}

/** A route a controller class declares: its method's name, the HTTP method ('ALL' for @All) and the full path. */
export interface ControllerRoute {
  readonly handlerName: string;
  readonly method: string;
  readonly path: string;
}

/**
 * The routes a controller class declares, from its route decorators, with the controller's prefix
 * joined: what a client of the controller calls (`@armature/client/controller`). Throws for a
 * class that is not a controller.
 */
export function controllerRoutes(cls: Function): ControllerRoute[] {
  const meta = typeof cls === 'function' ? controllers.get(cls) : undefined;
  if (meta === undefined) throw new TypeError(`${typeof cls === 'function' ? cls.name : String(cls)} is not a controller (decorate it with @Controller())`);
  return routesOf(cls).map((r) => ({ handlerName: r.name, method: r.meta.method, path: joinRoute(meta.prefix, r.meta.path) }));
}

/** Class-level enhancers of a controller, ancestors first. */
function classEnhancers(cls: Function): { guards: GuardLike[]; interceptors: InterceptorLike[]; filters: FilterLike[] } {
  const chain: Function[] = [];
  for (let c: unknown = cls; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.unshift(c as Function);
  const out = { guards: [] as GuardLike[], interceptors: [] as InterceptorLike[], filters: [] as FilterLike[] };
  for (const c of chain) {
    const meta = enhancers.get(c);
    if (meta === undefined) continue;
    out.guards.push(...meta.guards);
    out.interceptors.push(...meta.interceptors);
    out.filters.push(...meta.filters);
  }
  return out;
}

export class RouteCompiler {
  private readonly container: Container;
  private readonly app: App;
  private readonly globals: GlobalEnhancers;
  /** Routes registered, by routeKey(): who declared them (for messages) and their controller (for middleware). */
  readonly registered = new Map<string, { who: string; method: string; path: string; cls: Function }>();
  private readonly refs = new Map<ModuleNode, Map<unknown, EnhancerRef<unknown>>>();
  /** Routes registered. */
  count = 0;

  constructor(container: Container, app: App, globals: GlobalEnhancers) {
    this.container = container;
    this.app = app;
    this.globals = globals;
  }

  async compile(): Promise<void> {
    const root = this.container.graph.root;
    const global = {
      guards: await this.resolveAll<CanActivate>(this.globals.guards ?? [], root, 'canActivate', 'global guard'),
      interceptors: await this.resolveAll<Interceptor>(this.globals.interceptors ?? [], root, 'intercept', 'global interceptor'),
      filters: await this.resolveAll<ExceptionFilter>(this.globals.filters ?? [], root, 'catch', 'global filter'),
      items: this.globals.guards ?? [],
    };
    for (const node of this.container.graph.order) {
      for (const rec of node.controllers) await this.controller(rec, node, global);
    }
    // global filters see every error of the app, 404 and 405 included
    if (global.filters.length > 0) this.app.onError(filterHook(global.filters, this.container) as OnErrorHook<any>);
    await applyModuleMiddleware(this.container, this.app, (method, path) => this.registered.get(routeKey(method, path))?.cls);
  }

  private async controller(rec: ProviderRecord, node: ModuleNode, global: { guards: EnhancerRef<CanActivate>[]; interceptors: EnhancerRef<Interceptor>[]; filters: EnhancerRef<ExceptionFilter>[]; items: readonly GuardLike[] }): Promise<void> {
    const cls = rec.cls!;
    const meta = controllers.get(cls);
    if (meta === undefined) {
      throw diError('INVALID_DECLARATION', 'notController', cls.name, node.name);
    }
    const own = classEnhancers(cls);
    const classGuards = await this.resolveAll<CanActivate>(own.guards, node, 'canActivate', `guard of ${cls.name}`);
    const classInterceptors = await this.resolveAll<Interceptor>(own.interceptors, node, 'intercept', `interceptor of ${cls.name}`);
    const classFilters = await this.resolveAll<ExceptionFilter>(own.filters, node, 'catch', `filter of ${cls.name}`);
    for (const route of routesOf(cls)) {
      const where = `${cls.name}.${route.name}`;
      const m = enhancers.get(route.fn);
      const guards = [...global.guards, ...classGuards, ...(m ? await this.resolveAll<CanActivate>(m.guards, node, 'canActivate', `guard of ${where}`) : [])];
      const interceptors = [...global.interceptors, ...classInterceptors, ...(m ? await this.resolveAll<Interceptor>(m.interceptors, node, 'intercept', `interceptor of ${where}`) : [])];
      const filters = [...(m ? await this.resolveAll<ExceptionFilter>(m.filters, node, 'catch', `filter of ${where}`) : []), ...classFilters];
      const { status, ...options } = route.meta.options ?? {};
      const handler = this.handler(rec, route.fn, status);
      options.declaredBy = { controller: cls as RouteDeclaration['controller'], handlerName: route.name, guards: [...global.items, ...own.guards, ...(m?.guards ?? [])], status };
      if (guards.length > 0 || interceptors.length > 0) options.around = this.around(guards, interceptors);
      if (filters.length > 0) {
        // the route's filters answer before the app's onError hooks (and the global filters)
        const hooks = options.onError === undefined ? [] : Array.isArray(options.onError) ? [...options.onError] : [options.onError];
        options.onError = [...hooks, filterHook(filters, this.container)];
      }
      const path = joinRoute(meta.prefix, route.meta.path);
      const methods = route.meta.method === 'ALL' ? ALL_METHODS : [route.meta.method];
      for (const method of methods) this.register(method, path, options, handler, `${where} (${route.meta.decorator})`, cls);
    }
  }

  private register(method: string, path: string, options: object | undefined, handler: (ctx: Context) => unknown, who: string, cls: Function): void {
    try {
      const target = this.app as unknown as RouteTarget;
      if (options === undefined) target.route(method, path, handler);
      else target.route(method, path, options, handler);
    } catch (error) {
      // the router names the route already there: name the controller method that declared it
      const previous = error instanceof RouteConflictError ? this.registered.get(routeKey(method, error.existing)) : undefined;
      if (previous !== undefined && error instanceof DuplicateRouteError) throw diError('DUPLICATE_ROUTE', 'twice', `${method} ${path}`, previous.who, who);
      const also = previous === undefined ? '' : ` (${previous.path} is declared by ${previous.who})`;
      throw diErrorCausedBy(error, 'INVALID_DECLARATION', 'routeRejected', who, `${method} ${path}`, `${reasonOf(error)}${also}`);
    }
    const key = routeKey(method, path);
    this.registered.set(key, { who, method, path, cls });
    this.count++;
  }

  /** The route's handler: the controller method (on this request's instance if request-scoped), with its status. */
  private handler(ctrl: ProviderRecord, fn: Function, status: number | undefined): (ctx: Context) => unknown {
    const container = this.container;
    if (ctrl.requestScoped) {
      return (ctx) => {
        if (status !== undefined) ctx.status(status);
        return fn.call(container.instantiate(ctrl, requestScopeOf(ctx)), ctx);
      };
    }
    if (ctrl.state !== RESOLVED) throw new Error(`${ctrl.name} was not created at start-up`);
    // the zero-cost case: the bound method is the route handler
    const bound = fn.bind(ctrl.instance) as (ctx: Context) => unknown;
    if (status === undefined) return bound;
    return (ctx) => {
      ctx.status(status);
      return bound(ctx);
    };
  }

  /** Guards, then interceptors (outermost first), around validation and the handler: the app chain's `around` stage. */
  private around(guards: EnhancerRef<CanActivate>[], interceptors: EnhancerRef<Interceptor>[]): (next: Step) => Step {
    const container = this.container;
    return (next) => {
      let step = next;
      for (let i = interceptors.length - 1; i >= 0; i--) step = interceptorStep(interceptors[i]!, container, step);
      return guards.length > 0 ? guardStep(guards, container, step) : step;
    };
  }

  private async resolveAll<T>(items: readonly unknown[], node: ModuleNode, method: string, what: string): Promise<EnhancerRef<T>[]> {
    const out: EnhancerRef<T>[] = [];
    for (const item of items) out.push(await this.resolveOne<T>(item, node, method, what));
    return out;
  }

  private async resolveOne<T>(item: unknown, node: ModuleNode, method: string, what: string): Promise<EnhancerRef<T>> {
    let cache = this.refs.get(node);
    if (cache === undefined) this.refs.set(node, (cache = new Map()));
    const known = cache.get(item);
    if (known !== undefined) return known as EnhancerRef<T>;
    let ref: EnhancerRef<T>;
    if (typeof item === 'function') {
      const rec = this.container.enhancerRecord(item as Class, node);
      await this.container.resolveRoot(rec);
      const instance = rec.requestScoped ? null : (this.container.resolveRecord(rec, null) as T);
      if (instance !== null && typeof (instance as Record<string, unknown>)[method] !== 'function') {
        throw diError('INVALID_DECLARATION', 'enhancerMethod', item.name, what, method);
      }
      ref = { instance, record: rec, catches: catches.get(item) ?? null };
    } else {
      ref = { instance: item as T, record: null, catches: catches.get((item as object).constructor) ?? null };
    }
    cache.set(item, ref);
    return ref;
  }
}
