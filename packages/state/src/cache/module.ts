/**
 * Caching in a DI app, the way NestJS's CacheModule does it: `CacheModule.forRoot(options)`
 * provides the `Cache` under `CACHE_MANAGER` (inject it anywhere; `isGlobal: true` makes it
 * visible without importing the module), and `@Cacheable()` / `CacheInterceptor` cache the GET
 * answers of controller routes in it. The cache leaves its shared state on shutdown.
 */
import { InjectionToken, Module, UseInterceptors, inject, type Context, type DynamicModule, type Interceptor, type Middleware, type OnApplicationShutdown } from '@armature/core';
import { Cache, type CacheOptions } from './cache.js';
import { checkCacheResponsesOptions, ResponseCache, type CacheResponsesOptions } from './response-cache.js';

/** The `Cache` of the app: `private readonly cache = inject(CACHE_MANAGER)`. */
export const CACHE_MANAGER = new InjectionToken<Cache>('CACHE_MANAGER');

export interface CacheModuleOptions extends CacheOptions {
  /** Visible in every module without importing CacheModule (NestJS's `isGlobal`). */
  isGlobal?: boolean;
}

@Module({})
export class CacheModule implements OnApplicationShutdown {
  private readonly cache = inject(CACHE_MANAGER);

  /** Provides and exports CACHE_MANAGER; the cache is ready (its tag state joined) before the app starts. */
  static forRoot(options: CacheModuleOptions = {}): DynamicModule {
    const { isGlobal, ...cacheOptions } = options;
    return {
      module: CacheModule,
      global: isGlobal === true,
      providers: [{ provide: CACHE_MANAGER, useFactory: () => new Cache(cacheOptions).ready }],
      exports: [CACHE_MANAGER],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.cache.close();
  }
}

/**
 * Caches a controller's GET answers in the app's CACHE_MANAGER with the default options:
 * `@UseInterceptors(CacheInterceptor)` on a controller or method, or as a global interceptor.
 * For options per route, use `@Cacheable({ ttl, tags, key })`.
 */
export class CacheInterceptor implements Interceptor {
  protected readonly options: CacheResponsesOptions = {};
  private responses: ResponseCache | null = null;
  private readonly cache = inject(CACHE_MANAGER);

  intercept(ctx: Context, next: () => unknown): Promise<unknown> {
    this.responses ??= new ResponseCache(this.cache, this.options);
    return this.responses.handle(ctx, next);
  }
}

/**
 * Caches the GET answers of a route (on a method) or of every route of a controller (on the
 * class) in CACHE_MANAGER: `@Cacheable({ ttl: 30_000, tags: ['products'] })`.
 */
export function Cacheable(options: CacheResponsesOptions = {}): ReturnType<typeof UseInterceptors> {
  checkCacheResponsesOptions(options);
  return UseInterceptors(
    class CacheableInterceptor extends CacheInterceptor {
      protected override readonly options = options;
    },
  );
}

/**
 * The same for functional routes and groups, as middleware on a Cache of your own:
 * `app.get('/products', { middleware: [cacheResponses(cache, { ttl: 30_000 })] }, handler)`.
 */
export function cacheResponses(cache: Cache, options: CacheResponsesOptions = {}): Middleware {
  const responses = new ResponseCache(cache, options);
  return (ctx, next) => responses.handle(ctx, next);
}
