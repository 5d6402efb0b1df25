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

/** The middleware a module applies (one token per module class). */
const CORS = new InjectionToken<Middleware>('CorsModule middleware');
const SECURITY_HEADERS = new InjectionToken<Middleware>('SecurityHeadersModule middleware');
const REQUEST_ID = new InjectionToken<Middleware>('RequestIdModule middleware');
const RATE_LIMIT = new InjectionToken<Middleware>('RateLimitModule middleware');
const ETAG = new InjectionToken<Middleware>('EtagModule middleware');
const STATIC = new InjectionToken<Middleware>('ServeStaticModule middleware');

function dynamic(module: new () => unknown, token: InjectionToken<Middleware>, middleware: Middleware): DynamicModule {
  return { module, providers: [{ provide: token, useValue: middleware }] };
}

@Module({})
export class CorsModule {
  private readonly middleware = inject(CORS);
  static forRoot(options: CorsOptions = {}): DynamicModule {
    return dynamic(CorsModule, CORS, cors(options));
  }
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.middleware).forRoutes('*');
  }
}

@Module({})
export class SecurityHeadersModule {
  private readonly middleware = inject(SECURITY_HEADERS);
  static forRoot(options: SecurityHeadersOptions = {}): DynamicModule {
    return dynamic(SecurityHeadersModule, SECURITY_HEADERS, securityHeaders(options));
  }
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.middleware).forRoutes('*');
  }
}

@Module({})
export class RequestIdModule {
  private readonly middleware = inject(REQUEST_ID);
  static forRoot(options: RequestIdOptions = {}): DynamicModule {
    return dynamic(RequestIdModule, REQUEST_ID, requestId(options));
  }
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.middleware).forRoutes('*');
  }
}

/** One app-wide limit; for per-route limits use `rateLimit()` in a route's middleware or `consumer.apply(rateLimit(...)).forRoutes(...)`. */
@Module({})
export class RateLimitModule {
  private readonly middleware = inject(RATE_LIMIT);
  static forRoot(options: RateLimitOptions): DynamicModule {
    return dynamic(RateLimitModule, RATE_LIMIT, rateLimit(options));
  }
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.middleware).forRoutes('*');
  }
}

@Module({})
export class EtagModule {
  private readonly middleware = inject(ETAG);
  static forRoot(options: EtagOptions = {}): DynamicModule {
    return dynamic(EtagModule, ETAG, etag(options));
  }
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.middleware).forRoutes('*');
  }
}

/** A directory under `prefix` (default `/`) for every GET/HEAD; misses go on to the routes. */
@Module({})
export class ServeStaticModule {
  private readonly middleware = inject(STATIC);
  static forRoot(options: ServeStaticOptions & { root: string }): DynamicModule {
    const { root, ...rest } = options;
    return dynamic(ServeStaticModule, STATIC, serveStatic(root, rest) as Middleware);
  }
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.middleware).forRoutes('*');
  }
}
