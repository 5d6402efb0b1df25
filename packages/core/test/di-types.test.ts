/**
 * Type tests for controllers and providers, checked by `npm run typecheck` (tsconfig.check.json
 * includes packages/*\/test): an `Expect<Equal<…>>` that is false, or an `@ts-expect-error` with no
 * error under it, fails the type check. The runtime tests at the end show that what compiles also
 * runs as typed (a coerced param is a number at run time because its type says so).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createApp, type Context, type HeaderRecord, type QueryRecord } from '../src/index.js';
import {
  Armature, Controller, Get, Injectable, InjectionToken, Module, Post, Put, inject, provide, type Ctx, type Provider,
} from '../src/di/index.js';

type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

// ---- Ctx ---------------------------------------------------------------------------------------

const UserParams = z.object({ id: z.coerce.number().int() });
const NewUser = z.object({ name: z.string().min(1), email: z.string() });
const Paging = z.object({ limit: z.coerce.number().default(10) });
const updateSchema = { params: UserParams, body: NewUser };
const listSchema = { query: Paging };

export type C1 = Expect<Equal<Ctx<'/:id'>['params'], { id: string }>>;
export type C2 = Expect<Equal<Ctx<'/users/:id/posts/:postId'>['params'], { id: string; postId: string }>>;
export type C3 = Expect<Equal<Ctx<'/:id', typeof updateSchema>['params'], { id: number }>>;
export type C4 = Expect<Equal<Ctx<'/:id', typeof updateSchema>['body'], { name: string; email: string }>>;
export type C5 = Expect<Equal<Ctx<'/', typeof listSchema>['query'], { limit: number }>>;
// without schemas: what the path and the request give
export type C6 = Expect<Equal<Ctx<'/:id'>['query'], QueryRecord>>;
export type C7 = Expect<Equal<Ctx<'/:id'>['body'], unknown>>;
export type C8 = Expect<Equal<Ctx<'/:id'>['headers'], HeaderRecord>>;
export type C9 = Expect<Equal<Ctx, Context<Record<string, string>, QueryRecord, unknown, HeaderRecord>>>;

// ---- route decorators check the method against their path and schemas -------------------------

@Controller('/users')
export class UsersController {
  @Get() list() { return []; }
  // any Ctx fits any route: it claims nothing about params
  @Get('/all') all(ctx: Ctx) { return ctx.params; }
  @Get('/:id') show(ctx: Ctx<'/:id'>) { return ctx.params.id; }
  // the constraint syntax of the router is part of the path; the name is what counts
  @Get('/:id<int>/raw') raw(ctx: Ctx<'/:id/raw'>) { return ctx.params.id; }
  @Put('/:id', { schema: updateSchema }) update(ctx: Ctx<'/:id', typeof updateSchema>) {
    const id: number = ctx.params.id;
    const name: string = ctx.body.name;
    return { id, name };
  }
  @Get('/paged', { schema: listSchema }) paged(ctx: Ctx<'/paged', typeof listSchema>) { return ctx.query.limit * 2; }
  // a schema-less context still fits a validated route: it claims only strings and unknown
  @Post('/', { schema: { body: NewUser } }) create(ctx: Ctx) { return ctx.body; }

  // @ts-expect-error: the path names the parameter userId, the method reads id
  @Get('/by-name/:userId') byName(ctx: Ctx<'/by-name/:id'>) { return ctx.params.id; }

  // @ts-expect-error: the schema coerces id to a number; typing it as a string would lie
  @Get('/:id/coerced', { schema: { params: UserParams } }) coerced(ctx: Ctx<'/:id/coerced'>) { return ctx.params.id; }

  // @ts-expect-error: the body schema gives { name, email }, not { title }
  @Post('/titled', { schema: { body: NewUser } }) titled(ctx: Ctx<'/titled', { body: z.ZodObject<{ title: z.ZodString }> }>) { return ctx.body.title; }

  // @ts-expect-error: the query schema gives { limit: number }
  @Get('/q', { schema: listSchema }) q(ctx: Context<{}, { limit: string }>) { return ctx.query.limit; }
}

// preHandler hooks given on the decorator see the validated types too
@Controller()
export class HookedController {
  @Put('/:id', {
    schema: updateSchema,
    preHandler: (ctx) => {
      const id: number = ctx.params.id;
      return id > 0 ? undefined : 'no';
    },
  })
  update(ctx: Ctx<'/:id', typeof updateSchema>) { return ctx.body; }
}

// functional routes and controller methods get the same context for the same path and schemas
const app = createApp();
app.put('/:id', { schema: updateSchema }, (ctx) => {
  type Functional = typeof ctx;
  type _same = Expect<Equal<Functional, Ctx<'/:id', typeof updateSchema>>>;
  return ctx.body.name;
});

// ---- providers are checked against their token -------------------------------------------------

interface Config { url: string; poolSize: number }
const CONFIG = new InjectionToken<Config>('CONFIG');
const PORT = new InjectionToken<number>('PORT');
abstract class Logger { abstract log(message: string): void; }
class ConsoleLogger extends Logger { log(message: string) { return message; } }
class Clock { now() { return 0; } }
const NOW = new InjectionToken<() => number>('NOW');

// provide(): each recipe must give the token's type
export const P1 = provide(CONFIG, { useValue: { url: 'pg://', poolSize: 4 } });
export const P2 = provide(PORT, { useFactory: (config) => config.poolSize * 1000, inject: [CONFIG] });
export const P3 = provide(PORT, { useFactory: async () => 8080 });
export const P4 = provide(Logger, { useClass: ConsoleLogger });
export const P5 = provide(Logger, { useExisting: ConsoleLogger });
export type P6 = Expect<Equal<typeof P1, Provider<Config>>>;
// @ts-expect-error: poolSize is missing
export const E1 = provide(CONFIG, { useValue: { url: 'pg://' } });
// @ts-expect-error: the factory returns a string for a number token
export const E2 = provide(PORT, { useFactory: () => '8080' });
// @ts-expect-error: the factory's parameter is typed by inject: a Config has no port
export const E3 = provide(PORT, { useFactory: (config) => config.port, inject: [CONFIG] });
// @ts-expect-error: a Clock is not a Logger
export const E4 = provide(Logger, { useClass: Clock });
// @ts-expect-error: an async factory resolving to the wrong type
export const E5 = provide(PORT, { useFactory: async () => 'x' });

// provider literals in @Module are checked the same way, one by one
@Module({
  providers: [
    ConsoleLogger,
    { provide: CONFIG, useValue: { url: 'pg://', poolSize: 4 } },
    { provide: PORT, useFactory: (config: Config) => config.poolSize, inject: [CONFIG] },
    { provide: Logger, useClass: ConsoleLogger },
    { provide: Logger, useExisting: ConsoleLogger },
    { provide: NOW, useValue: () => 42 },
    P1,
  ],
})
export class GoodModule {}

// @ts-expect-error: useValue does not match CONFIG's type
@Module({ providers: [{ provide: CONFIG, useValue: { url: 'pg://', poolSize: '4' } }] })
export class WrongValueModule {}

// @ts-expect-error: the factory returns a string for PORT
@Module({ providers: [{ provide: PORT, useFactory: () => 'eighty' }] })
export class WrongFactoryModule {}

// @ts-expect-error: a Clock is not a Logger
@Module({ providers: [{ provide: Logger, useClass: Clock }] })
export class WrongClassModule {}

// @ts-expect-error: a function value is checked too
@Module({ providers: [{ provide: NOW, useValue: () => 'noon' }] })
export class WrongFunctionModule {}

// an async factory must resolve to the token's type: a bare `new Promise(...)` is a Promise<unknown>
// @ts-expect-error: Promise<unknown> does not give a number
@Module({ providers: [{ provide: PORT, useFactory: () => new Promise((r) => r(80)) }] })
export class UntypedPromiseModule {}
@Module({ providers: [{ provide: PORT, useFactory: () => new Promise<number>((r) => r(80)) }] })
export class TypedPromiseModule {}

// a list that is not a literal is not checked entry by entry (its type is Provider[])
const shared: Provider[] = [{ provide: PORT, useValue: 80 }];
@Module({ providers: shared })
export class SharedListModule {}

// a token that carries no type (InjectionToken<unknown>) accepts anything, as before
const ANY = new InjectionToken<unknown>('ANY');
@Module({ providers: [{ provide: ANY, useValue: 42 }, { provide: ANY, useFactory: () => 'x' }] })
export class UntypedModule {}

// ---- at run time, the types hold ---------------------------------------------------------------

test('a validated controller route receives what its Ctx type says', async () => {
  @Injectable() class Store { last: unknown = null; }
  @Controller('/users')
  class Api {
    private store = inject(Store);
    @Put('/:id', { schema: updateSchema }) update(ctx: Ctx<'/:id', typeof updateSchema>) {
      this.store.last = ctx.body;
      return { id: ctx.params.id, idType: typeof ctx.params.id, name: ctx.body.name };
    }
    @Get('/', { schema: listSchema }) list(ctx: Ctx<'/', typeof listSchema>) { return { limit: ctx.query.limit, type: typeof ctx.query.limit }; }
  }
  @Module({ controllers: [Api], providers: [Store, provide(CONFIG, { useValue: { url: 'x', poolSize: 1 } })] }) class AppModule {}
  const armature = await Armature.create(AppModule);
  const put = await armature.inject({ method: 'PUT', url: '/users/7', body: { name: 'Ada', email: 'a@b' } });
  assert.equal(put.statusCode, 200);
  assert.deepEqual(put.json(), { id: 7, idType: 'number', name: 'Ada' });
  assert.deepEqual((await armature.inject('/users?limit=3')).json(), { limit: 3, type: 'number' });
  assert.deepEqual((await armature.inject('/users')).json(), { limit: 10, type: 'number' });
  assert.equal(armature.get(CONFIG).poolSize, 1);
  await armature.close();
});

test('provide() returns an ordinary provider', async () => {
  @Module({ providers: [P1, P2, P4, ConsoleLogger] }) class AppModule {}
  const armature = await Armature.create(AppModule);
  assert.equal(armature.get(PORT), 4000);
  assert.ok(armature.get(Logger) instanceof ConsoleLogger);
  await armature.close();
});
