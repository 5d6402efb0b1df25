import type { AddressInfo } from 'node:net';
import { EngineServer, type CloseOptions, type ListenOptions } from '../engine/server.js';
import type { EngineOptions } from '../engine/options.js';
import { HttpError } from '../http/errors.js';
import { PROBLEM_TYPE, problemJson } from '../http/problem.js';
import type { HttpRequest } from '../http/request.js';
import type { HttpResponse } from '../http/response.js';
import { RadixRouter, type RadixRouterOptions, type RouteParams } from '../router/radix-router.js';
import { toFetchHandler } from '../adapters/fetch.js';
import { inject, type InjectOptions, type InjectResult } from '../adapters/inject.js';
import { toNodeListener } from '../adapters/node.js';
import { Context } from './context.js';
import { reply } from './reply.js';

/** A route handler; `ctx.params` is typed from the path literal. */
export type Handler<Path extends string = string> = (ctx: Context<RouteParams<Path>>) => unknown;

export interface AppOptions extends EngineOptions, RadixRouterOptions {}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * An Armature application: routes and the request pipeline. The same app serves from the
 * engine (`listen`), as a node:http listener, as a fetch handler, and through `inject`.
 */
export class App {
  readonly config: AppOptions;
  private readonly router: RadixRouter<Handler>;
  private server: EngineServer | null = null;

  constructor(options: AppOptions = {}) {
    this.config = options;
    this.router = new RadixRouter<Handler>(options);
    this.handle = this.handle.bind(this);
  }

  route<P extends string>(method: string, path: P, handler: Handler<P>): this {
    this.router.add(method.toUpperCase(), path, handler as Handler);
    return this;
  }

  get<P extends string>(path: P, handler: Handler<P>): this { return this.route('GET', path, handler); }
  post<P extends string>(path: P, handler: Handler<P>): this { return this.route('POST', path, handler); }
  put<P extends string>(path: P, handler: Handler<P>): this { return this.route('PUT', path, handler); }
  patch<P extends string>(path: P, handler: Handler<P>): this { return this.route('PATCH', path, handler); }
  delete<P extends string>(path: P, handler: Handler<P>): this { return this.route('DELETE', path, handler); }
  head<P extends string>(path: P, handler: Handler<P>): this { return this.route('HEAD', path, handler); }
  options<P extends string>(path: P, handler: Handler<P>): this { return this.route('OPTIONS', path, handler); }
  all<P extends string>(path: P, handler: Handler<P>): this {
    for (const m of METHODS) this.route(m, path, handler);
    return this;
  }

  /** The request pipeline: route, run the handler, turn its result into a response. */
  handle(req: HttpRequest, res: HttpResponse): void | Promise<void> {
    let result: unknown;
    try {
      // find() throws HttpError(400) for a malformed percent-escape in a parameter
      let match = this.router.find(req.method, req.path);
      if (match === null && req.method === 'HEAD') match = this.router.find('GET', req.path);
      if (match === null) return this.noRoute(req, res);
      result = match.value(new Context(req, res, match.params));
    } catch (error) {
      return this.fail(res, error);
    }
    if (result instanceof Promise) {
      return result.then((value) => reply(res, value)).then(undefined, (error: unknown) => this.fail(res, error));
    }
    try {
      const sent = reply(res, result);
      if (sent !== undefined) return sent.then(undefined, (error: unknown) => this.fail(res, error));
    } catch (error) {
      return this.fail(res, error);
    }
  }

  private noRoute(req: HttpRequest, res: HttpResponse): void {
    const allowed = this.router.allowed(req.path);
    if (allowed.length === 0) return this.problem(res, 404, `No route for ${req.method} ${req.path}`);
    if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.push('HEAD');
    if (req.method === 'OPTIONS') {
      res.statusCode = 204;
      res.setHeader('Allow', [...allowed, 'OPTIONS'].join(', '));
      res.end();
      return;
    }
    res.setHeader('Allow', allowed.join(', '));
    this.problem(res, 405, `Method ${req.method} is not allowed for ${req.path}`);
  }

  private fail(res: HttpResponse, error: unknown): void {
    const status = error instanceof HttpError ? error.status : 500;
    if (status >= 500) (this.config.onError ?? ((e: unknown) => console.error('[armature]', e)))(error);
    if (res.headersSent) {
      if (!res.finished) res.abort();
      return;
    }
    res.clearHeaders();
    let detail: string | undefined;
    if (error instanceof HttpError) {
      if (error.headers !== undefined) for (const [k, v] of Object.entries(error.headers)) res.setHeader(k, v);
      if (error.expose) detail = error.message;
    }
    if (this.config.development && error instanceof Error) detail = error.stack;
    this.problem(res, status, detail);
  }

  private problem(res: HttpResponse, status: number, detail?: string): void {
    res.statusCode = status;
    res.setHeader('Content-Type', PROBLEM_TYPE);
    res.end(problemJson(status, detail));
  }

  /** Runs a request through the pipeline in process, without a socket (for tests). */
  inject(options: InjectOptions | string): Promise<InjectResult> {
    return inject(this, options);
  }

  /** The app as a `(req, res)` listener for node:http, node:https or node:http2 servers. */
  nodeListener(): ReturnType<typeof toNodeListener> {
    return toNodeListener(this);
  }

  /** The app as a fetch handler. */
  get fetch(): (request: Request) => Promise<Response> {
    return (this.fetchHandler ??= toFetchHandler(this));
  }
  private fetchHandler: ((request: Request) => Promise<Response>) | null = null;

  /** Serves the app from Armature's own HTTP/1.1 engine (HTTPS with `tls`). */
  async listen(options: ListenOptions = {}): Promise<AddressInfo> {
    if (this.server !== null) throw new Error('App is already listening');
    this.server = new EngineServer(this.handle, this.config);
    return this.server.listen(options);
  }

  /** The engine server, once listening. */
  get engine(): EngineServer | null {
    return this.server;
  }

  /** Graceful shutdown of the engine server (see EngineServer.close). */
  async close(options?: CloseOptions): Promise<void> {
    const server = this.server;
    if (server === null) return;
    await server.close(options);
  }
}

export function createApp(options?: AppOptions): App {
  return new App(options);
}
