// app.routeTable(): every route the app serves (groups, mounted apps, DI controllers), with its
// schemas, its `meta` and, for controller routes, the controller method and guards behind it;
// and jsonSchemaOf(), the input and output sides of a Standard Schema as JSON Schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { type } from 'arktype';
import { Armature, Controller, Get, Module, Post, UseGuards, controllerRoutes, createApp, jsonSchemaOf, type CanActivate } from '../src/index.js';

test('functional routes, groups and mounted apps, in registration order, with schemas and meta', async () => {
  const body = z.object({ name: z.string() });
  const app = createApp();
  app.get('/a', { meta: { owner: 'team-a' } }, () => 'a');
  app.group('/g', (g) => {
    g.post('/b/:id', { schema: { body } }, () => 'b');
  });
  const sub = createApp();
  sub.all('/c', () => 'c');
  app.mount('/sub', sub);
  const table = app.routeTable();
  assert.deepEqual(table.map((r) => `${r.method} ${r.path}`), ['GET /a', 'POST /g/b/:id', ...['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map((m) => `${m} /sub/c`)]);
  assert.deepEqual(table[0]!.meta, { owner: 'team-a' });
  assert.equal(table[1]!.schema!.body, body);
  assert.equal(table[1]!.declaredBy, undefined);
  await app.ready();
  assert.equal(app.routeTable().length, table.length, 'still there once started');
});

class Guard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}
const globalGuard = new Guard();

@UseGuards(Guard)
@Controller('/things')
class ThingsController {
  @Get('/:id')
  show() {
    return {};
  }
  @Post('/', { status: 201, meta: { audited: true } })
  create() {
    return {};
  }
}
@Module({ controllers: [ThingsController] })
class ThingsModule {}

test('controller routes say which method declared them, with its guards and status', async () => {
  const armature = await Armature.create(ThingsModule, { guards: [globalGuard] });
  const [show, create] = armature.app.routeTable();
  assert.equal(show!.path, '/things/:id');
  assert.deepEqual(show!.declaredBy, { controller: ThingsController, handlerName: 'show', guards: [globalGuard, Guard], status: undefined });
  assert.equal(create!.declaredBy!.status, 201);
  assert.deepEqual(create!.meta, { audited: true });
  // still served as before
  assert.equal((await armature.inject({ method: 'POST', url: '/things' })).statusCode, 201);
});

test('controllerRoutes(): what a controller class declares, without an app', () => {
  assert.deepEqual(controllerRoutes(ThingsController), [
    { handlerName: 'show', method: 'GET', path: '/things/:id' },
    { handlerName: 'create', method: 'POST', path: '/things' },
  ]);
  assert.throws(() => controllerRoutes(Guard), /Guard is not a controller \(decorate it with @Controller\(\)\)/);
});

test('jsonSchemaOf: the input and the output side of a schema', () => {
  const withDefault = z.object({ page: z.number().default(1) });
  assert.deepEqual((jsonSchemaOf(withDefault, 'input') as { required?: string[] }).required, undefined);
  assert.deepEqual((jsonSchemaOf(withDefault, 'output') as { required?: string[] }).required, ['page']);
  const parsed = type({ n: 'string.numeric.parse' });
  assert.equal((jsonSchemaOf(parsed, 'input') as { properties: { n: { type: string } } }).properties.n.type, 'string');
  const plain = { type: 'object' } as const;
  assert.equal(jsonSchemaOf(plain, 'input'), plain);
});
