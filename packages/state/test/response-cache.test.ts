// Caching GET answers: cacheResponses() on functional routes and @Cacheable() / CacheInterceptor
// with CacheModule in a DI app. Keys by path and sorted query; Vary; what is never stored
// (no-store, private, Set-Cookie, Vary: *, errors, POST); tags; one handler call for concurrent misses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Armature, Controller, Get, Injectable, Module, Post, createApp, inject, type Context } from '@armature/core';
import { CACHE_MANAGER, Cache, CacheInterceptor, CacheModule, Cacheable, cacheResponses } from '@armature/state';

/** The JSON body of an injected answer. */
const j = (r: { json(): unknown }) => r.json() as Record<string, number>;

test('GET answers are cached by path and sorted query, with Age; other queries and methods are not', async () => {
  const cache = new Cache({ ttl: 60_000 });
  const app = createApp();
  let calls = 0;
  const mw = { middleware: [cacheResponses(cache)] };
  app.get('/items', mw, (ctx) => ({ n: ++calls, q: ctx.query }));
  app.post('/items', mw, () => ({ n: ++calls }));
  const first = await app.inject('/items?b=2&a=1');
  assert.equal(first.statusCode, 200);
  assert.equal(first.headers.age, undefined);
  const second = await app.inject('/items?a=1&b=2');
  assert.deepEqual(second.json(), { n: 1, q: { b: '2', a: '1' } });
  assert.equal(second.headers.age, '0');
  assert.match(String(second.headers['content-type']), /^application\/json/);
  assert.equal(j(await app.inject('/items?a=2')).n, 2, 'another query is another entry');
  assert.equal(j(await app.inject({ method: 'POST', url: '/items' })).n, 3);
  assert.equal(j(await app.inject({ method: 'POST', url: '/items' })).n, 4, 'POST is never cached');
  const head = await app.inject({ method: 'HEAD', url: '/items?a=1&b=2' });
  assert.equal(head.statusCode, 200);
  assert.equal(calls, 4, 'HEAD answered from the GET entry');
});

test('Vary: one entry per value of the named request fields; Vary: * is not stored', async () => {
  const cache = new Cache();
  const app = createApp();
  let calls = 0;
  app.get('/hello', { middleware: [cacheResponses(cache)] }, (ctx) => {
    calls++;
    const fr = (ctx.get('accept-language') ?? '').startsWith('fr');
    ctx.set('vary', 'Accept-Language').set('content-language', fr ? 'fr' : 'en');
    return fr ? 'bonjour' : 'hello';
  });
  app.get('/star', { middleware: [cacheResponses(cache)] }, (ctx) => {
    calls++;
    ctx.set('vary', '*');
    return 'x';
  });
  const fr = { 'accept-language': 'fr-FR' };
  assert.equal((await app.inject({ url: '/hello', headers: fr })).body, 'bonjour');
  assert.equal((await app.inject('/hello')).body, 'hello');
  const frAgain = await app.inject({ url: '/hello', headers: fr });
  assert.equal(frAgain.body, 'bonjour');
  assert.equal(frAgain.headers['content-language'], 'fr');
  assert.equal(frAgain.headers.vary, 'Accept-Language');
  assert.equal(frAgain.headers.age, '0');
  assert.equal((await app.inject('/hello')).body, 'hello');
  assert.equal(calls, 2);
  await app.inject('/star');
  await app.inject('/star');
  assert.equal(calls, 4);
});

test('never stored: no-store or private answers, Set-Cookie, errors, a request with no-store, streams; strings and bytes are', async () => {
  const cache = new Cache();
  const app = createApp();
  const calls: Record<string, number> = {};
  const route = (path: string, handler: (ctx: Context) => unknown) =>
    app.get(path, { middleware: [cacheResponses(cache)] }, (ctx) => {
      calls[path] = (calls[path] ?? 0) + 1;
      return handler(ctx);
    });
  route('/no-store', (ctx) => (ctx.set('cache-control', 'no-store'), 'a'));
  route('/private', (ctx) => (ctx.set('cache-control', 'private, max-age=60'), 'a'));
  route('/cookie', (ctx) => (ctx.cookie('s', '1'), 'a'));
  route('/error', () => {
    throw new Error('boom');
  });
  route('/not-found', (ctx) => (ctx.status(404), { missing: true }));
  route('/bytes', (ctx) => (ctx.set('content-type', 'image/png'), new Uint8Array([137, 80, 78, 71])));
  route('/public', (ctx) => (ctx.set('cache-control', 'public, max-age=60'), 'shared'));
  let n = 0;
  app.get('/fresh', { middleware: [cacheResponses(cache)] }, () => ++n);
  for (const path of ['/no-store', '/private', '/cookie', '/error', '/not-found', '/bytes', '/public']) {
    await app.inject(path);
    await app.inject(path);
  }
  assert.deepEqual(calls, { '/no-store': 2, '/private': 2, '/cookie': 2, '/error': 2, '/not-found': 2, '/bytes': 1, '/public': 1 });
  const bytes = await app.inject('/bytes');
  assert.equal(bytes.headers['content-type'], 'image/png');
  assert.deepEqual([...bytes.rawBody], [137, 80, 78, 71]);
  assert.equal((await app.inject('/public')).headers['cache-control'], 'public, max-age=60');
  // a request that says no-store is answered but not stored
  await app.inject({ url: '/fresh', headers: { 'cache-control': 'no-store' } });
  await app.inject('/fresh');
  await app.inject('/fresh');
  assert.equal(n, 2);
});

test('concurrent misses call the handler once; tags and explicit deletes invalidate; a custom key', async () => {
  const cache = new Cache({ ttl: 60_000 });
  const app = createApp();
  let calls = 0;
  app.get('/slow', { middleware: [cacheResponses(cache, { tags: ['slow'] })] }, async () => {
    calls++;
    await sleep(30);
    return { calls };
  });
  // key: per tenant header, or undefined to skip
  let m = 0;
  app.get('/tenant', { middleware: [cacheResponses(cache, { key: (ctx) => (ctx.get('x-tenant') === undefined ? undefined : `tenant:${ctx.get('x-tenant')}`) })] }, () => ++m);
  const answers = await Promise.all(Array.from({ length: 10 }, () => app.inject('/slow')));
  assert.ok(answers.every((a) => a.statusCode === 200 && j(a).calls === 1));
  assert.equal(calls, 1);
  await cache.invalidateTags(['slow']);
  assert.equal(j(await app.inject('/slow')).calls, 2);
  await cache.del('http:/slow');
  assert.equal(j(await app.inject('/slow')).calls, 3);
  await app.inject({ url: '/tenant', headers: { 'x-tenant': 'a' } });
  await app.inject({ url: '/tenant', headers: { 'x-tenant': 'a' } });
  await app.inject('/tenant');
  await app.inject('/tenant');
  assert.equal(m, 3);
  assert.throws(() => cacheResponses(cache, { ttl: -1 }), RangeError);
  assert.throws(() => cacheResponses(cache, { tags: 'x' as never }), TypeError);
});

// ---- DI -----------------------------------------------------------------------------------------

@Injectable()
class Catalog {
  private readonly cache = inject(CACHE_MANAGER);
  loads = 0;
  products = ['apple'];
  add(p: string) {
    this.products = [...this.products, p];
    return this.cache.invalidateTags(['products']);
  }
}

@Controller('/products')
@Cacheable({ tags: ['products'], ttl: 60_000 })
class ProductsController {
  private readonly catalog = inject(Catalog);
  @Get('/')
  list() {
    this.catalog.loads++;
    return { products: this.catalog.products };
  }
  @Post('/')
  async add(ctx: Context) {
    const { name } = await ctx.json<{ name: string }>();
    await this.catalog.add(name);
    return { ok: true };
  }
}

@Controller('/plain')
class PlainController {
  n = 0;
  @Get('/')
  @Cacheable()
  cached() {
    return { n: ++this.n };
  }
  @Get('/interceptor')
  uncached() {
    return { n: ++this.n };
  }
}

@Module({ controllers: [ProductsController], providers: [Catalog] })
class ProductsModule {}

@Module({ imports: [CacheModule.forRoot({ isGlobal: true, ttl: 5000 }), ProductsModule], controllers: [PlainController] })
class AppModule {}

test('CacheModule.forRoot + @Cacheable: cached GETs, a service invalidates by tag through CACHE_MANAGER', async () => {
  const app = await Armature.create(AppModule, { shutdownHooks: false });
  const catalog = app.get(Catalog);
  assert.deepEqual((await app.inject('/products')).json(), { products: ['apple'] });
  assert.equal((await app.inject('/products')).headers.age, '0');
  assert.equal(catalog.loads, 1);
  const added = await app.inject({ method: 'POST', url: '/products', body: { name: 'pear' } });
  assert.equal(added.statusCode, 200);
  assert.deepEqual((await app.inject('/products')).json(), { products: ['apple', 'pear'] });
  assert.equal(catalog.loads, 2);
  assert.equal(j(await app.inject('/plain')).n, 1);
  assert.equal(j(await app.inject('/plain')).n, 1);
  assert.equal(j(await app.inject('/plain/interceptor')).n, 2);
  assert.ok(app.get(CACHE_MANAGER) instanceof Cache);
  await app.close();
});

test('CacheInterceptor as a global interceptor caches every GET of the app', async () => {
  @Controller('/c')
  class C {
    n = 0;
    @Get('/')
    get() {
      return { n: ++this.n };
    }
  }
  @Module({ imports: [CacheModule.forRoot()], controllers: [C] })
  class M {}
  const app = await Armature.create(M, { shutdownHooks: false, interceptors: [CacheInterceptor] });
  assert.equal(j(await app.inject('/c')).n, 1);
  assert.equal(j(await app.inject('/c')).n, 1);
  await app.close();
});
