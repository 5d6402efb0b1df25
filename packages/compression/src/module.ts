/**
 * DI integration: `imports: [CompressionModule.forRoot({ ... })]` compresses every answer of the
 * app — the routes of every module and the answers no route gives (404, 405) — through module
 * middleware (`configure(consumer)`, applied for `'*'`). Per route, the route decorator's options
 * take a `compression()` of their own: `@Get('/page', { middleware: [compression({ cache: true })] })`.
 */
import { InjectionToken, Module, inject, type DynamicModule, type MiddlewareConsumer } from '@armature/core';
import { compression } from './middleware.js';
import type { CompressionOptions } from './settings.js';

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
