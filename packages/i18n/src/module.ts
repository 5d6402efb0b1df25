/** DI integration: `imports: [I18nModule.forRoot({ defaultLocale: 'en', directory })]`, then `inject(I18n)`. */
import { Module, type DynamicModule } from '@armature/core';
import { I18n, type I18nOptions } from './i18n.js';

@Module({})
export class I18nModule {
  /** A global module providing one I18n service built from `options`. */
  static forRoot(options: I18nOptions): DynamicModule {
    let i18n: I18n;
    try {
      i18n = new I18n(options);
    } catch (e) {
      throw new Error(`I18nModule.forRoot: ${(e as Error).message}`, { cause: e });
    }
    return { module: I18nModule, global: true, providers: [{ provide: I18n, useValue: i18n }], exports: [I18n] };
  }
}
