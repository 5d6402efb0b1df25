// The document of an app with functional routes (Zod, Valibot, ArkType and JSON Schema schemas)
// and DI controllers (decorators, guards with security schemes): what each route becomes, and
// the whole document validated against the OpenAPI 3.1 schema by @readme/openapi-parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate, compileErrors } from '@readme/openapi-parser';
import { z } from 'zod';
import * as v from 'valibot';
import { type } from 'arktype';
import { Armature, Controller, Get, Post, Delete, Injectable, Module, UseGuards, createApp, type CanActivate, type Ctx } from '@armature/core';
import { ApiBearerAuth, ApiBody, ApiExcludeEndpoint, ApiOperation, ApiResponse, ApiSecurityScheme, ApiTags, createDocument, openApiPath, type OpenApiDocument } from '@armature/openapi';

async function assertValid(doc: OpenApiDocument): Promise<void> {
  const result = await validate(structuredClone(doc) as never);
  assert.ok(result.valid, compileErrors(result));
}

const NewUser = z.object({ name: z.string().min(1).meta({ description: 'Full name' }), email: z.email(), age: z.number().int().optional() });
const User = z.object({ id: z.number().int(), name: z.string(), email: z.string() });

function functionalApp() {
  const app = createApp();
  app.get('/users', { schema: { query: z.object({ limit: z.coerce.number().int().max(100).optional(), q: z.string().optional() }), response: { 200: z.array(User) } } }, () => []);
  app.post('/users', { schema: { body: NewUser, response: { 201: User } }, meta: { openapi: { summary: 'Create a user', tags: ['users'], responses: { 409: { description: 'The e-mail is taken' } } } } }, () => ({ id: 1, name: 'Ada', email: 'a@b.c' }));
  app.get('/users/:id<int>', { schema: { response: { 200: User, 404: { type: 'object', properties: { message: { type: 'string' } } } } } }, () => ({ id: 1, name: 'Ada', email: 'a@b.c' }));
  app.put('/items/:sku', { schema: { params: v.object({ sku: v.pipe(v.string(), v.minLength(3)) }), body: v.object({ price: v.number() }) } }, () => null);
  app.patch('/tags/:name', { schema: { body: type({ label: 'string', 'color?': 'string' }), headers: type({ 'x-tenant': 'string' }) } }, () => null);
  app.get('/files/*', () => 'file');
  app.get('/secret', { meta: { openapi: { hidden: true } } }, () => 'no');
  app.get('/health', () => ({ ok: true }));
  return app;
}

test('functional routes: paths, parameters, bodies and answers from the schemas of each vendor', async () => {
  const doc = createDocument(functionalApp(), { info: { title: 'Shop', version: '2.0.0' } });
  await assertValid(doc);
  assert.equal(doc.openapi, '3.1.1');
  assert.deepEqual(doc.info, { title: 'Shop', version: '2.0.0' });
  assert.deepEqual(Object.keys(doc.paths), ['/users', '/users/{id}', '/items/{sku}', '/tags/{name}', '/files/{*}', '/health']);

  const list = doc.paths['/users']!.get!;
  assert.equal(list.operationId, 'getUsers');
  assert.deepEqual(list.parameters!.map((p) => [p.name, p.in, p.required]), [['limit', 'query', false], ['q', 'query', false]]);
  assert.equal((list.responses['200']!.content!['application/json']!.schema as { type: string }).type, 'array');
  assert.ok(list.responses['400'], 'a validated route documents its 400');
  assert.equal((list.responses['400']!.content!['application/problem+json']!.schema as { $ref: string }).$ref, '#/components/schemas/ValidationProblem');

  const create = doc.paths['/users']!.post!;
  assert.equal(create.summary, 'Create a user');
  assert.deepEqual(create.tags, ['users']);
  const body = create.requestBody!.content['application/json']!.schema as { properties: Record<string, { description?: string }>; required: string[] };
  assert.deepEqual(body.required, ['name', 'email']);
  assert.equal(body.properties.name!.description, 'Full name');
  assert.ok(create.responses['201'] && !create.responses['200'], 'the declared success status, not a made-up 200');
  assert.equal(create.responses['409']!.description, 'The e-mail is taken');
  assert.ok(create.responses['409']!.content!['application/problem+json'], 'documented errors are problem+json');

  const show = doc.paths['/users/{id}']!.get!;
  assert.deepEqual(show.parameters, [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }]);
  assert.equal(show.operationId, 'getUsersById');
  assert.ok(show.responses['404']!.content!['application/json']);

  const item = doc.paths['/items/{sku}']!.put!;
  assert.equal((item.parameters![0]!.schema as { minLength: number }).minLength, 3, 'valibot params schema, through @valibot/to-json-schema');
  assert.deepEqual((item.requestBody!.content['application/json']!.schema as { required: string[] }).required, ['price']);

  const tag = doc.paths['/tags/{name}']!.patch!;
  assert.deepEqual(tag.parameters!.map((p) => [p.name, p.in, p.required]), [['name', 'path', true], ['x-tenant', 'header', true]]);
  assert.deepEqual((tag.requestBody!.content['application/json']!.schema as { required: string[] }).required, ['label'], 'arktype body');

  assert.equal(doc.paths['/files/{*}']!.get!.parameters![0]!.name, '*');
  assert.equal(doc.paths['/health']!.get!.responses['200']!.description, 'OK');
  assert.ok(!JSON.stringify(doc).includes('/secret'), 'hidden routes are left out');
  assert.ok(!JSON.stringify(doc).includes('"$schema"'), 'no $schema inside the document');
});

test('recursive and shared definitions move to components.schemas with their references rewritten', async () => {
  interface Category { name: string; children: Category[] }
  const Category: z.ZodType<Category> = z.object({ name: z.string(), get children() { return z.array(Category); } });
  const app = createApp();
  app.get('/categories', { schema: { response: { 200: Category } } }, () => ({ name: 'root', children: [] }));
  app.post('/categories', { schema: { body: Category } }, () => null);
  const doc = createDocument(app);
  await assertValid(doc);
  const text = JSON.stringify(doc);
  assert.ok(!text.includes('#/$defs/') && !text.includes('"$ref":"#"'), text);
  assert.ok(Object.keys(doc.components!.schemas!).length >= 2);
});

test('the validator is not a rubber stamp: a document with a broken operation is refused', async () => {
  const doc = createDocument(functionalApp());
  (doc.paths['/health']!.get as { responses: unknown }).responses = 'none';
  const result = await validate(structuredClone(doc) as never);
  assert.equal(result.valid, false);
});

test('a path pattern becomes an OpenAPI path template with typed parameters', () => {
  assert.deepEqual(openApiPath('/a/:id<uuid>/b/:n(\\d+)'), {
    path: '/a/{id}/b/{n}',
    params: [
      { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      { name: 'n', in: 'path', required: true, schema: { type: 'string', pattern: '^(?:\\d+)$' } },
    ],
  });
  assert.equal(openApiPath('/files/:name.:ext').path, '/files/{name}.{ext}');
});

// ---- DI controllers ---------------------------------------------------------------------------

@ApiSecurityScheme('bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
@Injectable()
class JwtGuard implements CanActivate {
  canActivate(ctx: Ctx): boolean {
    return ctx.get('authorization') === 'Bearer good';
  }
}

@ApiSecurityScheme('apiKey', { type: 'apiKey', in: 'header', name: 'x-api-key' }, [])
class KeyGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

const ById = z.object({ id: z.coerce.number().int() });

@ApiTags('accounts')
@ApiResponse({ status: 500, description: 'Something broke' })
@Controller('/accounts')
class AccountsController {
  @ApiOperation({ summary: 'List accounts', description: 'Every account, newest first' })
  @Get()
  list() {
    return [];
  }

  @ApiResponse({ status: 404, description: 'No such account' })
  @ApiResponse({ status: 200, description: 'The account', example: { id: 1, name: 'Ada', email: 'a@b.c' } })
  @Get('/:id', { schema: { params: ById, response: { 200: User } } })
  show(ctx: Ctx<'/:id', { params: typeof ById }>) {
    return { id: ctx.params.id, name: 'Ada', email: 'a@b.c' };
  }

  @UseGuards(JwtGuard)
  @ApiBody({ description: 'The new account', example: { name: 'Ada', email: 'ada@example.com' } })
  @Post('/', { status: 201, schema: { body: NewUser } })
  create() {
    return { id: 2 };
  }

  @UseGuards(JwtGuard, new KeyGuard())
  @Delete('/:id')
  remove() {
    return null;
  }

  @ApiExcludeEndpoint()
  @Get('/internal/stats')
  stats() {
    return {};
  }
}

@ApiBearerAuth()
@Controller('/me')
class ProfileController {
  @Get()
  me() {
    return { name: 'Ada' };
  }
}

@Module({ controllers: [AccountsController, ProfileController] })
class AppModule {}

test('controllers: tags, operation ids, decorators, security from guards', async () => {
  const armature = await Armature.create(AppModule);
  const doc = createDocument(armature);
  await assertValid(doc);
  assert.deepEqual(Object.keys(doc.paths), ['/accounts', '/accounts/{id}', '/me']);

  const list = doc.paths['/accounts']!.get!;
  assert.equal(list.operationId, 'AccountsController_list');
  assert.deepEqual(list.tags, ['accounts']);
  assert.equal(list.summary, 'List accounts');
  assert.equal(list.description, 'Every account, newest first');
  assert.equal(list.responses['500']!.description, 'Something broke');
  assert.equal(list.security, undefined);

  const show = doc.paths['/accounts/{id}']!.get!;
  assert.equal(show.responses['200']!.description, 'The account');
  assert.deepEqual(show.responses['200']!.content!['application/json']!.example, { id: 1, name: 'Ada', email: 'a@b.c' });
  assert.ok(show.responses['200']!.content!['application/json']!.schema, 'the schema stays beside the example');
  assert.equal(show.responses['404']!.description, 'No such account');
  assert.deepEqual(show.parameters![0]!.schema, { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 });

  const create = doc.paths['/accounts']!.post!;
  assert.ok(create.responses['201'], 'the decorator status is the success answer');
  assert.deepEqual(create.security, [{ bearer: [] }]);
  assert.ok(create.responses['401'] && create.responses['403']);
  assert.equal(create.requestBody!.description, 'The new account');
  assert.deepEqual(create.requestBody!.content['application/json']!.example, { name: 'Ada', email: 'ada@example.com' });

  assert.deepEqual(doc.paths['/accounts/{id}']!.delete!.security, [{ bearer: [], apiKey: [] }], 'every guard applies: one requirement with both schemes');
  assert.ok(!JSON.stringify(doc).includes('internal'), 'excluded endpoint');

  const me = doc.paths['/me']!.get!;
  assert.deepEqual(me.tags, ['Profile'], 'tag from the controller name');
  assert.deepEqual(me.security, [{ bearer: [] }]);
  assert.deepEqual(doc.components!.securitySchemes, { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } });
  assert.deepEqual(doc.tags!.map((t) => t.name), ['accounts', 'Profile']);
});

test('mistakes are clear errors: an undeclared scheme, a duplicate operationId, a schema with no JSON Schema export', () => {
  const a = createApp();
  a.get('/x', { meta: { openapi: { security: ['oauth'] } } }, () => 1);
  assert.throws(() => createDocument(a), /security scheme "oauth" is required by a route but declared nowhere/);
  const b = createApp();
  b.get('/x', { meta: { openapi: { operationId: 'same' } } }, () => 1);
  b.get('/y', { meta: { openapi: { operationId: 'same' } } }, () => 1);
  assert.throws(() => createDocument(b), /operationId "same" of GET \/y is used twice/);
  const c = createApp();
  c.post('/x', { schema: { body: { '~standard': { version: 1, vendor: 'acme', validate: (value: unknown) => ({ value }) } } } }, () => 1);
  assert.throws(() => createDocument(c), /the schema of POST \/x \(body\) cannot be described: this acme schema has no JSON Schema export/);
});
