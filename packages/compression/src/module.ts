/**
 * DI integration: `imports: [CompressionModule.forRoot({ ... })]` compresses every answer of the
 * app — the routes of every module and the answers no route gives (404, 405) — through module
 * middleware (`configure(consumer)`, applied for `'*'`). Per route, the route decorator's options
 * take a `compression()` of their own: `@Get('/page', { middleware: [compression({ cache: true })] })`,
 * or the decorator `@Compress({ ... })` on a controller method or class.
 */
import { InjectionToken, Module, UseInterceptors, inject, type DynamicModule, type Interceptor, type MiddlewareConsumer } from '@armature/core';
import { applySettings, compression } from './middleware.js';
import { resolveSettings, type CompressionOptions } from './settings.js';

/** The options given to `CompressionModule.forRoot()`. */
export const COMPRESSION_OPTIONS = new InjectionToken<CompressionOptions>('COMPRESSION_OPTIONS');

@Module({})
export class CompressionModule {
  private readonly options = inject(COMPRESSION_OPTIONS);

  /** A global module applying `compression(options)` to every request of the app. */
  static forRoot(options: CompressionOptions = {}): DynamicModule {
    compression(options); // options are checked here, at import time, with their names
    return { module: CompressionModule, global: true, providers: [{ provide: COMPRESSION_OPTIONS, useValue: options }], exports: [COMPRESSION_OPTIONS] };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(compression(this.options)).forRoutes('*');
  }
}

/**
 * `@Compress({ levels: { br: 11 }, cache: true })` on a controller method (or on the class, for
 * all its routes): that route's answers are compressed with these settings instead of the
 * module's; `@Compress(false)` leaves them uncompressed. Options are checked when the class is
 * defined. It runs as an interceptor, so it applies once the guards have let the request through
 * (a guard's refusal is answered with the module's settings).
 */
export function Compress(options?: CompressionOptions | false): ReturnType<typeof UseInterceptors> {
  const settings = resolveSettings(options);
  const interceptor: Interceptor = {
    intercept(ctx, next) {
      applySettings(ctx, settings);
      return next();
    },
  };
  return UseInterceptors(interceptor);
}
