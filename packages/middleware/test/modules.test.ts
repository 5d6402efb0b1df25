// The middleware as DI modules: applied to every request of the app (404s included), also under
// the testing module; multipart through an interceptor on a controller method.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Armature, Controller, Get, Module, Post, UseInterceptors, type Context } from '@armature/core';
import { Test } from '@armature/core/testing';
import { CorsModule, RateLimitModule, RequestIdModule, SecurityHeadersModule, EtagModule } from '@armature/middleware/modules';
import { multipartForm, uploads } from '@armature/middleware/multipart';

@Controller('/items')
class ItemsController {
  @Get('/')
  list() {
    return { items: [1, 2] };
  }
  @Post('/upload')
  @UseInterceptors(uploads({ limits: { fileSize: 100 } }))
  upload(ctx: Context) {
    const form = multipartForm(ctx);
    return { fields: form.fields, files: form.files.map((f) => [f.field, f.filename, f.size]) };
  }
}

@Module({
  imports: [
    RequestIdModule.forRoot(),
    SecurityHeadersModule.forRoot(),
    CorsModule.forRoot({ origin: ['https://front.example'] }),
    RateLimitModule.forRoot({ limit: 3, window: '1m' }),
    EtagModule.forRoot(),
  ],
  controllers: [ItemsController],
})
class AppModule {}

test('forRoot modules apply to every request, 404s included', async () => {
  const app = await Armature.create(AppModule, { shutdownHooks: false });
  const r = await app.inject({ url: '/items', headers: { origin: 'https://front.example' } });
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['access-control-allow-origin'], 'https://front.example');
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.match(String(r.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  assert.equal(r.headers['ratelimit-policy'], '"default";q=3;w=60');
  assert.match(String(r.headers.etag), /^W\//);
  const missing = await app.inject({ url: '/nope', headers: { origin: 'https://front.example' } });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.headers['access-control-allow-origin'], 'https://front.example');
  assert.ok(missing.headers['x-request-id']);
  assert.equal((await app.inject('/items')).statusCode, 200); // the third of three
  const limited = await app.inject('/items');
  assert.equal(limited.statusCode, 429);
  await app.close();
});

test('the modules apply under the testing module too; options are checked at forRoot()', async () => {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = await moduleRef.createApp();
  const r = await app.inject('/items');
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  await app.close();
  assert.throws(() => CorsModule.forRoot({ credentials: true }), /cannot be combined with credentials/);
  assert.throws(() => RateLimitModule.forRoot({ limit: 0, window: '1m' }), /limit must be/);
});

test('uploads() as an interceptor parses the form before the method and cleans up after', async () => {
  @Module({ controllers: [ItemsController] })
  class UploadModule {}
  const app = await Armature.create(UploadModule, { shutdownHooks: false });
  const fd = new FormData();
  fd.append('title', 't');
  fd.append('doc', new Blob(['hello']), 'a.txt');
  const req = new Request('http://x/items/upload', { method: 'POST', body: fd });
  const body = Buffer.from(await req.arrayBuffer());
  const r = await app.inject({ method: 'POST', url: '/items/upload', headers: { 'content-type': req.headers.get('content-type')! }, body });
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json(), { fields: { title: 't' }, files: [['doc', 'a.txt', 5]] });
  fd.set('doc', new Blob(['x'.repeat(200)]), 'big.txt');
  const big = new Request('http://x/items/upload', { method: 'POST', body: fd });
  const tooBig = await app.inject({ method: 'POST', url: '/items/upload', headers: { 'content-type': big.headers.get('content-type')! }, body: Buffer.from(await big.arrayBuffer()) });
  assert.equal(tooBig.statusCode, 413);
  await app.close();
});

test('each module keeps its class name, and importing one without forRoot() says what to write', async () => {
  assert.deepEqual([CorsModule, RateLimitModule, RequestIdModule, SecurityHeadersModule, EtagModule].map((m) => m.name), ['CorsModule', 'RateLimitModule', 'RequestIdModule', 'SecurityHeadersModule', 'EtagModule']);
  @Module({ imports: [EtagModule] }) class AppModule {}
  await assert.rejects(Armature.create(AppModule), /import EtagModule\.forRoot\(options\), not EtagModule itself/);
});
