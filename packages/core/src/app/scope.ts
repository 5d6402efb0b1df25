/**
 * Where routes, middleware and hooks are registered: the app itself, its groups (a path prefix
 * with hooks of its own) and mounted sub-apps. Registration only records; the app compiles
 * everything into one chain per route when it starts.
 */
import type { ParamNames, RouteParams } from '../router/index.js';
import type { App } from './app.js';
import type { Context } from './context.js';
import type { ErrorHandler, Handler, Hook, HookName, HookTypes, Middleware, NotFoundHandler, OnErrorHook, OnResponseHook, RouteFilter, RouteOptions, RouteSchema } from './hooks.js';
import { Route } from './route.js';
import type { RouteAdded, RoutesFrom } from './typed-routes.js';

type Full<Prefix extends string, P extends string> = `${Prefix}${P}`;

/** The params a scope's own hooks can count on: those of its prefix (and any other, untyped). */
export type ScopeParams<Prefix extends string> = string extends Prefix
  ? Record<string, string>
  : [ParamNames<Prefix>] extends [never]
    ? Record<string, string>
    : RouteParams<Prefix> & Record<string, string>;

/** The context scope-level hooks and middleware receive. */
export type ScopeContext<Prefix extends string> = Context<ScopeParams<Prefix>>;

/** A route as registered: compiled into `route` when the app starts. */
export interface RouteDef {
  readonly method: string;
  readonly scope: RouteScope<string>;
  readonly handler: Handler<string, any>;
  readonly options: RouteOptions<string, any> | undefined;
  readonly route: Route;
}

/** The hooks and middleware a scope holds, in registration order. */
export class ScopeHooks {
  readonly onRequest: Hook<any>[] = [];
  readonly preHandler: Hook<any>[] = [];
  readonly onResponse: OnResponseHook<any>[] = [];
  readonly onError: OnErrorHook<any>[] = [];
  readonly middleware: Middleware<any>[] = [];
  /** For each middleware, the routes it applies to (null: every answer of the scope). */
  readonly middlewareOnly: Array<RouteFilter | null> = [];
}

type AllMethods = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** The methods `all()` (and DI's `@All()`) registers. */
export const ALL_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

const HOOK_NAMES: readonly HookName[] = ['onRequest', 'preHandler', 'onResponse', 'onError'];

/** '' for none; otherwise starts with '/' and has no trailing '/'. */
export function normalizePrefix(prefix: string): string {
  if (typeof prefix !== 'string' || (prefix !== '' && prefix.charCodeAt(0) !== 47)) throw new TypeError(`A prefix must start with "/", got ${String(prefix)}`);
  let p = prefix;
  while (p.length > 0 && p.charCodeAt(p.length - 1) === 47) p = p.slice(0, -1);
  return p;
}

/** `prefix` (normalized) + `path`; a path of '/' under a prefix is the prefix itself. */
export function joinPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  if (typeof path !== 'string' || path.charCodeAt(0) !== 47) throw new TypeError(`A route path must start with "/", got ${String(path)}`);
  return path === '/' ? prefix : prefix + path;
}

export abstract class RouteScope<Prefix extends string = ''> {
  /** The scope this one was registered in; null for an app that is not mounted. */
  parent: RouteScope<string> | null;
  /** Prefix relative to the parent scope ('' for none). */
  prefix: string;
  readonly hooks = new ScopeHooks();
  errorHandler: ErrorHandler<any> | null = null;
  notFoundHandler: NotFoundHandler<any> | null = null;
  /** Default body limit of the routes in this scope (undefined: inherited). */
  bodyLimit: number | undefined;
  /** Groups and mounted apps registered in this scope. */
  readonly children: RouteScope<string>[] = [];

  protected constructor(parent: RouteScope<string> | null, prefix: string, bodyLimit: number | undefined) {
    this.parent = parent;
    this.prefix = prefix;
    this.bodyLimit = bodyLimit;
  }

  /** The app whose router holds this scope's routes. */
  protected abstract get app(): App;
  /** This scope's prefix within `app`. */
  protected abstract get base(): string;

  /** Throws once the app serving this scope has started. */
  protected assertOpen(what: string): void {
    let top: RouteScope<string> = this as RouteScope<string>;
    while (top.parent !== null) top = top.parent;
    if ((top as unknown as { started: boolean }).started) {
      throw new Error(`Cannot ${what}: the app has started (register routes, hooks and middleware before listen(), inject(), fetch, nodeListener() or ready())`);
    }
  }

  // ---- routes ---------------------------------------------------------------------------------

  route<M extends string, P extends string, R>(method: M, path: P, handler: Handler<Full<Prefix, P>, {}, R>): this & RouteAdded<Full<Prefix, P>, Uppercase<M>, {}, R>;
  route<M extends string, P extends string, S extends RouteSchema = {}, R = unknown>(method: M, path: P, options: RouteOptions<Full<Prefix, P>, S>, handler: Handler<Full<Prefix, P>, S, R>): this & RouteAdded<Full<Prefix, P>, Uppercase<M>, S, R>;
  route(method: string, path: string, optionsOrHandler: any, maybeHandler?: any): this {
    const upper = String(method).toUpperCase();
    this.assertOpen(`add route ${upper} ${path}`);
    const handler: unknown = typeof optionsOrHandler === 'function' ? optionsOrHandler : maybeHandler;
    const options: RouteOptions<string, any> | undefined = typeof optionsOrHandler === 'function' ? undefined : optionsOrHandler;
    if (typeof handler !== 'function') throw new TypeError(`Route ${upper} ${path}: the handler must be a function`);
    if (options !== undefined && (typeof options !== 'object' || options === null)) throw new TypeError(`Route ${upper} ${path}: options must be an object`);
    const full = joinPath(this.base, path);
    const def: RouteDef = { method: upper, scope: this as RouteScope<string>, handler: handler as Handler<string, any>, options, route: new Route(`${upper} ${full}`) };
    this.app.addRoute(upper, full, def);
    return this;
  }

  get<P extends string, R>(path: P, handler: Handler<Full<Prefix, P>, {}, R>): this & RouteAdded<Full<Prefix, P>, 'GET', {}, R>;
  get<P extends string, S extends RouteSchema = {}, R = unknown>(path: P, options: RouteOptions<Full<Prefix, P>, S>, handler: Handler<Full<Prefix, P>, S, R>): this & RouteAdded<Full<Prefix, P>, 'GET', S, R>;
  get(path: string, a: any, b?: any): this { return this.route('GET', path, a, b); }

  post<P extends string, R>(path: P, handler: Handler<Full<Prefix, P>, {}, R>): this & RouteAdded<Full<Prefix, P>, 'POST', {}, R>;
  post<P extends string, S extends RouteSchema = {}, R = unknown>(path: P, options: RouteOptions<Full<Prefix, P>, S>, handler: Handler<Full<Prefix, P>, S, R>): this & RouteAdded<Full<Prefix, P>, 'POST', S, R>;
  post(path: string, a: any, b?: any): this { return this.route('POST', path, a, b); }

  put<P extends string, R>(path: P, handler: Handler<Full<Prefix, P>, {}, R>): this & RouteAdded<Full<Prefix, P>, 'PUT', {}, R>;
  put<P extends string, S extends RouteSchema = {}, R = unknown>(path: P, options: RouteOptions<Full<Prefix, P>, S>, handler: Handler<Full<Prefix, P>, S, R>): this & RouteAdded<Full<Prefix, P>, 'PUT', S, R>;
  put(path: string, a: any, b?: any): this { return this.route('PUT', path, a, b); }

  patch<P extends string, R>(path: P, handler: Handler<Full<Prefix, P>, {}, R>): this & RouteAdded<Full<Prefix, P>, 'PATCH', {}, R>;
  patch<P extends string, S extends RouteSchema = {}, R = unknown>(path: P, options: RouteOptions<Full<Prefix, P>, S>, handler: Handler<Full<Prefix, P>, S, R>): this & RouteAdded<Full<Prefix, P>, 'PATCH', S, R>;
  patch(path: string, a: any, b?: any): this { return this.route('PATCH', path, a, b); }

  delete<P extends string, R>(path: P, handler: Handler<Full<Prefix, P>, {}, R>): this & RouteAdded<Full<Prefix, P>, 'DELETE', {}, R>;
  delete<P extends string, S extends RouteSchema = {}, R = unknown>(path: P, options: RouteOptions<Full<Prefix, P>, S>, handler: Handler<Full<Prefix, P>, S, R>): this & RouteAdded<Full<Prefix, P>, 'DELETE', S, R>;
  delete(path: string, a: any, b?: any): this { return this.route('DELETE', path, a, b); }

  head<P extends string, R>(path: P, handler: Handler<Full<Prefix, P>, {}, R>): this & RouteAdded<Full<Prefix, P>, 'HEAD', {}, R>;
  head<P extends string, S extends RouteSchema = {}, R = unknown>(path: P, options: RouteOptions<Full<Prefix, P>, S>, handler: Handler<Full<Prefix, P>, S, R>): this & RouteAdded<Full<Prefix, P>, 'HEAD', S, R>;
  head(path: string, a: any, b?: any): this { return this.route('HEAD', path, a, b); }

  options<P extends string, R>(path: P, handler: Handler<Full<Prefix, P>, {}, R>): this & RouteAdded<Full<Prefix, P>, 'OPTIONS', {}, R>;
  options<P extends string, S extends RouteSchema = {}, R = unknown>(path: P, options: RouteOptions<Full<Prefix, P>, S>, handler: Handler<Full<Prefix, P>, S, R>): this & RouteAdded<Full<Prefix, P>, 'OPTIONS', S, R>;
  options(path: string, a: any, b?: any): this { return this.route('OPTIONS', path, a, b); }

  /** The same handler for GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS. */
  all<P extends string, R>(path: P, handler: Handler<Full<Prefix, P>, {}, R>): this & RouteAdded<Full<Prefix, P>, AllMethods, {}, R>;
  all<P extends string, S extends RouteSchema = {}, R = unknown>(path: P, options: RouteOptions<Full<Prefix, P>, S>, handler: Handler<Full<Prefix, P>, S, R>): this & RouteAdded<Full<Prefix, P>, AllMethods, S, R>;
  all(path: string, a: any, b?: any): this {
    for (const m of ALL_METHODS) this.route(m, path, a, b);
    return this;
  }

  // ---- middleware and hooks -------------------------------------------------------------------

  /** Adds middleware for every route of this scope (and its groups and mounted apps). */
  use(...middleware: Middleware<ScopeContext<Prefix>>[]): this {
    return this.useWhere(null, ...middleware);
  }

  /**
   * @internal Adds middleware for the routes `only` accepts (decided at start-up; null: every
   * answer of this scope). DI's module middleware (`configure(consumer)`) goes through here.
   */
  useWhere(only: RouteFilter | null, ...middleware: Middleware<ScopeContext<Prefix>>[]): this {
    this.assertOpen('add middleware');
    for (const m of middleware) {
      if (typeof m !== 'function') throw new TypeError('Middleware must be a function (ctx, next) => …');
      this.hooks.middleware.push(m);
      this.hooks.middlewareOnly.push(only);
    }
    return this;
  }

  /** Adds a hook for every route of this scope (and its groups and mounted apps). */
  addHook<N extends HookName>(name: N, hook: HookTypes<ScopeContext<Prefix>>[N]): this {
    if (!HOOK_NAMES.includes(name)) throw new TypeError(`Unknown hook "${String(name)}": expected one of ${HOOK_NAMES.join(', ')}`);
    this.assertOpen(`add an ${name} hook`);
    if (typeof hook !== 'function') throw new TypeError(`The ${name} hook must be a function`);
    (this.hooks[name] as unknown[]).push(hook);
    return this;
  }

  /** Before routing-specific work: return a value to answer early. */
  onRequest(hook: Hook<ScopeContext<Prefix>>): this { return this.addHook('onRequest', hook); }
  /** After validation, before the handler: return a value to answer early. */
  preHandler(hook: Hook<ScopeContext<Prefix>>): this { return this.addHook('preHandler', hook); }
  /** After the response is sent (errors are reported, not sent). */
  onResponse(hook: OnResponseHook<ScopeContext<Prefix>>): this { return this.addHook('onResponse', hook); }
  /** On any error of a request in this scope: return a value to answer instead of the default. */
  onError(hook: OnErrorHook<ScopeContext<Prefix>>): this { return this.addHook('onError', hook); }

  /** The error handler of this scope's routes (the nearest scope's handler applies). */
  setErrorHandler(handler: ErrorHandler<ScopeContext<Prefix>>): this {
    this.assertOpen('set the error handler');
    if (typeof handler !== 'function') throw new TypeError('The error handler must be a function (error, ctx) => …');
    this.errorHandler = handler;
    return this;
  }

  /**
   * Answers requests under this scope's prefix that match no route (a path that exists with
   * other methods still gets 405). The scope's hooks and middleware run before it.
   */
  setNotFoundHandler(handler: NotFoundHandler<ScopeContext<Prefix>>): this {
    this.assertOpen('set the not-found handler');
    if (typeof handler !== 'function') throw new TypeError('The not-found handler must be a function (ctx) => …');
    this.notFoundHandler = handler;
    return this;
  }

  // ---- nesting --------------------------------------------------------------------------------

  /**
   * A group of routes under `prefix` with middleware and hooks of its own (which run after
   * this scope's). Define its routes in `define`, or on the returned group.
   */
  group<G extends string, D = void>(prefix: G, define?: (group: Group<`${Prefix}${G}`>) => D): Group<`${Prefix}${G}`> & RoutesFrom<D> & RoutesFrom<this> {
    this.assertOpen(`add group ${prefix}`);
    const group = new Group<`${Prefix}${G}`>(this as RouteScope<string>, normalizePrefix(prefix));
    this.children.push(group);
    define?.(group);
    // as a type, the routes recorded so far travel on with the chain (typed-routes.ts)
    return group as Group<`${Prefix}${G}`> & RoutesFrom<D> & RoutesFrom<this>;
  }

  /**
   * Serves `app`'s routes under `prefix`. Its hooks, middleware, error and not-found handlers
   * keep applying to its routes, after this scope's; its `bodyLimit` too. Engine and proxy
   * options are the serving app's.
   */
  mount(prefix: string, app: App): this {
    this.assertOpen(`mount an app at ${prefix}`);
    const sub = app as unknown as RouteScope<string> & { started: boolean; attach(host: RouteScope<string>, prefix: string): void };
    if (sub === (this as unknown) || typeof sub.attach !== 'function') throw new TypeError('mount() takes another App');
    if (sub.parent !== null) throw new Error('This app is already mounted');
    if (sub.started) throw new Error('Cannot mount an app that has started');
    for (let s: RouteScope<string> | null = this as RouteScope<string>; s !== null; s = s.parent) {
      if (s === sub) throw new Error('Cannot mount an app inside itself');
    }
    sub.attach(this as RouteScope<string>, normalizePrefix(prefix));
    this.children.push(sub);
    return this;
  }

  /** @internal Where a mounted app's routes go: the host app and the full prefix within it. */
  hostFor(prefix: string): { app: App; base: string } {
    return { app: this.app, base: this.base + prefix };
  }
}

/** Routes under a prefix with middleware and hooks of their own. */
export class Group<Prefix extends string = string> extends RouteScope<Prefix> {
  private readonly owner: App;
  private readonly ownerBase: string;

  constructor(parent: RouteScope<string>, prefix: string) {
    super(parent, prefix, undefined);
    const host = parent.hostFor(prefix);
    this.owner = host.app;
    this.ownerBase = host.base;
  }

  protected get app(): App {
    return this.owner;
  }

  protected get base(): string {
    return this.ownerBase;
  }
}
