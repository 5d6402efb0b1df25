import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

test('a missing catalog directory is named, with the option, instead of a bare ENOENT', () => {
  const missing = join(tmpdir(), 'armature-no-such-locales');
  assert.throws(
    () => I18nModule.forRoot({ defaultLocale: 'en', directory: missing }),
    (e: Error) => e.message === `I18nModule.forRoot: I18n option \`directory\`: The catalog directory ${missing} does not exist`,
  );
  assert.throws(() => new I18n({ defaultLocale: 'en', directory: 'no-such-locales' }), (e: Error) =>
    e.message.startsWith(`I18n option \`directory\`: The catalog directory ${join(process.cwd(), 'no-such-locales')} does not exist (relative paths resolve against the working directory ${process.cwd()})`));
  const file = join(mkdtempSync(join(tmpdir(), 'armature-i18n-')), 'en.json');
  writeFileSync(file, '{}');
  assert.throws(() => I18nModule.forRoot({ defaultLocale: 'en', directory: file }), /The catalog directory .*en\.json is not a directory/);
});
