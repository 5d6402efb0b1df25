import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Armature, Controller, Get, Injectable, Module, inject } from '@armature/core';
import { I18n } from '../src/i18n.js';
import { I18nModule } from '../src/module.js';

@Injectable()
class Greeter {
  private readonly i18n = inject(I18n);
  greet(locale: string) {
    return this.i18n.t(locale, 'hi');
  }
}

@Controller('/')
class HelloController {
  private readonly greeter = inject(Greeter);
  @Get('/') hello() {
    return this.greeter.greet('fr');
  }
}

@Module({ imports: [I18nModule.forRoot({ defaultLocale: 'en', messages: { en: { hi: 'Hello' }, fr: { hi: 'Salut' } } })], controllers: [HelloController], providers: [Greeter] })
class AppModule {}

test('I18nModule.forRoot provides the I18n service', async () => {
  const app = await Armature.create(AppModule);
  const i18n = app.get(I18n);
  assert.ok(i18n instanceof I18n);
  assert.equal(i18n.t('fr', 'hi'), 'Salut');
  assert.equal(app.get(Greeter).greet('en'), 'Hello');
  const r = await app.inject({ url: '/' });
  assert.equal(r.body, 'Salut');
  await app.close();
});
