/**
 * DI integration: `imports: [I18nModule.forRoot({ defaultLocale: 'en', directory, middleware: true })]`,
 * then `inject(I18n)`. With `middleware`, the module applies the i18n middleware to every request
 * of the app (`configure(consumer)`, `forRoutes('*')`: 404 and 405 answers included).
 */
import { inject, InjectionToken, Module, type ConfiguresMiddleware, type DynamicModule, type Middleware, type MiddlewareConsumer } from '@armature/core';
import { I18n, type I18nOptions } from './i18n.js';
import type { I18nMiddlewareOptions } from './middleware.js';

export interface I18nModuleOptions extends I18nOptions {
  /**
   * Apply the i18n middleware to every request of the app: `true`, or its options
   * (`{ order: ['path', 'header'] }`…). Default: off (apply `i18n.middleware()` yourself).
   */
  middleware?: boolean | I18nMiddlewareOptions;
}

/** The middleware forRoot() built, or null: what I18nModule.configure() applies. */
const I18N_MIDDLEWARE = new InjectionToken<Middleware | null>('I18nModule middleware');

@Module({})
export class I18nModule implements ConfiguresMiddleware {
  private readonly middleware = inject(I18N_MIDDLEWARE, { optional: true });

  /** A global module providing one I18n service built from `options`. */
  static forRoot(options: I18nModuleOptions): DynamicModule {
    const { middleware, ...i18nOptions } = options;
    let i18n: I18n;
    try {
      i18n = new I18n(i18nOptions);
    } catch (e) {
      throw new Error(`I18nModule.forRoot: ${(e as Error).message}`, { cause: e });
    }
    const applied = middleware === undefined || middleware === false ? null : i18n.middleware(middleware === true ? undefined : middleware);
    return {
      module: I18nModule,
      global: true,
      providers: [{ provide: I18n, useValue: i18n }, { provide: I18N_MIDDLEWARE, useValue: applied }],
      exports: [I18n],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    if (this.middleware !== null) consumer.apply(this.middleware).forRoutes('*');
  }
}
