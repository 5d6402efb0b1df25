// Controllers and route decorators: methods, paths, options passed to the app, compiled handlers,
// and the errors for decorators used on the wrong kind of member or duplicate routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createApp } from '../src/index.js';
import {
  All, Armature, Controller, Delete, DiError, Get, Head, Injectable, Module, Options, Patch, Post, Put, UseGuards, inject, type Ctx,
} from '../src/di/index.js';

const misuse = (...patterns: RegExp[]) => (error: unknown): boolean => {
  assert.ok(error instanceof DiError, `expected a DiError, got ${String(error)}`);
  assert.equal(error.code, 'DECORATOR_MISUSE');
  for (const p of patterns) assert.match(error.message, p);
  return true;
};

test('every method decorator registers its route under the controller prefix', async () => {
  @Controller('/things')
  class ThingsController {
    @Get() list() { return 'list'; }
    @Get('/:id') show(ctx: Ctx<'/:id'>) { return `show ${ctx.params.id}`; }
    @Post() create() { return 'create'; }
    @Put('/:id') replace() { return 'replace'; }
    @Patch('/:id') update() { return 'update'; }
    @Delete('/:id') remove() { return 'remove'; }
    @Head('/probe') probe(ctx: Ctx) { ctx.set('x-probe', 'yes'); return ''; }
    @Options('/:id') options(ctx: Ctx) { ctx.set('allow', 'GET'); return null; }
    @All('/any') any(ctx: Ctx) { return `any ${ctx.method}`; }
  }
  @Module({ controllers: [ThingsController] }) class AppModule {}
  const app = await Armature.create(AppModule);
  assert.equal(app.routeCount, 15);
  assert.equal((await app.inject('/things')).body, 'list');
  assert.equal((await app.inject('/things/7')).body, 'show 7');
  for (const [method, body] of [['POST', 'create'], ['PUT', 'replace'], ['PATCH', 'update'], ['DELETE', 'remove']] as const) {
    assert.equal((await app.inject({ method, url: method === 'POST' ? '/things' : '/things/1' })).body, body);
  }
  assert.equal((await app.inject({ method: 'HEAD', url: '/things/probe' })).headers['x-probe'], 'yes');
  assert.equal((await app.inject({ method: 'OPTIONS', url: '/things/3' })).headers.allow, 'GET');
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) assert.equal((await app.inject({ method, url: '/things/any' })).body, `any ${method}`);
});

test('prefixes and paths are joined with exactly one slash', async () => {
  @Controller('api/') class A { @Get('ping') ping() { return 'a'; } @Get() root() { return 'a-root'; } }
  @Controller() class B { @Get() home() { return 'home'; } @Get('/b') b() { return 'b'; } }
  @Module({ controllers: [A, B] }) class AppModule {}
  const app = await Armature.create(AppModule);
  assert.equal((await app.inject('/api/ping')).body, 'a');
  assert.equal((await app.inject('/api')).body, 'a-root');
  assert.equal((await app.inject('/')).body, 'home');
  assert.equal((await app.inject('/b')).body, 'b');
});

test('status, schema and middleware options reach the app route', async () => {
  const NewUser = z.object({ name: z.string().min(1) });
  @Controller('/users')
  class UsersController {
    @Post('/', {
      status: 201,
      schema: { body: NewUser },
      middleware: [async (ctx, next) => { ctx.set('x-mw', 'ran'); return next(); }],
    })
    create(ctx: Ctx) { return { created: ctx.body }; }
  }
  @Module({ controllers: [UsersController] }) class AppModule {}
  const app = await Armature.create(AppModule, { onError: () => {} });
  const ok = await app.inject({ method: 'POST', url: '/users', body: { name: 'Ada' } });
  assert.equal(ok.statusCode, 201);
  assert.equal(ok.headers['x-mw'], 'ran');
  assert.deepEqual(ok.json(), { created: { name: 'Ada' } });
  const bad = await app.inject({ method: 'POST', url: '/users', body: { name: '' } });
  assert.equal(bad.statusCode, 400);
});

test('a singleton route compiles to the bound method, registered like a functional route', async () => {
  const handlers: Function[] = [];
  const app = createApp();
  const route = app.route.bind(app) as (...args: unknown[]) => unknown;
  (app as unknown as { route: (...args: unknown[]) => unknown }).route = (...args) => {
    handlers.push(args.at(-1) as Function);
    return route(...args);
  };
  app.get('/functional', () => 'functional');
  @Injectable() class Greeter { greet() { return 'decorated'; } }
  @Controller() class HelloController {
    private greeter = inject(Greeter);
    @Get('/decorated') hello() { return this.greeter.greet(); }
    @UseGuards({ canActivate: () => true }) @Get('/guarded') guarded() { return 'guarded'; }
  }
  @Module({ controllers: [HelloController], providers: [Greeter] }) class AppModule {}
  const armature = await Armature.create(AppModule, { app });
  assert.equal(armature.app, app);
  assert.equal(handlers[1]!.name, 'bound hello', 'the handler is the bound method itself');
  // guards and interceptors run in the chain's own stage before validation: the handler stays the method
  assert.equal(handlers[2]!.name, 'bound guarded');
  assert.equal((await armature.inject('/decorated')).body, 'decorated');
  assert.equal((await armature.inject('/functional')).body, 'functional');
  assert.equal((await armature.inject('/guarded')).body, 'guarded');
});

test('routes are inherited from a base controller class; an override replaces them', async () => {
  abstract class CrudController {
    abstract readonly name: string;
    @Get() list() { return `${this.name}: list`; }
    @Get('/:id') show(ctx: Ctx<'/:id'>) { return `${this.name}: ${ctx.params.id}`; }
  }
  @Controller('/cats') class CatsController extends CrudController {
    readonly name = 'cats';
    @Get('/:id') override show(ctx: Ctx<'/:id'>) { return `the cat ${ctx.params.id}`; }
  }
  @Module({ controllers: [CatsController] }) class AppModule {}
  const app = await Armature.create(AppModule);
  assert.equal((await app.inject('/cats')).body, 'cats: list');
  assert.equal((await app.inject('/cats/tom')).body, 'the cat tom');
});

test('duplicate routes across controllers name both controller methods', async () => {
  @Controller('/users') class UsersController { @Get('/:id') show() { return 1; } }
  @Controller() class AdminController { @Get('/users/:userId') user() { return 2; } }
  @Module({ controllers: [UsersController, AdminController] }) class AppModule {}
  await assert.rejects(Armature.create(AppModule), (e: unknown) => {
    assert.ok(e instanceof DiError);
    assert.equal(e.code, 'DUPLICATE_ROUTE');
    assert.match(e.message, /GET \/users\/:userId is declared twice: by UsersController\.show \(@Get\("\/:id"\)\) and by AdminController\.user/);
    return true;
  });
});

test('a route the router rejects names the controller method (and the other route)', async () => {
  @Controller('/files') class FilesController {
    @Get('/:id<int>') one() { return 1; }
    @Get('/:name/raw') two() { return 2; }
  }
  @Module({ controllers: [FilesController] }) class AppModule {}
  await assert.rejects(Armature.create(AppModule), (e: unknown) => {
    assert.ok(e instanceof DiError);
    assert.match(e.message, /FilesController\.two \(@Get\("\/:name\/raw"\)\) → GET \/files\/:name\/raw/);
    assert.match(e.message, /FilesController\.one/);
    return true;
  });
});

test('a route decorator on a field, a getter, a static method or a class is an error naming the member', () => {
  assert.throws(() => {
    class C {
      // @ts-expect-error: a route decorator only fits a method
      @Get('/x') handler = () => 1;
    }
    return C;
  }, misuse(/@Get\("\/x"\) can only decorate an instance method of a controller class/, /the field "handler"/));
  assert.throws(() => {
    class C {
      // @ts-expect-error: a route decorator only fits a method
      @Post() get value() { return 1; }
    }
    return C;
  }, misuse(/@Post\("\/"\)/, /the getter "value"/));
  assert.throws(() => {
    class C {
      @Get() static list() { return 1; }
    }
    return C;
  }, misuse(/the static method "list"/));
  assert.throws(() => {
    // @ts-expect-error: a route decorator does not fit a class
    @Get('/') class Users {}
    return Users;
  }, misuse(/the class Users/, /@Controller\('\/prefix'\)/));
});

test('class decorators on members, and enhancer decorators on fields, are errors', () => {
  assert.throws(() => {
    class C {
      // @ts-expect-error: @Injectable decorates classes
      @Injectable() method() {}
    }
    return C;
  }, misuse(/@Injectable\(\) can only decorate a class, but it was applied to the method "method"/));
  assert.throws(() => {
    class C {
      // @ts-expect-error: @Controller decorates classes
      @Controller('/x') field = 1;
    }
    return C;
  }, misuse(/@Controller\(\) can only decorate a class, but it was applied to the field "field"/));
  assert.throws(() => {
    class C {
      // @ts-expect-error: @Module decorates classes
      @Module({}) m() {}
    }
    return C;
  }, misuse(/@Module\(\) can only decorate a class/));
  assert.throws(() => {
    class C {
      // @ts-expect-error: @UseGuards decorates a class or a method
      @UseGuards({ canActivate: () => true }) field = 1;
    }
    return C;
  }, misuse(/@UseGuards\(\) can only decorate a controller class or one of its route methods/, /the field "field"/));
});

test('invalid decorator arguments are reported where they are written', () => {
  assert.throws(() => Get('/x', { status: 99 }), /status must be an HTTP status code/);
  assert.throws(() => UseGuards(undefined as never), /argument 0 is undefined/);
  assert.throws(() => Injectable({ scope: 'forever' as never }), /scope must be/);
  assert.throws(() => Controller({ path: '/x', scope: 'transient' }), /singleton or request-scoped/);
});
