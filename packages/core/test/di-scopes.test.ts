// Scopes: singleton, transient and request, and how request scope spreads to dependants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnauthorizedException } from '../src/http/errors.js';
import {
  Armature, Controller, DiError, Get, Injectable, InjectionToken, Module, REQUEST, Scope, inject,
} from '../src/di/index.js';

test('singleton (default): the same instance for every dependant and every request', async () => {
  let created = 0;
  const seen = new Set<unknown>();
  @Injectable() class Service { constructor() { created++; } }
  @Injectable() class Other { service = inject(Service); }
  @Controller('/s') class SController {
    service = inject(Service);
    @Get() id() { seen.add(this.service); return 'ok'; }
  }
  @Module({ controllers: [SController], providers: [Service, Other] }) class AppModule {}
  const app = await Armature.create(AppModule);
  await app.inject('/s');
  await app.inject('/s');
  assert.equal(created, 1);
  assert.deepEqual([...seen], [app.get(Service)]);
  assert.equal(app.get(Other).service, app.get(Service));
});

test('transient: a new instance for every injection', async () => {
  let n = 0;
  @Injectable({ scope: Scope.Transient }) class Tag { id = ++n; }
  @Injectable() class A { tag = inject(Tag); other = inject(Tag); }
  @Injectable() class B { tag = inject(Tag); }
  @Module({ providers: [Tag, A, B] }) class AppModule {}
  const app = await Armature.create(AppModule);
  const a = app.get(A);
  const b = app.get(B);
  assert.notEqual(a.tag, a.other);
  assert.notEqual(a.tag, b.tag);
  assert.notEqual(app.get(Tag), app.get(Tag));
});

test('request scope: one instance per request, shared within it; the REQUEST token is the context', async () => {
  const made: number[] = [];
  @Injectable({ scope: Scope.Request })
  class RequestInfo {
    private ctx = inject(REQUEST);
    readonly id = made.push(made.length + 1);
    get user() { return this.ctx.get('x-user') ?? 'anonymous'; }
  }
  @Injectable() class Audit { info = inject(RequestInfo); }
  @Controller('/me') class MeController {
    private info = inject(RequestInfo);
    private audit = inject(Audit);
    @Get() async me() {
      await new Promise((r) => setTimeout(r, 5));
      return { user: this.info.user, id: this.info.id, shared: this.audit.info === this.info };
    }
  }
  @Module({ controllers: [MeController], providers: [RequestInfo, Audit] }) class AppModule {}
  const app = await Armature.create(AppModule);
  made.length = 0;
  const [r1, r2] = await Promise.all([
    app.inject({ url: '/me', headers: { 'x-user': 'ada' } }),
    app.inject({ url: '/me', headers: { 'x-user': 'grace' } }),
  ]);
  const a = r1.json<{ user: string; id: number; shared: boolean }>();
  const b = r2.json<{ user: string; id: number; shared: boolean }>();
  assert.equal(a.user, 'ada');
  assert.equal(b.user, 'grace');
  assert.notEqual(a.id, b.id);
  assert.equal(a.shared && b.shared, true);
  assert.equal(made.length, 2, 'one RequestInfo per request');
});

test('request scope spreads: a singleton depending on a request-scoped provider becomes request-scoped, and so does its controller', async () => {
  let controllers = 0;
  let services = 0;
  @Injectable({ scope: Scope.Request }) class Tenant { ctx = inject(REQUEST); get name() { return this.ctx.get('x-tenant'); } }
  @Injectable() class Repo { tenant = inject(Tenant); constructor() { services++; } }
  @Injectable() class Plain {}
  @Controller('/t') class TController {
    repo = inject(Repo);
    plain = inject(Plain);
    constructor() { controllers++; }
    @Get() t() { return { tenant: this.repo.tenant.name }; }
  }
  @Module({ controllers: [TController], providers: [Tenant, Repo, Plain] }) class AppModule {}
  const app = await Armature.create(AppModule);
  const atStart = { controllers, services };
  assert.equal((await app.inject({ url: '/t', headers: { 'x-tenant': 'a' } })).json<{ tenant: string }>().tenant, 'a');
  assert.equal((await app.inject({ url: '/t', headers: { 'x-tenant': 'b' } })).json<{ tenant: string }>().tenant, 'b');
  assert.equal(controllers - atStart.controllers, 2, 'a controller per request');
  assert.equal(services - atStart.services, 2, 'a Repo per request');
  assert.throws(() => app.get(Repo), (e: unknown) => e instanceof DiError && e.code === 'SCOPE' && /Repo is request-scoped/.test(e.message));
  assert.ok(app.get(Plain) instanceof Plain, 'unrelated singletons stay singletons');
});

test('a request-scoped class may read the request in its initialisers; errors it throws keep their status', async () => {
  @Injectable({ scope: Scope.Request })
  class CurrentUser {
    readonly name: string;
    constructor() {
      const header = inject(REQUEST).get('authorization');
      if (header === undefined) throw new UnauthorizedException('who are you?');
      this.name = header;
    }
  }
  @Controller('/whoami') class WhoController { user = inject(CurrentUser); @Get() who() { return this.user.name; } }
  @Module({ controllers: [WhoController], providers: [CurrentUser] }) class AppModule {}
  const app = await Armature.create(AppModule, { onError: () => {} });
  assert.equal((await app.inject({ url: '/whoami', headers: { authorization: 'ada' } })).body, 'ada');
  const denied = await app.inject('/whoami');
  assert.equal(denied.statusCode, 401);
  assert.match(denied.body, /who are you/);
});

test('request-scoped classes are checked at start-up: a missing provider fails create()', async () => {
  class Missing {}
  @Injectable({ scope: Scope.Request }) class PerRequest { m = inject(Missing); }
  @Controller({ path: '/x', scope: Scope.Request }) class XController { p = inject(PerRequest); @Get() x() { return 1; } }
  @Module({ controllers: [XController], providers: [PerRequest] }) class AppModule {}
  await assert.rejects(Armature.create(AppModule), (e: unknown) => e instanceof DiError && e.code === 'MISSING_PROVIDER' && /XController → PerRequest → Missing/.test(e.message));
});

test('a request-scoped factory must be synchronous (a start-up error)', async () => {
  const T = new InjectionToken<string>('T');
  @Module({ providers: [{ provide: T, scope: Scope.Request, useFactory: async () => 'x' }] }) class AppModule {}
  await assert.rejects(Armature.create(AppModule), (e: unknown) => e instanceof DiError && e.code === 'SCOPE' && /request-scoped factory/.test(e.message));
});

test('request-scoped factories run once per request with the context', async () => {
  const LOCALE = new InjectionToken<string>('LOCALE');
  @Controller('/hello') class HelloController {
    locale = inject(LOCALE);
    @Get() hello() { return this.locale === 'fr' ? 'bonjour' : 'hello'; }
  }
  @Module({
    controllers: [HelloController],
    providers: [{ provide: LOCALE, scope: Scope.Request, useFactory: (ctx: { get(n: string): string | undefined }) => ctx.get('accept-language') ?? 'en', inject: [REQUEST] }],
  })
  class AppModule {}
  const app = await Armature.create(AppModule);
  assert.equal((await app.inject({ url: '/hello', headers: { 'accept-language': 'fr' } })).body, 'bonjour');
  assert.equal((await app.inject('/hello')).body, 'hello');
});
