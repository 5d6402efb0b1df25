// examples/di's OpenAPI page: the document of the whole module graph (users, posts, health),
// with the API-key guard's scheme on the routes it protects, valid OpenAPI 3.1, served at /docs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate, compileErrors } from '@readme/openapi-parser';
import { Test } from '@armature/core/testing';
import { AppModule, appOptions } from '../../../examples/di/app.module.js';
import { documentOptions } from '../../../examples/di/openapi.js';
import { serveOpenApi, type OpenApiDocument } from '@armature/openapi';

test('the DI example serves a valid document of every route at /docs', async () => {
  const mod = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = await mod.createApp({ ...appOptions, onError: () => {} });
  serveOpenApi(app, { path: '/docs', ...documentOptions });
  const doc = (await app.inject('/docs/openapi.json')).json() as OpenApiDocument;
  const result = await validate(structuredClone(doc) as never);
  assert.ok(result.valid, compileErrors(result));
  assert.deepEqual(Object.keys(doc.paths).sort(), ['/health', '/posts', '/posts/live', '/users', '/users/{id}']);
  const create = doc.paths['/users']!.post!;
  assert.equal(create.summary, 'Create a user');
  assert.deepEqual(create.security, [{ apiKey: [] }]);
  assert.deepEqual(doc.components!.securitySchemes!.apiKey, { type: 'apiKey', in: 'header', name: 'x-api-key' });
  assert.deepEqual(doc.paths['/users/{id}']!.get!.parameters![0]!.schema, { type: 'integer' });
  assert.equal(doc.paths['/users']!.get!.security, undefined, 'reading is open');
  assert.deepEqual(doc.tags!.map((t) => t.name).sort(), ['Health', 'Posts', 'users']);
  assert.equal(doc.tags!.find((t) => t.name === 'users')!.description, 'People who write posts');
  assert.equal((await app.inject('/docs')).statusCode, 200);
  assert.match((await app.inject('/docs/openapi.yaml')).body, /^openapi: 3\.1\.1$/m);
  await app.close();
});
