import type { AddressInfo } from 'node:net';
import { EngineServer, type CloseOptions, type ListenOptions } from '../engine/server.js';
import { announceListening, drainOnSignals, isWorker, resolveWorkers, Supervisor, workerListenOptions, type WorkersOption, type WorkerStatus } from '../workers/index.js';
import type { EngineOptions } from '../engine/options.js';
import { checkBodyLimit } from '../http/body.js';
import { BadRequestException, MethodNotAllowedException, NotFoundException } from '../http/errors.js';
import type { HttpRequest } from '../http/request.js';
import type { HttpResponse } from '../http/response.js';
import { RadixRouter, type Match, type RadixRouterOptions } from '../router/index.js';
import { EMPTY_PARAMS } from '../router/router.js';
import { toFetchHandler } from '../adapters/fetch.js';
import { inject, type InjectOptions, type InjectResult } from '../adapters/inject.js';
import { toNodeListener } from '../adapters/node.js';
import { compileTrust, type TrustFunction, type TrustProxy } from './client-address.js';
import { composeChain, onResponseStep, type Step } from './compose.js';
import { toList, type NotFoundHandler, type RouteFilter, type RouteTableEntry } from './hooks.js';
import { safeReporter } from '../http/report.js';
import { Route } from './route.js';
import type { EventStream } from './sse.js';
import { joinPath, RouteScope, type RouteDef } from './scope.js';
import { compileResponseSchemas, validationStage } from './validation.js';

export type { Handler } from './hooks.js';

/** Where and how to listen: the engine's options, and `workers` for one process per core. */
export interface AppListenOptions extends ListenOptions {
  /** Serve from several processes: a count, `'auto'` (one per core) or WorkersOptions (see docs/workers.md). */
  workers?: WorkersOption;
}

export interface AppOptions extends EngineOptions, RadixRouterOptions {
  /**
   * Whose X-Forwarded-For / -Proto / -Host to believe (for `ctx.ip`, `ctx.protocol`,
   * `ctx.host`). Default false: the socket peer is the client. See TrustProxy.
   */
  trustProxy?: TrustProxy;
  /** Default size limit of the body readers (`ctx.json()` …), in bytes; at most `maxBodySize` takes effect. */
  bodyLimit?: number;
}

interface MissRoute {
  readonly prefix: string;
  readonly route: Route;
}

/**
 * An Armature application: routes, groups, mounted apps, middleware and hooks, compiled into
 * one chain per route when it starts. The same app serves from the engine (`listen`), as a
 * node:http listener, as a fetch handler, and through `inject`.
 */
export class App extends RouteScope<''> {
  readonly config: AppOptions;
  /** True once compiled: registering anything now throws. */
  started = false;
  private readonly router: RadixRouter<Route>;
  /** Every route this app serves (its own, its groups', its mounted apps'), paths relative to it. */
  private readonly defs: Array<{ method: string; path: string; def: RouteDef }> = [];
  /** Where a mounted app's routes are also registered. */
  private host: { app: App; base: string } | null = null;
  private readonly trust: TrustFunction | null;
  private readonly report: (error: unknown) => void;
  /** Not-found routes of scopes with a handler of their own, longest prefix first. */
  private misses: MissRoute[] = [];
  private rootMiss: Route | null = null;
  /** Answers a path the router refuses (a malformed percent-escape): the app's hooks and middleware run around the 400. */
  private badPath: Route | null = null;
  private server: EngineServer | null = null;
  /** Event streams still open (closed by close()). */
  private readonly streams = new Set<EventStream>();
  /** Run by close(), alongside the engine's own shutdown (see onClose). */
  private readonly shutdownListeners: Array<(options: CloseOptions) => unknown> = [];

  constructor(options: AppOptions = {}) {
    super(null, '', checkBodyLimit(options.bodyLimit, 'bodyLimit'));
    this.config = options;
    this.router = new RadixRouter<Route>(options);
    this.trust = compileTrust(options.trustProxy);
    this.report = safeReporter(options.onError);
    this.handle = this.handle.bind(this);
  }

  protected get app(): App {
    return this;
  }

  protected get base(): string {
    return '';
  }

  /** @internal Registers a route of this app (or of a group or mounted app in it). */
  addRoute(method: string, path: string, def: RouteDef): void {
    this.router.add(method, path, def.route);
    this.defs.push({ method, path, def });
    const host = this.host;
    if (host !== null) host.app.addRoute(method, joinPath(host.base, path), def);
  }

  /** @internal Called by `mount()`: this app's routes are served by `host` from now on. */
  attach(host: RouteScope<string>, prefix: string): void {
    this.parent = host;
    this.prefix = prefix;
    const target = host.hostFor(prefix);
    for (const r of this.defs) target.app.addRoute(r.method, joinPath(target.base, r.path), r.def);
    this.host = target;
  }

  /**
   * Every route this app serves (its own, its groups', its mounted apps', its DI controllers'),
   * in registration order, with its schemas and `meta`: what API descriptions (OpenAPI) and
   * route listings are built from. Available before the app starts.
   */
  routeTable(): RouteTableEntry[] {
    return this.defs.map(({ method, path, def }) => ({
      method,
      path,
      schema: def.options?.schema,
      meta: def.options?.meta,
      declaredBy: def.options?.declaredBy,
    }));
  }

  // ---- start-up -------------------------------------------------------------------------------

  /**
   * Compiles every route's chain (hooks, middleware, validation, serializers). Runs by itself
   * on the first listen(), inject(), fetch or nodeListener(); afterwards registering throws.
   */
  async ready(): Promise<this> {
    this.start();
    return this;
  }

  private start(): void {
    if (this.started) return;
    if (this.parent !== null) throw new Error('A mounted app is served by the app it is mounted in');
    for (const { method, path, def } of this.defs) this.compile(def.route, `${def.method} ${path}`, { method, path }, def.scope, def.handler, def.options);
    const misses: MissRoute[] = [];
    const walk = (scope: RouteScope<string>, prefix: string): void => {
      for (const child of scope.children) {
        const full = prefix + child.prefix;
        if (child.notFoundHandler !== null) {
          const route = new Route(`not found under ${full}`);
          this.compile(route, route.pattern, null, child, this.missHandler(child.notFoundHandler), undefined);
          misses.push({ prefix: this.config.caseSensitive === false ? full.toLowerCase() : full, route });
        }
        walk(child, full);
      }
    };
    walk(this as RouteScope<string>, '');
    misses.sort((a, b) => b.prefix.length - a.prefix.length);
    const root = new Route('not found');
    this.compile(root, root.pattern, null, this as RouteScope<string>, this.missHandler(this.notFoundHandler), undefined);
    const badPath = new Route('malformed path');
    this.compile(badPath, badPath.pattern, null, this as RouteScope<string>, this.badPathHandler(), undefined);
    this.misses = misses;
    this.rootMiss = root;
    this.badPath = badPath;
    this.started = true;
  }

  /** Nests the hooks of every scope from this app down to `scope`, then the route's own, around the handler. */
  private compile(route: Route, pattern: string, target: Parameters<RouteFilter>[0], scope: RouteScope<string>, handler: Step, options: RouteDef['options']): void {
    const scopes: RouteScope<string>[] = [];
    for (let s: RouteScope<string> | null = scope; s !== null; s = s.parent) scopes.push(s);
    scopes.reverse();
    const o = options ?? {};
    const gather = (name: 'onRequest' | 'preHandler' | 'onResponse' | 'onError'): any[] => {
      const list: unknown[] = [];
      for (const s of scopes) list.push(...s.hooks[name]);
      for (const hook of toList<unknown>(o[name])) {
        if (typeof hook !== 'function') throw new TypeError(`Route ${pattern}: ${name} hooks must be functions`);
        list.push(hook);
      }
      return list;
    };
    const middleware: unknown[] = [];
    for (const s of scopes) {
      const { middleware: list, middlewareOnly: only } = s.hooks;
      for (let i = 0; i < list.length; i++) if (only[i] === null || only[i]!(target)) middleware.push(list[i]);
    }
    if (o.middleware !== undefined) {
      if (!Array.isArray(o.middleware)) throw new TypeError(`Route ${pattern}: middleware must be an array`);
      middleware.push(...o.middleware);
    }
    for (const fn of middleware) if (typeof fn !== 'function') throw new TypeError(`Route ${pattern}: middleware must be functions`);

    route.pattern = pattern;
    route.routePath = target === null ? null : target.path;
    route.chain = composeChain({
      onRequest: gather('onRequest'),
      middleware: middleware as never,
      around: o.around ?? null,
      validation: validationStage(o.schema),
      preHandler: gather('preHandler'),
      handler,
    });
    const onResponse = gather('onResponse');
    route.onResponse = onResponse.length === 0 ? null : onResponseStep(onResponse, this.report);
    const onError = gather('onError').reverse();
    route.errorHooks = onError.length === 0 ? null : onError;
    route.errorHandler = null;
    for (let i = scopes.length - 1; i >= 0; i--) {
      if (scopes[i]!.errorHandler !== null) {
        route.errorHandler = scopes[i]!.errorHandler;
        break;
      }
    }
    let bodyLimit = o.bodyLimit;
    for (let i = scopes.length - 1; bodyLimit === undefined && i >= 0; i--) bodyLimit = scopes[i]!.bodyLimit;
    route.bodyLimit = checkBodyLimit(bodyLimit, `Route ${pattern}: bodyLimit`);
    route.serializers = compileResponseSchemas(o.schema?.response, `route ${pattern}`);
    route.trust = this.trust;
    route.development = this.config.development ?? false;
    route.report = this.report;
    route.streams = this.streams;
  }

  /** No route matched: 405 (or the OPTIONS answer) when other methods match, else the not-found handler. */
  private missHandler(custom: NotFoundHandler<any> | null): Step {
    return (ctx) => {
      const allowed = this.router.allowed(ctx.path);
      if (allowed.length > 0) {
        if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.push('HEAD');
        if (ctx.method === 'OPTIONS') {
          ctx.status(204).set('Allow', [...allowed, 'OPTIONS'].join(', '));
          return null;
        }
        throw new MethodNotAllowedException(`Method ${ctx.method} is not allowed for ${ctx.path}`, { allowed });
      }
      if (custom !== null) return custom(ctx);
      throw new NotFoundException(`No route for ${ctx.method} ${ctx.path}`);
    };
  }

  /** The router refused the path: find() throws its 400 again, inside the chain. */
  private badPathHandler(): Step {
    return (ctx) => {
      this.router.find(ctx.method, ctx.path);
      this.router.find('GET', ctx.path);
      throw new BadRequestException('Malformed path');
    };
  }

  private missFor(path: string): Route {
    const misses = this.misses;
    if (misses.length > 0) {
      const p = this.config.caseSensitive === false ? path.toLowerCase() : path;
      for (const m of misses) {
        if (p.startsWith(m.prefix) && (p.length === m.prefix.length || p.charCodeAt(m.prefix.length) === 47)) return m.route;
      }
    }
    return this.rootMiss!;
  }

  // ---- serving --------------------------------------------------------------------------------

  /** The request pipeline: route, then the route's compiled chain, reply and hooks. */
  handle(req: HttpRequest, res: HttpResponse): void | Promise<void> {
    if (!this.started) this.start();
    let match: Match<Route> | null;
    try {
      // find() throws HttpError(400) for a malformed percent-escape in a parameter
      match = this.router.find(req.method, req.path);
      if (match === null && req.method === 'HEAD') match = this.router.find('GET', req.path);
    } catch {
      return this.badPath!.handle(req, res, EMPTY_PARAMS);
    }
    if (match === null) return this.missFor(req.path).handle(req, res, EMPTY_PARAMS);
    return match.value.handle(req, res, match.params);
  }

  /** Runs a request through the pipeline in process, without a socket (for tests). */
  inject(options: InjectOptions | string): Promise<InjectResult> {
    try {
      this.start();
    } catch (error) {
      return Promise.reject(error);
    }
    return inject(this, options);
  }

  /** The app as a `(req, res)` listener for node:http, node:https or node:http2 servers. */
  nodeListener(): ReturnType<typeof toNodeListener> {
    this.start();
    return toNodeListener(this);
  }

  /** The app as a fetch handler. */
  get fetch(): (request: Request) => Promise<Response> {
    if (this.fetchHandler === null) {
      this.start();
      this.fetchHandler = toFetchHandler(this);
    }
    return this.fetchHandler;
  }
  private fetchHandler: ((request: Request) => Promise<Response>) | null = null;

  /**
   * Serves the app from Armature's own HTTP/1.1 engine (HTTPS with `tls`; HTTP/2 as well with
   * `http2`, through node:http2, see docs/http2.md). With `workers`, the
   * process that calls it becomes the primary: it forks that many workers running the same entry
   * script (each builds its own app and listens), supervises them, and resolves once all of them
   * listen; in a worker the same call listens on the shared port.
   */
  async listen(options: AppListenOptions = {}): Promise<AddressInfo> {
    if (this.server !== null || this.supervisor !== null) throw new Error('App is already listening');
    const { workers, ...engineOptions } = options;
    if (workers !== undefined && !isWorker()) {
      this.supervisor = new Supervisor(resolveWorkers(workers), engineOptions);
      return this.supervisor.start();
    }
    this.start();
    // HTTP/2 sessions (listen({ http2 })) serve the app through its node:http2 listener
    this.server = new EngineServer(this.handle, this.config, engineOptions.http2 ? toNodeListener(this) : undefined);
    if (!isWorker()) return this.server.listen(engineOptions);
    const address = await this.server.listen(workerListenOptions(engineOptions));
    drainOnSignals(() => this.close());
    announceListening(address);
    return address;
  }
  private supervisor: Supervisor | null = null;

  /** In the primary of `listen({ workers })`: each worker's state, pid and restarts; null otherwise. */
  get workers(): WorkerStatus[] | null {
    return this.supervisor?.status() ?? null;
  }

  /** The engine server, once listening. */
  get engine(): EngineServer | null {
    return this.server;
  }

  /**
   * Graceful shutdown: ends open event streams, then closes the engine server (see
   * EngineServer.close). Call it also when serving through nodeListener(), for the streams.
   */
  async close(options: CloseOptions = {}): Promise<void> {
    if (this.supervisor !== null) return this.supervisor.stop();
    for (const stream of [...this.streams]) stream.close();
    const closing: unknown[] = this.shutdownListeners.map((listener) => listener(options));
    if (this.server !== null) closing.push(this.server.close(options));
    await Promise.all(closing);
  }

  /**
   * Runs `listener` when close() is called, at the same time as the engine's shutdown and with
   * its options (the deadline): for what lives beside the HTTP connections, such as WebSockets
   * taken over from them. close() waits for the promise it returns.
   */
  onClose(listener: (options: CloseOptions) => unknown): this {
    this.shutdownListeners.push(listener);
    return this;
  }
}

export function createApp(options?: AppOptions): App {
  return new App(options);
}
