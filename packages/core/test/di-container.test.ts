// Providers, inject(), constructor deps, tokens and the start-up errors of the container.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Armature, Controller, Get, Injectable, InjectionToken, Injector, Module, inject, type Ctx,
} from '../src/di/index.js';
import { isDiError } from './di-helpers.js';


test('class providers: inject() in field initialisers, one singleton shared by every dependant', async () => {
  @Injectable() class Counter { n = 0; next() { return ++this.n; } }
  @Injectable() class A { counter = inject(Counter); }
  @Injectable() class B { counter = inject(Counter); }
  @Controller('/count') class CountController {
    private a = inject(A);
    private b = inject(B);
    @Get() count() { return { a: this.a.counter.next(), b: this.b.counter.next(), same: this.a.counter === this.b.counter }; }
  }
  @Module({ controllers: [CountController], providers: [Counter, A, B] }) class AppModule {}
  const app = await Armature.create(AppModule);
  assert.deepEqual((await app.inject('/count')).json(), { a: 1, b: 2, same: true });
  assert.equal(app.get(A).counter, app.get(Counter));
});

test('explicit constructor dependencies: @Injectable({ deps }) in order, typed', async () => {
  const CONFIG = new InjectionToken<{ prefix: string }>('CONFIG');
  @Injectable() class Db { rows = ['x']; }
  @Injectable({ deps: [Db, CONFIG] })
  class Repo {
    constructor(readonly db: Db, readonly config: { prefix: string }) {}
    all() { return this.db.rows.map((r) => this.config.prefix + r); }
  }
  @Controller({ path: '/repo', deps: [Repo] })
  class RepoController {
    constructor(private readonly repo: Repo) {}
    @Get() list() { return this.repo.all(); }
  }
  @Module({ controllers: [RepoController], providers: [Db, Repo, { provide: CONFIG, useValue: { prefix: '>' } }] }) class AppModule {}
  const app = await Armature.create(AppModule);
  assert.deepEqual((await app.inject('/repo')).json(), ['>x']);

  // type-level: deps must match the constructor's parameters (checked by tsc)
  // @ts-expect-error: deps in the wrong order
  @Injectable({ deps: [CONFIG, Db] }) class WrongOrder { constructor(readonly db: Db, readonly config: { prefix: string }) {} }
  // @ts-expect-error: a required constructor parameter without deps
  @Injectable() class MissingDeps { constructor(readonly db: Db) {} }
  void WrongOrder;
  void MissingDeps;
});

test('useValue, useClass, useExisting, sync and async useFactory with inject deps', async () => {
  const URL_ = new InjectionToken<string>('URL');
  const CONN = new InjectionToken<{ url: string; at: number }>('CONN');
  const SYNC = new InjectionToken<string>('SYNC');
  abstract class Logger { abstract log(s: string): string; }
  class ConsoleLogger extends Logger { log(s: string) { return `console:${s}`; } }
  class LoggerAlias {}
  let calls = 0;
  @Module({
    providers: [
      { provide: URL_, useValue: 'mem://db' },
      { provide: CONN, useFactory: async (url: string) => { calls++; await new Promise((r) => setTimeout(r, 5)); return { url, at: calls }; }, inject: [URL_] },
      { provide: SYNC, useFactory: () => `sync:${inject(URL_)}` },
      { provide: Logger, useClass: ConsoleLogger },
      { provide: LoggerAlias, useExisting: Logger },
    ],
  })
  class AppModule {}
  const app = await Armature.create(AppModule);
  assert.deepEqual(app.get(CONN), { url: 'mem://db', at: 1 });
  assert.equal(app.get(SYNC), 'sync:mem://db');
  assert.ok(app.get(Logger) instanceof ConsoleLogger);
  assert.equal(app.get(LoggerAlias), app.get(Logger));
  assert.equal(calls, 1);
});

test('a class injecting an async factory is created after the factory resolves', async () => {
  const CONN = new InjectionToken<{ ready: boolean }>('CONN');
  @Injectable() class Service { conn = inject(CONN); }
  @Injectable() class Factoryless { service = inject(Service); }
  @Module({ providers: [Factoryless, Service, { provide: CONN, useFactory: () => new Promise<{ ready: boolean }>((r) => setTimeout(() => r({ ready: true }), 5)) }] })
  class AppModule {}
  const app = await Armature.create(AppModule);
  assert.deepEqual(app.get(Factoryless).service.conn, { ready: true });
});

test('optional injection returns null; Injector resolves lazily', async () => {
  const MISSING = new InjectionToken<string>('MISSING');
  @Injectable() class B { name = 'b'; }
  @Injectable() class A {
    missing = inject(MISSING, { optional: true });
    injector = inject(Injector);
    b() { return this.injector.get(B).name; }
  }
  @Module({ providers: [A, B] }) class AppModule {}
  const app = await Armature.create(AppModule);
  assert.equal(app.get(A).missing, null);
  assert.equal(app.get(A).b(), 'b');
  assert.equal(app.get(A).injector.get(MISSING, { optional: true }), null);
});

test('inject() outside an injection context says where to call it', () => {
  class Db {}
  assert.throws(() => inject(Db), isDiError('NO_INJECTION_CONTEXT', /inject\(Db\)/, /field initialiser/));
});

test('missing provider: the error names the whole chain and what to add', async () => {
  class Db {}
  @Injectable() class UsersService { db = inject(Db); }
  @Controller('/users') class UsersController { users = inject(UsersService); @Get() list() { return []; } }
  @Module({ controllers: [UsersController], providers: [UsersService] }) class UsersModule {}
  await assert.rejects(Armature.create(UsersModule),
    isDiError('MISSING_PROVIDER', /UsersController → UsersService → Db/, /no provider for Db in UsersModule/, /Add Db to the providers of UsersModule/));
});

test('missing provider through deps and factory inject lists names the chain too', async () => {
  const TOKEN = new InjectionToken<string>('TOKEN');
  @Injectable({ deps: [TOKEN] }) class NeedsToken { constructor(readonly t: string) {} }
  @Module({ providers: [NeedsToken] }) class M1 {}
  await assert.rejects(Armature.create(M1), isDiError('MISSING_PROVIDER', /NeedsToken → TOKEN/));
  @Module({ providers: [{ provide: 'x' as never, useValue: 1 }] }) class M2 {}
  await assert.rejects(Armature.create(M2), isDiError('INVALID_DECLARATION', /provide is "x"/));
  const F = new InjectionToken<number>('F');
  @Module({ providers: [{ provide: F, useFactory: (t: string) => t.length, inject: [TOKEN] }] }) class M3 {}
  await assert.rejects(Armature.create(M3), isDiError('MISSING_PROVIDER', /F → TOKEN/));
});

test('circular dependency: the error names the cycle and how to break it', async () => {
  @Injectable() class A { b = inject(B); }
  @Injectable() class B { c = inject(C); }
  @Injectable() class C { a = inject(A); }
  @Controller('/x') class XController { a = inject(A); @Get() x() { return 1; } }
  @Module({ controllers: [XController], providers: [A, B, C] }) class AppModule {}
  await assert.rejects(Armature.create(AppModule),
    isDiError('CIRCULAR_DEPENDENCY', /A → B → C → A/, /reached from XController → A/, /inject\(Injector\)/));
});

test('a constructor that throws at start-up fails create() with the chain', async () => {
  @Injectable() class Broken { constructor() { throw new Error('no disk'); } }
  @Injectable() class Uses { broken = inject(Broken); }
  @Module({ providers: [Uses, Broken] }) class AppModule {}
  await assert.rejects(Armature.create(AppModule), isDiError('PROVIDER_FAILED', /Uses → Broken/, /no disk/));
  const T = new InjectionToken<number>('T');
  @Module({ providers: [{ provide: T, useFactory: async () => { throw new Error('refused'); } }] }) class M2 {}
  await assert.rejects(Armature.create(M2), isDiError('PROVIDER_FAILED', /async factory of T/, /refused/));
});

test('a route method gets the typed context', async () => {
  @Controller('/items') class ItemsController {
    @Get('/:id<int>/parts/:part') show(ctx: Ctx<'/:id/parts/:part'>) { return { id: Number(ctx.params.id), part: ctx.params.part }; }
  }
  @Module({ controllers: [ItemsController] }) class AppModule {}
  const app = await Armature.create(AppModule);
  assert.deepEqual((await app.inject('/items/3/parts/wheel')).json(), { id: 3, part: 'wheel' });
  assert.equal((await app.inject('/items/x/parts/wheel')).statusCode, 404);
});

test('armature.get: unknown tokens are an error', async () => {
  @Module({}) class AppModule {}
  const app = await Armature.create(AppModule);
  assert.throws(() => app.get(class Nope {}), isDiError('MISSING_PROVIDER', /No module provides Nope/));
});
