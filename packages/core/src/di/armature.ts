/**
 * `Armature.create(AppModule)`: builds the module graph, creates the providers, compiles the
 * controllers into the app's routes, runs the start-up hooks. The result wraps the App (listen,
 * inject, close) and the container (get). Graceful shutdown: `close(signal)`, and on SIGTERM /
 * SIGINT once listening (see `shutdownHooks`).
 */
import type { AddressInfo } from 'node:net';
import { createApp, type App, type AppListenOptions, type AppOptions } from '../app/app.js';
import type { InjectOptions, InjectResult } from '../adapters/inject.js';
import { RouteCompiler, type GlobalEnhancers } from './compile.js';
import { Container } from './container.js';
import { DEFAULT_SIGNALS, callHooks } from './lifecycle.js';
import { buildGraph, type ModuleImport } from './module.js';
import { isWorker, resolveWorkers, type WorkersOption } from '../workers/index.js';
import { logPrefix } from '../http/worker-id.js';
import type { ProviderOverride } from './provider.js';
import type { Token } from './tokens.js';

export interface ArmatureOptions extends AppOptions, GlobalEnhancers {
  /** Serve the modules' routes from this app (it may have functional routes and hooks of its own). Default: a new app with these options. */
  app?: App;
  /**
   * Graceful shutdown on signals, installed by `listen()`: true (default) for SIGTERM and SIGINT,
   * a list of signals, or false to leave signals alone (call `close()` yourself).
   */
  shutdownHooks?: boolean | readonly NodeJS.Signals[];
  /** How long `close()` lets in-flight requests finish before cutting them off, in ms (default 10 000). */
  shutdownTimeout?: number;
  /**
   * Serve from several processes (see docs/workers.md). Given here, the primary process builds no
   * providers at all (no database pools in a process that serves nothing): every worker runs the
   * whole module graph and its lifecycle hooks; `onPrimary` runs once, in the primary.
   */
  workers?: WorkersOption;
}

/** Builds and boots a container for a root module. */
export async function bootContainer(root: ModuleImport, overrides: ReadonlyMap<Token, ProviderOverride> | null): Promise<Container> {
  const container = new Container(buildGraph(root, overrides), overrides);
  await container.boot();
  return container;
}

export class Armature {
  readonly app: App;
  /** @internal (null in the primary of a multi-worker app) */
  readonly container: Container;
  /** Number of routes compiled from controllers. */
  readonly routeCount: number;
  private readonly options: ArmatureOptions;
  private readonly signals = new Map<NodeJS.Signals, () => void>();
  private closing: Promise<void> | null = null;
  private initialized = 0;

  /** Creates the application of a root module: every start-up error is thrown here. */
  static async create(root: ModuleImport, options: ArmatureOptions = {}): Promise<Armature> {
    if (options.workers !== undefined && !isWorker()) {
      resolveWorkers(options.workers); // a bad option fails here, in the primary
      // the primary of a multi-worker app: it only supervises; the workers build the modules
      const { app, guards: _g, interceptors: _i, filters: _f, shutdownHooks: _s, shutdownTimeout: _t, workers: _w, ...appOptions } = options;
      return new Armature(app ?? createApp(appOptions), null as unknown as Container, options, 0, 0);
    }
    const container = await bootContainer(root, null);
    return Armature.fromContainer(container, options, 0);
  }

  /** @internal Compiles routes and runs start-up hooks (those not run yet: `initialized` of them were). */
  static async fromContainer(container: Container, options: ArmatureOptions, initialized: number): Promise<Armature> {
    const { app, guards, interceptors, filters, shutdownHooks: _s, shutdownTimeout: _t, workers: _w, ...appOptions } = options;
    const target = app ?? createApp(appOptions);
    container.graph.appHost.attach(target); // before configure() and the start-up hooks
    const compiler = new RouteCompiler(container, target, { guards, interceptors, filters });
    await compiler.compile();
    container.finishBoot();
    const armature = new Armature(target, container, options, compiler.count, initialized);
    await armature.init();
    return armature;
  }

  private constructor(app: App, container: Container, options: ArmatureOptions, routeCount: number, initialized: number) {
    this.app = app;
    this.container = container;
    this.options = options;
    this.routeCount = routeCount;
    this.initialized = initialized;
  }

  /** @internal Runs onModuleInit then onApplicationBootstrap on instances that have not had them. */
  async init(): Promise<void> {
    if (this.container === null) return;
    const fresh = this.container.created.slice(this.initialized);
    this.initialized = this.container.created.length;
    await runInitHooks(fresh);
  }

  /** A singleton (or a new transient) instance: the root module's view first, then any module's providers. */
  get<T>(token: Token<T>): T {
    if (this.container === null) throw new Error('This is the primary of a multi-worker app: it runs no providers. Call get() in the workers (see docs/workers.md)');
    return this.container.get(token);
  }

  /** Runs a request through the app in process (tests). */
  inject(options: InjectOptions | string): Promise<InjectResult> {
    return this.app.inject(options);
  }

  /** Compiles the app's request pipeline now (listen and inject do it on first use). */
  async ready(): Promise<this> {
    await this.app.ready();
    return this;
  }

  /** Listens on Armature's engine; installs the signal handlers unless `shutdownHooks: false`. */
  async listen(options: AppListenOptions = {}): Promise<AddressInfo> {
    const listen = this.options.workers !== undefined && options.workers === undefined ? { ...options, workers: this.options.workers } : options;
    const hooks = this.options.shutdownHooks ?? true;
    // the primary of a multi-worker app stops its workers on signals itself
    const primary = listen.workers !== undefined && !isWorker();
    if (hooks !== false && !primary) this.enableShutdownHooks(hooks === true ? DEFAULT_SIGNALS : hooks);
    return this.app.listen(listen);
  }

  /**
   * On each signal: `close(signal)` (drain, then the shutdown hooks), then exit (code 0, or 1
   * if a hook failed). A second signal during shutdown gets Node's default behaviour (the
   * handlers are removed when shutdown starts). Idempotent.
   */
  enableShutdownHooks(signals: readonly NodeJS.Signals[] = DEFAULT_SIGNALS): this {
    if (this.closing !== null) return this;
    for (const signal of signals) {
      if (this.signals.has(signal)) continue;
      const handler = (): void => {
        this.close(signal).then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(`${logPrefix()} shutdown failed:`, error);
            process.exit(1);
          },
        );
      };
      this.signals.set(signal, handler);
      process.on(signal, handler);
    }
    return this;
  }

  /**
   * Graceful shutdown: beforeApplicationShutdown(signal) hooks, the server stops accepting and
   * in-flight requests finish (`app.close()`), then onModuleDestroy and
   * onApplicationShutdown(signal) hooks, in reverse dependency order. Removes the signal
   * handlers. Every hook runs even if one fails; the failures are thrown at the end. Idempotent.
   */
  close(signal?: string): Promise<void> {
    return (this.closing ??= this.shutdown(signal));
  }

  private async shutdown(signal: string | undefined): Promise<void> {
    for (const [s, handler] of this.signals) process.removeListener(s, handler);
    this.signals.clear();
    const errors: unknown[] = [];
    const instances = this.container === null ? [] : this.container.created.slice(0, this.initialized).reverse();
    await callHooks(instances, 'beforeApplicationShutdown', signal, errors);
    try {
      await this.app.close({ timeout: this.options.shutdownTimeout ?? 10_000 });
    } catch (error) {
      errors.push(error);
    }
    await callHooks(instances, 'onModuleDestroy', undefined, errors);
    await callHooks(instances, 'onApplicationShutdown', signal, errors);
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} shutdown steps failed`);
  }
}

export async function runInitHooks(instances: readonly unknown[]): Promise<void> {
  await callHooks(instances, 'onModuleInit', undefined);
  await callHooks(instances, 'onApplicationBootstrap', undefined);
}
