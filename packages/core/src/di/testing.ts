/**
 * The testing module: build an application's modules with some providers (or guards,
 * interceptors, filters) replaced, then get instances or an app to send requests to.
 *
 *   const mod = await Test.createTestingModule({ imports: [AppModule] })
 *     .overrideProvider(Db).useValue(fakeDb)
 *     .compile();
 *   const app = await mod.createApp();
 *   const res = await app.inject('/users/1');
 */
import { Armature, bootContainer, runInitHooks, type ArmatureOptions } from './armature.js';
import type { Container } from './container.js';
import type { CanActivate, ExceptionFilter, Interceptor } from './enhancers.js';
import { callHooks } from './lifecycle.js';
import type { ModuleMetadata } from './module.js';
import type { ProviderOverride } from './provider.js';
import type { Class, Token } from './tokens.js';

/** A stand-in for a `T`: an object may give only the public members a test uses. */
export type Mock<T> = T extends (...args: any[]) => unknown ? T : T extends object ? { [K in keyof T]?: T[K] } : T;

/** What to replace a provider (or an enhancer class) with. */
export interface OverrideBy<T> {
  useValue(value: Mock<T>): TestingModuleBuilder;
  useClass(cls: Class<T>): TestingModuleBuilder;
  useFactory(options: { factory: (...args: any[]) => T | Promise<T>; inject?: readonly Token[] }): TestingModuleBuilder;
  useExisting(token: Token<T>): TestingModuleBuilder;
}

/** The root module of a test (shown in messages). */
class TestModule {}

export class TestingModuleBuilder {
  private readonly metadata: ModuleMetadata;
  private readonly overrides = new Map<Token, ProviderOverride>();

  constructor(metadata: ModuleMetadata) {
    this.metadata = metadata;
  }

  /** Replaces the provider of `token`, wherever it is declared. */
  overrideProvider<T>(token: Token<T>): OverrideBy<T> {
    const set = (o: ProviderOverride): TestingModuleBuilder => {
      this.overrides.set(token, o);
      return this;
    };
    return {
      useValue: (value) => set({ useValue: value }),
      useClass: (cls) => set({ useClass: cls }),
      useFactory: ({ factory, inject }) => set({ useFactory: factory, inject }),
      useExisting: (other) => set({ useExisting: other }),
    };
  }

  /** Replaces a guard class used in @UseGuards (or the global guards). */
  overrideGuard(guard: Class<CanActivate>): OverrideBy<CanActivate> {
    return this.overrideProvider(guard);
  }
  /** Replaces an interceptor class used in @UseInterceptors. */
  overrideInterceptor(interceptor: Class<Interceptor>): OverrideBy<Interceptor> {
    return this.overrideProvider(interceptor);
  }
  /** Replaces an exception filter class used in @UseFilters. */
  overrideFilter(filter: Class<ExceptionFilter>): OverrideBy<ExceptionFilter> {
    return this.overrideProvider(filter);
  }

  /** Builds the modules, creates the providers, runs onModuleInit/onApplicationBootstrap. */
  async compile(): Promise<TestingModule> {
    const container = await bootContainer({ module: TestModule, ...this.metadata }, this.overrides);
    await runInitHooks(container.created);
    return new TestingModule(container, container.created.length);
  }
}

export class TestingModule {
  private readonly container: Container;
  private readonly initialized: number;
  private app: Armature | null = null;

  constructor(container: Container, initialized: number) {
    this.container = container;
    this.initialized = initialized;
  }

  /** A singleton (or a new transient) instance. */
  get<T>(token: Token<T>): T {
    return this.container.get(token);
  }

  /** The application: controllers compiled into an app; `inject()` requests into it, or `listen()`. */
  async createApp(options: ArmatureOptions = {}): Promise<Armature> {
    if (this.app !== null) throw new Error('createApp() was already called on this testing module');
    this.app = await Armature.fromContainer(this.container, { shutdownHooks: false, ...options }, this.initialized);
    return this.app;
  }

  /** Shuts down: the app's close() if one was created, else the shutdown hooks. */
  async close(): Promise<void> {
    if (this.app !== null) return this.app.close();
    const instances = this.container.created.slice(0, this.initialized).reverse();
    const errors: unknown[] = [];
    await callHooks(instances, 'beforeApplicationShutdown', undefined, errors);
    await callHooks(instances, 'onModuleDestroy', undefined, errors);
    await callHooks(instances, 'onApplicationShutdown', undefined, errors);
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors, `${errors.length} shutdown hooks failed`);
  }
}

export const Test = {
  /** A testing module with these imports/providers/controllers; override, then compile(). */
  createTestingModule(metadata: ModuleMetadata): TestingModuleBuilder {
    return new TestingModuleBuilder(metadata);
  },
};
