import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Armature, Controller, Get, Injectable, Module, NotFoundException, inject, type Ctx } from '@armature/core';
import { Test } from '@armature/core/testing';
import { getT } from '../src/middleware.js';
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

@Controller('/hello')
class LocalizedController {
  @Get('/') hello(ctx: Ctx) {
    return getT(ctx)('hi') + ' ' + ctx.state.locale;
  }
  @Get('/missing') missing() {
    throw new NotFoundException('no such thing');
  }
}

const catalogs = {
  en: { hi: 'Hello', errors: { 404: { title: 'Not Found', detail: 'Not found: {message}' } } },
  fr: { hi: 'Salut', errors: { 404: { title: 'Introuvable', detail: 'Introuvable : {message}' } } },
};

test('I18nModule.forRoot({ middleware: true }) applies the i18n middleware to every request of the app', async () => {
  @Module({ imports: [I18nModule.forRoot({ defaultLocale: 'en', messages: catalogs, middleware: true })], controllers: [LocalizedController] })
  class LocalizedModule {}
  const app = await Armature.create(LocalizedModule, { onError: () => {} });
  try {
    const fr = await app.inject({ url: '/hello', headers: { 'accept-language': 'fr-CH, en;q=0.5' } });
    assert.equal(fr.body, 'Salut fr');
    assert.equal(fr.headers['content-language'], 'fr');
    assert.match(String(fr.headers['vary']), /Accept-Language/);
    const err = await app.inject({ url: '/hello/missing', headers: { 'accept-language': 'fr' } });
    assert.deepEqual(err.json<{ title: string; detail: string }>(), { ...err.json<object>(), title: 'Introuvable', detail: 'Introuvable : no such thing' });
    // answers no route gives (404) go through it too
    const none = await app.inject({ url: '/nowhere', headers: { 'accept-language': 'fr' } });
    assert.equal(none.statusCode, 404);
    assert.equal(none.headers['content-language'], 'fr');
    assert.equal(none.json<{ title: string }>().title, 'Introuvable');
  } finally {
    await app.close();
  }
});

test('the middleware option takes the middleware options, and applies under the testing module too', async () => {
  @Module({ imports: [I18nModule.forRoot({ defaultLocale: 'en', messages: catalogs, middleware: { order: ['query'] } })], controllers: [LocalizedController] })
  class QueryModule {}
  const mod = await Test.createTestingModule({ imports: [QueryModule] }).compile();
  const app = await mod.createApp();
  try {
    assert.equal((await app.inject({ url: '/hello?lang=fr', headers: { 'accept-language': 'en' } })).body, 'Salut fr');
    const header = await app.inject({ url: '/hello', headers: { 'accept-language': 'fr' } });
    assert.equal(header.body, 'Hello en', 'only the query is consulted');
    assert.equal(header.headers['vary'], undefined);
  } finally {
    await app.close();
  }
});

test('without the middleware option nothing is applied (app.use(i18n.middleware()) stays possible)', async () => {
  @Module({ imports: [I18nModule.forRoot({ defaultLocale: 'en', messages: catalogs })], controllers: [LocalizedController] })
  class PlainModule {}
  const app = await Armature.create(PlainModule, { onError: () => {} });
  try {
    const r = await app.inject({ url: '/hello', headers: { 'accept-language': 'fr' } });
    assert.equal(r.statusCode, 500, 'getT without the middleware');
    assert.equal(r.headers['content-language'], undefined);
  } finally {
    await app.close();
  }
});
