// Guards, interceptors and exception filters: order, DI, instances or classes, global ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpError, NotFoundException, UnauthorizedException } from '../src/http/errors.js';
import {
  Armature, Catch, Controller, Get, Injectable, Module, REQUEST, Scope, UseFilters, UseGuards, UseInterceptors, inject,
  type CallHandler, type CanActivate, type Ctx, type ExceptionFilter, type Interceptor,
} from '../src/di/index.js';

test('guards: false answers 403, a thrown HttpError keeps its status, async guards are awaited', async () => {
  @Injectable() class Tokens { valid(t: string | undefined) { return t === 'secret'; } }
  @Injectable() class AuthGuard implements CanActivate {
    private tokens = inject(Tokens);
    canActivate(ctx: Ctx) {
      if (ctx.get('authorization') === undefined) throw new UnauthorizedException('log in first');
      return this.tokens.valid(ctx.get('authorization'));
    }
  }
  const slowAdmin: CanActivate = { canActivate: async (ctx) => { await new Promise((r) => setTimeout(r, 2)); return ctx.get('x-admin') === '1'; } };
  @Controller('/admin') @UseGuards(AuthGuard)
  class AdminController {
    @Get() home() { return 'welcome'; }
    @UseGuards(slowAdmin) @Get('/danger') danger() { return 'danger'; }
  }
  @Module({ controllers: [AdminController], providers: [Tokens] }) class AppModule {}
  const app = await Armature.create(AppModule, { onError: () => {} });
  assert.equal((await app.inject('/admin')).statusCode, 401);
  assert.match((await app.inject('/admin')).body, /log in first/);
  assert.equal((await app.inject({ url: '/admin', headers: { authorization: 'nope' } })).statusCode, 403);
  assert.equal((await app.inject({ url: '/admin', headers: { authorization: 'secret' } })).body, 'welcome');
  assert.equal((await app.inject({ url: '/admin/danger', headers: { authorization: 'secret' } })).statusCode, 403);
  assert.equal((await app.inject({ url: '/admin/danger', headers: { authorization: 'secret', 'x-admin': '1' } })).body, 'danger');
});

test('order: global → controller → method guards, then interceptors outermost first, around the handler', async () => {
  const log: string[] = [];
  const guard = (name: string): CanActivate => ({ canActivate: () => (log.push(`guard:${name}`), true) });
  const around = (name: string): Interceptor => ({
    async intercept(_ctx, next) {
      log.push(`before:${name}`);
      const result = await next();
      log.push(`after:${name}`);
      return result;
    },
  });
  @Controller('/o') @UseGuards(guard('class')) @UseInterceptors(around('class'))
  class OrderController {
    @UseGuards(guard('method1'), guard('method2'))
    @UseInterceptors(around('method'))
    @Get() handle() { log.push('handler'); return 'ok'; }
  }
  @Module({ controllers: [OrderController] }) class AppModule {}
  const app = await Armature.create(AppModule, { guards: [guard('global')], interceptors: [around('global')] });
  assert.equal((await app.inject('/o')).body, 'ok');
  assert.deepEqual(log, [
    'guard:global', 'guard:class', 'guard:method1', 'guard:method2',
    'before:global', 'before:class', 'before:method', 'handler', 'after:method', 'after:class', 'after:global',
  ]);
});

test('interceptors map results and may answer without calling the handler', async () => {
  @Injectable() class Envelope implements Interceptor {
    async intercept(_ctx: Ctx, next: CallHandler) { return { data: await next() }; }
  }
  const cache = new Map<string, unknown>([['/c/hit', 'cached']]);
  const cached: Interceptor = { intercept: (ctx, next) => cache.get(ctx.path) ?? next() };
  @Controller('/c') @UseInterceptors(Envelope)
  class CController {
    @UseInterceptors(cached) @Get('/:key') get(ctx: Ctx<'/:key'>) { return `fresh ${ctx.params.key}`; }
  }
  @Module({ controllers: [CController] }) class AppModule {}
  const app = await Armature.create(AppModule);
  assert.deepEqual((await app.inject('/c/hit')).json(), { data: 'cached' });
  assert.deepEqual((await app.inject('/c/miss')).json(), { data: 'fresh miss' });
});

test('exception filters: method first, then controller, then global; @Catch selects errors; status preset', async () => {
  class DomainError extends Error {}
  @Catch(NotFoundException)
  class NotFoundFilter implements ExceptionFilter<NotFoundException> {
    catch(error: NotFoundException, _ctx: Ctx) { return { missing: error.message }; }
  }
  @Injectable() class Messages { text(e: Error) { return `domain: ${e.message}`; } }
  @Catch(DomainError)
  class DomainFilter implements ExceptionFilter<DomainError> {
    private messages = inject(Messages);
    catch(error: DomainError, ctx: Ctx) { ctx.status(422); return { error: this.messages.text(error) }; }
  }
  const everything: ExceptionFilter = { catch: (error: unknown) => ({ global: error instanceof HttpError ? error.status : 'other' }) };
  @Controller('/f') @UseFilters(DomainFilter)
  class FController {
    @UseFilters(NotFoundFilter) @Get('/missing') missing() { throw new NotFoundException('no such thing'); }
    @Get('/domain') async domain() { throw new DomainError('bad state'); }
    @Get('/other') other() { throw new TypeError('oops'); }
    @UseGuards({ canActivate: () => false }) @Get('/denied') denied() { return 'never'; }
  }
  @Module({ controllers: [FController], providers: [Messages] }) class AppModule {}
  const app = await Armature.create(AppModule, { filters: [everything], onError: () => {} });
  const missing = await app.inject('/f/missing');
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(missing.json(), { missing: 'no such thing' });
  const domain = await app.inject('/f/domain');
  assert.equal(domain.statusCode, 422);
  assert.deepEqual(domain.json(), { error: 'domain: bad state' });
  const other = await app.inject('/f/other');
  assert.equal(other.statusCode, 500);
  assert.deepEqual(other.json(), { global: 'other' });
  const denied = await app.inject('/f/denied');
  assert.equal(denied.statusCode, 403);
  assert.deepEqual(denied.json(), { global: 403 });
});

test('an error no filter catches goes to the app as usual', async () => {
  @Catch(RangeError) class RangeFilter { catch() { return 'range'; } }
  @Controller('/u') @UseFilters(RangeFilter) class UController { @Get() u() { throw new NotFoundException('nope'); } }
  @Module({ controllers: [UController] }) class AppModule {}
  const app = await Armature.create(AppModule);
  const res = await app.inject('/u');
  assert.equal(res.statusCode, 404);
  assert.match(res.body, /nope/);
});

test('a request-scoped guard is created per request; class enhancers are singletons otherwise', async () => {
  let guards = 0;
  let interceptors = 0;
  @Injectable({ scope: Scope.Request }) class RequestGuard implements CanActivate {
    private ctx = inject(REQUEST);
    constructor() { guards++; }
    canActivate() { return this.ctx.get('x-ok') === 'yes'; }
  }
  class Counting implements Interceptor { constructor() { interceptors++; } intercept(_c: Ctx, next: CallHandler) { return next(); } }
  @Controller('/g') @UseGuards(RequestGuard) @UseInterceptors(Counting)
  class GController { @Get('/a') a() { return 'a'; } @Get('/b') b() { return 'b'; } }
  @Module({ controllers: [GController] }) class AppModule {}
  const app = await Armature.create(AppModule);
  const start = guards;
  assert.equal((await app.inject({ url: '/g/a', headers: { 'x-ok': 'yes' } })).body, 'a');
  assert.equal((await app.inject({ url: '/g/b' })).statusCode, 403);
  assert.equal(guards - start, 2);
  assert.equal(interceptors, 1, 'one Counting for the controller');
});

test('an enhancer class without its method is a start-up error', async () => {
  class NotAGuard {}
  @Controller('/n') @UseGuards(NotAGuard as never) class NController { @Get() n() { return 1; } }
  @Module({ controllers: [NController] }) class AppModule {}
  await assert.rejects(Armature.create(AppModule), /NotAGuard is used as a guard of NController but has no canActivate\(\) method/);
});
