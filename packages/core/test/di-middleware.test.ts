// Module-level middleware: configure(consumer) with apply().forRoutes()/exclude(), classes that
// inject, every request with '*', and the testing module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Armature, Controller, Get, Injectable, Module, Post, Scope, UseGuards, inject,
  type ConfiguresMiddleware, type Ctx, type InjectableMiddleware, type MiddlewareConsumer,
} from '../src/di/index.js';
import { createApp } from '../src/app/app.js';
import { Test } from '../src/testing.js';
import type { Next } from '../src/app/hooks.js';
import { isDiError } from './di-helpers.js';

@Injectable() class Clock { now() { return 'noon'; } }

@Injectable()
class Stamp implements InjectableMiddleware {
  private clock = inject(Clock);
  use(ctx: Ctx, next: Next) {
    ctx.append('X-Trail', `stamp@${this.clock.now()}`);
    return next();
  }
}

const trail = (name: string) => (ctx: Ctx, next: Next) => {
  ctx.append('X-Trail', name);
  return next();
};

@Controller('/users')
class UsersController {
  @Get() list() { return ['ada']; }
  @Get('/:id') show(ctx: Ctx<'/:id'>) { return ctx.params.id; }
  @Post() create() { return 'created'; }
}

@Controller('/health')
class HealthController {
  @Get() health() { return 'ok'; }
}

@Module({ controllers: [UsersController, HealthController], providers: [Clock] })
class AppModule implements ConfiguresMiddleware {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(trail('all')).exclude('/health').forRoutes('*');
    consumer.apply(Stamp).forRoutes(UsersController);
    consumer.apply(trail('posts')).forRoutes({ path: 'users/*', method: 'POST' });
    consumer.apply(trail('one')).forRoutes('/users/:userId');
  }
}

const trailOf = (res: { headers: Record<string, string | string[]> }): string => String(res.headers['x-trail'] ?? '').replace(/,\s*/g, ', ');

async function check(armature: { inject: Armature['inject'] }): Promise<void> {
  assert.equal(trailOf(await armature.inject('/users')), 'all, stamp@noon');
  assert.equal(trailOf(await armature.inject('/users/7')), 'all, stamp@noon, one');
  assert.equal(trailOf(await armature.inject({ method: 'POST', url: '/users' })), 'all, stamp@noon, posts');
  assert.equal(trailOf(await armature.inject('/health')), '', 'excluded');
  const missing = await armature.inject('/nowhere');
  assert.equal(missing.statusCode, 404);
  assert.equal(trailOf(missing), 'all', "forRoutes('*') covers the answers no route gives");
  const wrongMethod = await armature.inject({ method: 'DELETE', url: '/users' });
  assert.equal(wrongMethod.statusCode, 405);
  assert.equal(trailOf(wrongMethod), 'all');
}

test('configure(consumer): by path, wildcard, method and controller; exclude; classes inject', async () => {
  const armature = await Armature.create(AppModule);
  await check(armature);
  await armature.close();
});

test('the testing module applies module middleware too', async () => {
  const mod = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(Clock).useValue({ now: () => 'test' }).compile();
  const armature = await mod.createApp();
  assert.equal(trailOf(await armature.inject('/users')), 'all, stamp@test');
  await mod.close();
});

test('module middleware runs after the middleware of the app it is served by, before guards; imported modules first', async () => {
  const log: string[] = [];
  @Controller('/g') @UseGuards({ canActivate: () => (log.push('guard'), true) })
  class GController { @Get() g() { log.push('handler'); return 'g'; } }
  @Module({ controllers: [GController] })
  class Inner implements ConfiguresMiddleware {
    configure(consumer: MiddlewareConsumer) { consumer.apply((_c: Ctx, next: Next) => (log.push('inner'), next())).forRoutes('*'); }
  }
  @Module({ imports: [Inner] })
  class Outer implements ConfiguresMiddleware {
    async configure(consumer: MiddlewareConsumer) {
      await Promise.resolve();
      consumer.apply((_c: Ctx, next: Next) => (log.push('outer'), next())).forRoutes(GController);
    }
  }
  const app = createApp();
  app.use((_c, next) => (log.push('app'), next()));
  const armature = await Armature.create(Outer, { app });
  assert.equal((await armature.inject('/g')).body, 'g');
  assert.deepEqual(log, ['app', 'inner', 'outer', 'guard', 'handler']);
});

test('request-scoped middleware classes get this request\'s instances', async () => {
  let created = 0;
  @Injectable({ scope: Scope.Request })
  class PerRequest implements InjectableMiddleware {
    readonly n = ++created;
    use(ctx: Ctx, next: Next) { ctx.set('X-Instance', String(this.n)); return next(); }
  }
  @Controller('/r') class RController { @Get() r() { return 'r'; } }
  @Module({ controllers: [RController] })
  class RModule implements ConfiguresMiddleware { configure(c: MiddlewareConsumer) { c.apply(PerRequest).forRoutes('*'); } }
  const armature = await Armature.create(RModule);
  const a = await armature.inject('/r');
  const b = await armature.inject('/r');
  assert.notEqual(a.headers['x-instance'], b.headers['x-instance']);
});

test('mistakes are start-up errors that say what to do', async () => {
  @Module({}) class NoRoutes implements ConfiguresMiddleware { configure(c: MiddlewareConsumer) { c.apply(trail('x')); } }
  await assert.rejects(Armature.create(NoRoutes), isDiError('INVALID_DECLARATION', /forRoutes/));
  @Module({}) class BadWildcard implements ConfiguresMiddleware { configure(c: MiddlewareConsumer) { c.apply(trail('x')).forRoutes('/a/*/b'); } }
  await assert.rejects(Armature.create(BadWildcard), isDiError('INVALID_DECLARATION', /wildcard/));
  @Module({}) class NotMiddleware implements ConfiguresMiddleware { configure(c: MiddlewareConsumer) { c.apply(42 as never).forRoutes('*'); } }
  await assert.rejects(Armature.create(NotMiddleware), isDiError('INVALID_DECLARATION', /apply\(\) takes/));
});
