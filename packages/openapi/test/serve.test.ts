// Serving: the document as JSON and YAML (the same document), Swagger UI's files from the
// package, nothing else under the path, and the served routes left out of the document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { Armature, Controller, Get, Module, createApp } from '@armature/core';
import { serveOpenApi } from '@armature/openapi';

function app() {
  const a = createApp();
  a.get('/users/:id', { schema: { response: { 200: z.object({ id: z.string() }) } } }, (ctx) => ({ id: ctx.params.id }));
  return a;
}

test('JSON and YAML carry the same document; the page and its assets are served; only the app routes are described', async () => {
  const a = app();
  assert.equal(serveOpenApi(a, { path: '/docs/', info: { title: 'Users <API>', version: '1.2.3' } }), '/docs');
  a.get('/later', () => 'registered after serveOpenApi');
  const json = await a.inject('/docs/openapi.json');
  assert.equal(json.statusCode, 200);
  assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
  const doc = json.json() as { info: { title: string }; paths: Record<string, unknown> };
  assert.equal(doc.info.title, 'Users <API>');
  assert.deepEqual(Object.keys(doc.paths), ['/users/{id}', '/later']);

  const yaml = await a.inject('/docs/openapi.yaml');
  assert.equal(yaml.statusCode, 200);
  assert.equal(yaml.headers['content-type'], 'application/yaml; charset=utf-8');
  assert.deepEqual(parse(yaml.body), doc);

  const html = await a.inject('/docs');
  assert.equal(html.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(html.body, /<title>Users &#60;API&#62;<\/title>/);
  assert.match(html.body, /src="\/docs\/swagger-ui-bundle\.js"/);
  assert.doesNotMatch(html.body, /https?:\/\//, 'nothing from a CDN');
  assert.doesNotMatch(html.body, /<script>/, 'no inline script');

  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const bundle = await a.inject('/docs/swagger-ui-bundle.js');
  assert.equal(bundle.statusCode, 200);
  assert.equal(bundle.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(bundle.rawBody.length, readFileSync(join(dist, 'swagger-ui-bundle.js')).length);
  assert.equal((await a.inject('/docs/swagger-ui.css')).statusCode, 200);
  assert.match((await a.inject('/docs/swagger-ui-init.js')).body, /"\/docs\/openapi\.json"/);
  for (const path of ['/docs/package.json', '/docs/../package.json', '/docs/swagger-ui-bundle.js.map', '/docs/%2e%2e/x']) {
    assert.equal((await a.inject(path)).statusCode, 404, path);
  }
});

test('ui: false serves the document only; transform changes it', async () => {
  const a = app();
  serveOpenApi(a, { path: '/openapi', ui: false, transform: (d) => ({ ...d, servers: [{ url: 'https://api.example.com' }] }) });
  assert.equal((await a.inject('/openapi')).statusCode, 404);
  const doc = (await a.inject('/openapi/openapi.json')).json() as { servers: unknown };
  assert.deepEqual(doc.servers, [{ url: 'https://api.example.com' }]);
});

@Controller('/ping')
class PingController {
  @Get()
  ping() {
    return 'pong';
  }
}
@Module({ controllers: [PingController] })
class PingModule {}

test('a DI app: served after Armature.create(), controllers included', async () => {
  const armature = await Armature.create(PingModule);
  serveOpenApi(armature);
  const doc = (await armature.inject('/docs/openapi.json')).json() as { paths: Record<string, { get: { operationId: string } }> };
  assert.equal(doc.paths['/ping']!.get.operationId, 'PingController_ping');
  assert.throws(() => serveOpenApi(createApp(), { path: 'docs' }), /path must start with "\/"/);
  assert.throws(() => serveOpenApi({} as never), /takes an App/);
});
