/**
 * Module-level middleware, NestJS's way: a module class with a `configure(consumer)` method
 * applies middleware to some routes — by path, by method, by controller — and excludes others.
 *
 *   @Module({ controllers: [UsersController] })
 *   class UsersModule implements ConfiguresMiddleware {
 *     configure(consumer: MiddlewareConsumer) {
 *       consumer.apply(RequestLog, cors()).exclude('/health').forRoutes('*');
 *       consumer.apply(Audit).forRoutes({ path: '/users/*', method: 'POST' }, UsersController);
 *     }
 *   }
 *
 * Middleware is a function `(ctx, next) => …` or a class with `use(ctx, next)` (created by the
 * container in that module, so it can inject()). Which routes it runs on is decided once at
 * start-up; it runs after the app's own middleware and before guards, in module order (imports
 * first), then in `apply()` order. `forRoutes('*')` also covers the answers no route gives (404,
 * 405, a malformed path). The testing module's `createApp()` applies it too.
 */
import type { App } from '../app/app.js';
import type { Context } from '../app/context.js';
import type { Middleware, Next, RouteFilter } from '../app/hooks.js';
import type { Container } from './container.js';
import { instanceOf, type EnhancerRef } from './enhancers.js';
import { diError } from './messages.js';
import type { ModuleNode } from './module.js';
import type { Class } from './tokens.js';

/** A middleware class: `use(ctx, next)` like a middleware function; it may inject(). */
export interface InjectableMiddleware {
  use(ctx: Context, next: Next): unknown;
}

/** What `apply()` takes: a middleware function, a middleware class, or an instance of one. */
export type MiddlewareLike = Middleware | Class<InjectableMiddleware> | InjectableMiddleware;

/**
 * A route (or routes) by path and method. `path` is the full path as the route declares it
 * (controller prefix included; the leading "/" may be left out); `/users/*` is `/users` and
 * everything below it; `*` is every request. `method` (default every method) is `GET`, `POST`…
 */
export interface RouteInfo {
  path: string;
  method?: string;
}

export interface MiddlewareConsumer {
  /** The middleware to apply, in the order they run; say where with forRoutes(). */
  apply(...middleware: MiddlewareLike[]): MiddlewareConfigProxy;
}

export interface MiddlewareConfigProxy {
  /** Routes the middleware must not run on (paths or RouteInfo). */
  exclude(...routes: Array<string | RouteInfo>): MiddlewareConfigProxy;
  /** Where it runs: paths, RouteInfo, or controller classes (all their routes). */
  forRoutes(...routes: Array<string | RouteInfo | Class>): MiddlewareConsumer;
}

/** A module class that applies middleware: `configure(consumer)` runs once at start-up. */
export interface ConfiguresMiddleware {
  configure(consumer: MiddlewareConsumer): void | Promise<void>;
}

interface Entry {
  readonly middleware: readonly MiddlewareLike[];
  readonly exclude: Array<string | RouteInfo>;
  routes: Array<string | RouteInfo | Class> | null;
}

/** A path spec, normalized: 'all', a prefix ('/users' for '/users/*'), or an exact path with parameter names erased. */
type PathMatch = { kind: 'all' } | { kind: 'prefix'; prefix: string } | { kind: 'exact'; path: string };

interface Spec {
  readonly method: string | null;
  readonly path: PathMatch | null;
  readonly controller: Function | null;
}

const eraseParams = (path: string): string => path.replace(/:[A-Za-z_$][\w$]*/g, ':');

function parsePath(raw: string, where: string): PathMatch {
  if (typeof raw !== 'string') throw diError('INVALID_DECLARATION', 'middlewareRoute', where, raw);
  let p = raw.trim();
  if (p.charCodeAt(0) !== 47) p = `/${p}`;
  if (p === '/*' || p === '/(.*)' || p === '/{*splat}') return { kind: 'all' };
  for (const tail of ['/*', '/(.*)', '/{*splat}']) {
    if (p.endsWith(tail)) return { kind: 'prefix', prefix: p.slice(0, -tail.length).replace(/\/+$/, '') };
  }
  if (p.includes('*')) throw diError('INVALID_DECLARATION', 'middlewareWildcard', where, raw);
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return { kind: 'exact', path: eraseParams(p) };
}

function parseSpec(route: string | RouteInfo | Class, where: string): Spec {
  if (typeof route === 'function') return { method: null, path: null, controller: route };
  if (typeof route === 'string') return { method: null, path: parsePath(route, where), controller: null };
  if (typeof route !== 'object' || route === null) throw diError('INVALID_DECLARATION', 'middlewareRoute', where, route);
  const method = route.method === undefined ? null : String(route.method).toUpperCase();
  return { method: method === 'ALL' ? null : method, path: parsePath(route.path, where), controller: null };
}

function matches(spec: Spec, method: string, path: string, controllerOf: (method: string, path: string) => Function | undefined): boolean {
  if (spec.method !== null && spec.method !== method) return false;
  if (spec.controller !== null) return controllerOf(method, path) === spec.controller;
  const m = spec.path!;
  if (m.kind === 'all') return true;
  if (m.kind === 'prefix') return m.prefix === '' || path === m.prefix || path.startsWith(`${m.prefix}/`);
  return eraseParams(path) === m.path;
}

/** The start-up filter of one `apply().forRoutes()`: which routes (and whether the answers no route gives) it runs on. */
function routeFilter(entry: Entry, where: string, controllerOf: (method: string, path: string) => Function | undefined): RouteFilter {
  const include = entry.routes!.map((r) => parseSpec(r, where));
  const exclude = entry.exclude.map((r) => parseSpec(r, where));
  const misses = include.some((s) => s.method === null && s.path?.kind === 'all');
  return (route) => {
    if (route === null) return misses;
    if (exclude.some((s) => matches(s, route.method, route.path, controllerOf))) return false;
    return include.some((s) => matches(s, route.method, route.path, controllerOf));
  };
}

/** One middleware as a function of the app chain; a class is created by the container in `node`. */
async function toFunction(container: Container, node: ModuleNode, item: MiddlewareLike, where: string): Promise<Middleware> {
  if (typeof item === 'function' && !isClass(item)) return item as Middleware;
  if (typeof item === 'object' && item !== null && typeof (item as InjectableMiddleware).use === 'function') {
    const instance = item as InjectableMiddleware;
    return (ctx, next) => instance.use(ctx, next);
  }
  if (typeof item !== 'function') {
    throw diError('INVALID_DECLARATION', 'middlewareItem', where, item);
  }
  const cls = item as Class<InjectableMiddleware>;
  const record = container.enhancerRecord(cls, node);
  await container.resolveRoot(record);
  const instance = record.requestScoped ? null : (container.resolveRecord(record, null) as InjectableMiddleware);
  if (instance !== null && typeof instance.use !== 'function') {
    throw diError('INVALID_DECLARATION', 'middlewareUse', where, cls.name);
  }
  if (instance !== null) return (ctx, next) => instance.use(ctx, next);
  const ref: EnhancerRef<InjectableMiddleware> = { instance: null, record, catches: null };
  return (ctx, next) => instanceOf(ref, container, ctx).use(ctx, next);
}

/** A class (with `use` on its prototype, or declared with `class`) rather than a middleware function. */
function isClass(fn: Function): boolean {
  return typeof (fn.prototype as { use?: unknown } | undefined)?.use === 'function' || /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

class Consumer implements MiddlewareConsumer {
  readonly entries: Entry[] = [];
  private readonly where: string;

  constructor(where: string) {
    this.where = where;
  }

  apply(...middleware: MiddlewareLike[]): MiddlewareConfigProxy {
    if (middleware.length === 0) throw diError('INVALID_DECLARATION', 'middlewareEmpty', this.where);
    const entry: Entry = { middleware, exclude: [], routes: null };
    this.entries.push(entry);
    const proxy: MiddlewareConfigProxy = {
      exclude: (...routes) => {
        entry.exclude.push(...routes);
        return proxy;
      },
      forRoutes: (...routes) => {
        if (routes.length === 0) throw diError('INVALID_DECLARATION', 'middlewareNoRoutes', this.where);
        entry.routes = routes;
        return this;
      },
    };
    return proxy;
  }
}

/**
 * Calls `configure(consumer)` on every module instance that has one (imports first) and adds
 * what they apply to the app. `controllerOf` names the controller that declared a route.
 */
export async function applyModuleMiddleware(container: Container, app: App, controllerOf: (method: string, path: string) => Function | undefined): Promise<void> {
  for (const node of container.graph.order) {
    const instance = node.record.instance as Partial<ConfiguresMiddleware> | undefined;
    if (instance === undefined || instance === null || typeof instance.configure !== 'function') continue;
    const where = `${node.name}.configure()`;
    const consumer = new Consumer(where);
    await instance.configure(consumer);
    for (const entry of consumer.entries) {
      if (entry.routes === null) throw diError('INVALID_DECLARATION', 'middlewareWithoutRoutes', where);
      const only = routeFilter(entry, where, controllerOf);
      const fns: Middleware[] = [];
      for (const item of entry.middleware) fns.push(await toFunction(container, node, item, where));
      app.useWhere(only, ...fns);
    }
  }
}
