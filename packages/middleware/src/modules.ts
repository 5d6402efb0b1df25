/**
 * The middleware as DI modules: `imports: [CorsModule.forRoot({...})]` applies the middleware to
 * every request of the app (404s and other answers no route gives included), through the
 * module's `configure(consumer)`; it also applies under the testing module. Options are checked
 * when `forRoot()` is called, so a mistake fails at start-up.
 */
import { InjectionToken, Module, inject, type DynamicModule, type Middleware, type MiddlewareConsumer } from '@armature/core';
import { cors, type CorsOptions } from './cors.js';
import { etag, type EtagOptions } from './etag.js';
import { rateLimit, type RateLimitOptions } from './rate-limit/rate-limit.js';
import { requestId, type RequestIdOptions } from './request-id.js';
import { securityHeaders, type SecurityHeadersOptions } from './security-headers.js';
import { serveStatic, type ServeStaticOptions } from './static/serve-static.js';

/** A module class made by `appWide()`: `forRoot(...)` makes the middleware; the module applies it. */
export interface AppWideMiddlewareModule<Options extends unknown[]> {
  new (): { configure(consumer: MiddlewareConsumer): void };
  /** Checks the options and makes the middleware now, so that a mistake fails at start-up. */
  forRoot(...options: Options): DynamicModule;
  readonly name: string;
}

/**
 * One module class per middleware: its own token, `forRoot()` providing the middleware made
 * from the options, and `configure(consumer)` applying it for every route ('*').
 */
function appWide<Options extends unknown[]>(name: string, make: (...options: Options) => Middleware): AppWideMiddlewareModule<Options> {
  const token = new InjectionToken<Middleware>(`${name} middleware`);
  @Module({})
  class AppWide {
    readonly middleware: Middleware;
    constructor() {
      const middleware = inject(token, { optional: true });
      if (middleware === null) throw new TypeError(`${name} applies middleware made from options: import ${name}.forRoot(options), not ${name} itself`);
      this.middleware = middleware;
    }
    static forRoot(...options: Options): DynamicModule {
      return { module: AppWide, providers: [{ provide: token, useValue: make(...options) }] };
    }
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(this.middleware).forRoutes('*');
    }
  }
  Object.defineProperty(AppWide, 'name', { value: name });
  return AppWide;
}

export const CorsModule = appWide('CorsModule', (options: CorsOptions = {}) => cors(options));
export const SecurityHeadersModule = appWide('SecurityHeadersModule', (options: SecurityHeadersOptions = {}) => securityHeaders(options));
export const RequestIdModule = appWide('RequestIdModule', (options: RequestIdOptions = {}) => requestId(options));
/** One app-wide limit; for per-route limits use `rateLimit()` in a route's middleware or `consumer.apply(rateLimit(...)).forRoutes(...)`. */
export const RateLimitModule = appWide('RateLimitModule', (options: RateLimitOptions) => rateLimit(options));
export const EtagModule = appWide('EtagModule', (options: EtagOptions = {}) => etag(options));
/** A directory under `prefix` (default `/`) for every GET/HEAD; misses go on to the routes. */
export const ServeStaticModule = appWide('ServeStaticModule', (options: ServeStaticOptions & { root: string }) => {
  const { root, ...rest } = options;
  return serveStatic(root, rest) as Middleware;
});
