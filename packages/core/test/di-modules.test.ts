// Modules: encapsulation, exports and re-exports, global and dynamic modules, their errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Armature, Controller, Get, Global, Injectable, InjectionToken, Module, inject, type DynamicModule,
} from '../src/di/index.js';
import { isDiError } from './di-helpers.js';


test('exported providers are visible to importers, and one instance is shared by all of them', async () => {
  @Injectable() class Db { id = Math.random(); }
  @Module({ providers: [Db], exports: [Db] }) class DatabaseModule {}
  @Injectable() class Users { db = inject(Db); }
  @Module({ imports: [DatabaseModule], providers: [Users], exports: [Users] }) class UsersModule {}
  @Injectable() class Posts { db = inject(Db); }
  @Module({ imports: [DatabaseModule], providers: [Posts], exports: [Posts] }) class PostsModule {}
  @Module({ imports: [UsersModule, PostsModule] }) class AppModule {}
  const app = await Armature.create(AppModule);
  assert.equal(app.get(Users).db, app.get(Posts).db);
});

test('a provider that is not exported is not visible outside its module', async () => {
  @Injectable() class Secret {}
  @Injectable() class Public {}
  @Module({ providers: [Secret, Public], exports: [Public] }) class LibModule {}
  @Injectable() class Consumer { secret = inject(Secret); }
  @Module({ imports: [LibModule], providers: [Consumer] }) class AppModule {}
  await assert.rejects(Armature.create(AppModule),
    isDiError('MISSING_PROVIDER', /Consumer → Secret/, /provided by LibModule, which AppModule imports, but LibModule does not export it/, /add Secret to the exports of LibModule/));
});

test('a provider exported by a module that is not imported: the error says to import it', async () => {
  @Injectable() class Mailer {}
  @Module({ providers: [Mailer], exports: [Mailer] }) class MailModule {}
  @Injectable() class Signup { mailer = inject(Mailer); }
  @Module({ providers: [Signup] }) class UsersModule {}
  @Module({ imports: [UsersModule, MailModule] }) class AppModule {}
  await assert.rejects(Armature.create(AppModule), isDiError('MISSING_PROVIDER', /Signup → Mailer/, /add MailModule to the imports of UsersModule/));
});

test('re-exporting an imported module (and a token an import exports)', async () => {
  @Injectable() class Db {}
  @Injectable() class Cache {}
  @Module({ providers: [Db, Cache], exports: [Db, Cache] }) class DatabaseModule {}
  @Module({ imports: [DatabaseModule], exports: [DatabaseModule] }) class CoreModule {}
  @Module({ imports: [DatabaseModule], exports: [Cache] }) class CacheOnlyModule {}
  @Injectable() class Service { db = inject(Db); cache = inject(Cache); }
  @Module({ imports: [CoreModule], providers: [Service] }) class AppModule {}
  const app = await Armature.create(AppModule);
  assert.ok(app.get(Service).db instanceof Db);
  @Injectable() class Service2 { cache = inject(Cache); db = inject(Db, { optional: true }); }
  @Module({ imports: [CacheOnlyModule], providers: [Service2] }) class AppModule2 {}
  const app2 = await Armature.create(AppModule2);
  assert.ok(app2.get(Service2).cache instanceof Cache);
  assert.equal(app2.get(Service2).db, null);
});

test('exporting what a module neither provides nor imports is a start-up error', async () => {
  class Db {}
  @Module({ exports: [Db] }) class BadModule {}
  await assert.rejects(Armature.create(BadModule), isDiError('INVALID_EXPORT', /BadModule exports Db/, /add Db to the providers of BadModule/));
  @Module({}) class Other {}
  @Module({ exports: [Other] }) class BadModule2 {}
  await assert.rejects(Armature.create(BadModule2), isDiError('INVALID_EXPORT', /exports the module Other but does not import it/));
});

test('global modules: @Global() and global: true make exports visible everywhere', async () => {
  const CLOCK = new InjectionToken<() => number>('CLOCK');
  @Global() @Module({ providers: [{ provide: CLOCK, useValue: () => 42 }], exports: [CLOCK] }) class ClockModule {}
  @Injectable() class Log { level = 'info'; }
  @Module({ providers: [Log], exports: [Log], global: true }) class LogModule {}
  @Injectable() class Feature { clock = inject(CLOCK); log = inject(Log); }
  @Module({ providers: [Feature], exports: [Feature] }) class FeatureModule {}
  @Module({ imports: [FeatureModule, ClockModule, LogModule] }) class AppModule {}
  const app = await Armature.create(AppModule);
  assert.equal(app.get(Feature).clock(), 42);
  assert.equal(app.get(Feature).log.level, 'info');
});

test('dynamic modules: static forRoot(options) configures providers', async () => {
  interface ConfigOptions { values: Record<string, string> }
  const OPTIONS = new InjectionToken<ConfigOptions>('CONFIG_OPTIONS');
  @Injectable() class ConfigService {
    private options = inject(OPTIONS);
    get(key: string) { return this.options.values[key]; }
  }
  @Module({ providers: [ConfigService], exports: [ConfigService] })
  class ConfigModule {
    static forRoot(options: ConfigOptions): DynamicModule {
      return { module: ConfigModule, global: true, providers: [{ provide: OPTIONS, useValue: options }] };
    }
  }
  @Controller('/config') class ConfigController {
    private config = inject(ConfigService);
    @Get() show() { return { name: this.config.get('name') }; }
  }
  @Module({ controllers: [ConfigController] }) class FeatureModule {}
  @Module({ imports: [ConfigModule.forRoot({ values: { name: 'armature' } }), FeatureModule] }) class AppModule {}
  const app = await Armature.create(AppModule);
  assert.deepEqual((await app.inject('/config')).json(), { name: 'armature' });
});

test('module classes are created (they may inject) and take part in lifecycle hooks', async () => {
  const seen: string[] = [];
  @Injectable() class Db { onModuleInit() { seen.push('Db'); } }
  @Module({ providers: [Db] })
  class AppModule {
    db = inject(Db);
    onModuleInit() { seen.push(`AppModule(${this.db instanceof Db})`); }
  }
  await Armature.create(AppModule);
  assert.deepEqual(seen, ['Db', 'AppModule(true)']);
});

test('declaration errors: not a module, undefined imports, duplicate controllers, import cycles', async () => {
  class NotAModule {}
  @Module({ imports: [NotAModule] }) class A {}
  await assert.rejects(Armature.create(A), isDiError('INVALID_DECLARATION', /imports\[0\] of A is NotAModule, which is not a module/));
  @Module({ imports: [undefined as never] }) class B {}
  await assert.rejects(Armature.create(B), isDiError('INVALID_DECLARATION', /imports\[0\] of B is undefined \(a circular import between files\?\)/));
  @Module({ providers: [undefined as never] }) class C {}
  await assert.rejects(Armature.create(C), isDiError('INVALID_DECLARATION', /providers\[0\] of C is undefined/));
  @Controller('/x') class XController {}
  @Module({ controllers: [XController] }) class M1 {}
  @Module({ controllers: [XController] }) class M2 {}
  @Module({ imports: [M1, M2] }) class D {}
  await assert.rejects(Armature.create(D), isDiError('INVALID_DECLARATION', /XController is in the controllers of both M1 and M2/));
  class NotAController {}
  @Module({ controllers: [NotAController] }) class E {}
  await assert.rejects(Armature.create(E), isDiError('INVALID_DECLARATION', /NotAController is in the controllers of E but is not decorated with @Controller\(\)/));
  @Module({}) class Loop {}
  const loopImports: DynamicModule['imports'] & unknown[] = [];
  @Module({ imports: [{ module: Loop, imports: loopImports }] }) class Outer {}
  loopImports.push(Outer);
  await assert.rejects(Armature.create(Outer), isDiError('CIRCULAR_DEPENDENCY', /Modules import each other: Outer → Loop → Outer/));
});
