// The testing module: overrides of providers and enhancers, get(), createApp() and inject().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundException } from '../src/http/errors.js';
import {
  Controller, Get, Injectable, InjectionToken, Module, UseGuards, inject, type CanActivate, type Ctx,
} from '../src/di/index.js';
import { Test } from '../src/testing.js';

interface User { id: string; name: string }
const DB = new InjectionToken<{ find(id: string): User | undefined }>('DB');

@Injectable() class AuthGuard implements CanActivate { canActivate(ctx: Ctx) { return ctx.get('authorization') === 'real-secret'; } }
@Injectable() class UsersService {
  private db = inject(DB);
  find(id: string) { return this.db.find(id) ?? null; }
}
@Controller('/users') @UseGuards(AuthGuard)
class UsersController {
  private users = inject(UsersService);
  @Get('/:id') show(ctx: Ctx<'/:id'>) {
    const user = this.users.find(ctx.params.id);
    if (user === null) throw new NotFoundException(`no user ${ctx.params.id}`);
    return user;
  }
}
@Module({ providers: [{ provide: DB, useFactory: () => { throw new Error('no real database in tests'); } }], exports: [DB] }) class DatabaseModule {}
@Module({ imports: [DatabaseModule], controllers: [UsersController], providers: [UsersService] }) class UsersModule {}
@Module({ imports: [UsersModule] }) class AppModule {}

const fakeDb = { find: (id: string) => (id === '1' ? { id, name: 'Ada' } : undefined) };

test('overrideProvider(...).useValue replaces a provider deep in the imports; createApp() then inject()', async () => {
  const mod = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(DB).useValue(fakeDb)
    .overrideGuard(AuthGuard).useValue({ canActivate: () => true })
    .compile();
  assert.deepEqual(mod.get(UsersService).find('1'), { id: '1', name: 'Ada' });
  const app = await mod.createApp();
  assert.deepEqual((await app.inject('/users/1')).json(), { id: '1', name: 'Ada' });
  assert.equal((await app.inject('/users/2')).statusCode, 404);
  await mod.close();
});

test('without the guard override the real guard runs', async () => {
  const mod = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(DB).useValue(fakeDb).compile();
  const app = await mod.createApp();
  assert.equal((await app.inject('/users/1')).statusCode, 403);
  assert.equal((await app.inject({ url: '/users/1', headers: { authorization: 'real-secret' } })).statusCode, 200);
});

test('useClass and async useFactory overrides, extra providers, and start-up errors as in production', async () => {
  class FakeDb { find(id: string) { return { id, name: 'class' }; } }
  const viaClass = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(DB).useClass(FakeDb).compile();
  assert.equal(viaClass.get(UsersService).find('9')?.name, 'class');

  const PREFIX = new InjectionToken<string>('PREFIX');
  const viaFactory = await Test.createTestingModule({ imports: [AppModule], providers: [{ provide: PREFIX, useValue: 'f:' }] })
    .overrideProvider(DB).useFactory({ factory: async () => ({ find: (id: string) => ({ id, name: 'factory' }) }) })
    .compile();
  assert.equal(viaFactory.get(UsersService).find('9')?.name, 'factory');
  assert.equal(viaFactory.get(PREFIX), 'f:');

  await assert.rejects(Test.createTestingModule({ imports: [AppModule] }).compile(), /DB: creating DB \(in DatabaseModule\) failed: no real database in tests/);
});

test('testing module close() runs the shutdown hooks when no app was created', async () => {
  const log: string[] = [];
  @Injectable() class Res { onModuleInit() { log.push('init'); } onModuleDestroy() { log.push('destroy'); } }
  const mod = await Test.createTestingModule({ providers: [Res] }).compile();
  assert.deepEqual(log, ['init']);
  await mod.close();
  assert.deepEqual(log, ['init', 'destroy']);
});
