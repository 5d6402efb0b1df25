// Groups (prefix + hooks of their own) and mounted sub-apps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, ForbiddenException, type Middleware } from '../src/index.js';

const tag = (name: string): Middleware => async (ctx, next) => {
  ctx.append('x-trail', name);
  return next();
};

test('groups: prefixes, nesting, their own middleware and hooks, typed prefix params', async () => {
  const app = createApp();
  app.use(tag('app'));
  app.get('/', () => 'root');
  app.group('/api', (api) => {
    api.use(tag('api'));
    api.get('/', () => 'api root');
    api.get('/ping', () => 'pong');
    api.group('/orgs/:org', (org) => {
      org.use(async (ctx, next) => {
        if (ctx.params.org === 'blocked') throw new ForbiddenException();
        return next();
      });
      org.get('/repos/:repo', (ctx) => ({ org: ctx.params.org, repo: ctx.params.repo }));
    });
  });
  const v2 = app.group('/v2/');
  v2.onRequest((ctx) => void ctx.set('x-v2', 'yes'));
  v2.get('/ping', () => 'pong v2');
  assert.throws(() => app.group('no-slash'), /must start with "\/"/);
  assert.throws(() => app.group('/x').get('no-slash', () => 1), /must start with "\/"/);

  const root = await app.inject('/');
  assert.equal(root.body, 'root');
  assert.equal(root.headers['x-trail'], 'app');
  assert.equal((await app.inject('/api')).body, 'api root');
  const ping = await app.inject('/api/ping');
  assert.equal(ping.body, 'pong');
  assert.deepEqual(ping.headers['x-trail'], ['app', 'api']);
  assert.deepEqual((await app.inject('/api/orgs/acme/repos/web')).json(), { org: 'acme', repo: 'web' });
  assert.equal((await app.inject('/api/orgs/blocked/repos/web')).statusCode, 403);
  const p2 = await app.inject('/v2/ping');
  assert.equal(p2.body, 'pong v2');
  assert.equal(p2.headers['x-v2'], 'yes');
  assert.equal(p2.headers['x-trail'], 'app');
  // group hooks do not leak to siblings
  assert.equal((await app.inject('/api/ping')).headers['x-v2'], undefined);
});

test('mounted apps: routes under a prefix; their hooks, error and not-found handlers keep applying', async () => {
  const admin = createApp({ bodyLimit: 5 });
  admin.use(tag('admin'));
  admin.onRequest((ctx) => (ctx.get('authorization') === 'Bearer admin' ? undefined : { denied: true, path: ctx.path }));
  admin.setErrorHandler((error) => ({ adminError: (error as Error).message }));
  admin.setNotFoundHandler((ctx) => {
    ctx.status(404);
    return { adminNotFound: ctx.path };
  });
  admin.get('/', () => 'admin home');
  admin.get('/users/:id', (ctx) => ({ user: ctx.params.id }));
  admin.get('/fail', () => {
    throw new Error('admin broke');
  });
  admin.post('/upload', async (ctx) => (await ctx.bytes()).length);
  admin.group('/reports', (g) => g.get('/daily', () => 'daily'));

  const app = createApp({ onError: () => {} });
  app.use(tag('app'));
  app.get('/', () => 'main');
  app.get('/fail', () => {
    throw new Error('main broke');
  });
  app.mount('/admin', admin);
  // registered on the sub-app after mounting: still served
  admin.get('/late', () => 'late');

  const auth = { authorization: 'Bearer admin' };
  const home = await app.inject({ url: '/admin', headers: auth });
  assert.equal(home.body, 'admin home');
  assert.deepEqual(home.headers['x-trail'], ['app', 'admin']);
  assert.deepEqual((await app.inject({ url: '/admin/users/7', headers: auth })).json(), { user: '7' });
  assert.equal((await app.inject({ url: '/admin/reports/daily', headers: auth })).body, 'daily');
  assert.equal((await app.inject({ url: '/admin/late', headers: auth })).body, 'late');
  assert.deepEqual((await app.inject('/admin/users/7')).json(), { denied: true, path: '/admin/users/7' });
  assert.deepEqual((await app.inject({ url: '/admin/fail', headers: auth })).json(), { adminError: 'admin broke' });
  assert.equal((await app.inject('/fail')).statusCode, 500);
  assert.equal((await app.inject('/fail')).headers['content-type'], 'application/problem+json');
  const miss = await app.inject({ url: '/admin/nope', headers: auth });
  assert.equal(miss.statusCode, 404);
  assert.deepEqual(miss.json(), { adminNotFound: '/admin/nope' });
  assert.equal((await app.inject('/nope')).headers['content-type'], 'application/problem+json');
  // the sub-app's bodyLimit applies to its routes
  assert.equal((await app.inject({ method: 'POST', url: '/admin/upload', headers: auth, body: '123456' })).statusCode, 413);
  assert.equal((await app.inject({ method: 'POST', url: '/admin/upload', headers: auth, body: '12345' })).body, '5');
  assert.equal((await app.inject('/')).body, 'main');

  // a mounted app is served by its host only
  await assert.rejects(admin.inject('/'), /mounted app is served by the app it is mounted in/);
  assert.throws(() => createApp().mount('/again', admin), /already mounted/);
  assert.throws(() => admin.get('/later', () => 'x'), /the app has started/);
});

test('mounting: conflicts are found, apps nest, and a started app cannot be mounted', async () => {
  const inner = createApp();
  inner.get('/deep', () => 'deep');
  const middle = createApp();
  middle.mount('/inner', inner);
  const top = createApp();
  top.group('/g', (g) => g.mount('/middle', middle));
  assert.equal((await top.inject('/g/middle/inner/deep')).body, 'deep');

  const a = createApp();
  a.get('/x/y', () => 1);
  const b = createApp();
  b.get('/y', () => 2);
  assert.throws(() => a.mount('/x', b), /Duplicate route/);

  const started = createApp();
  await started.ready();
  assert.throws(() => createApp().mount('/s', started), /has started/);
  const self = createApp();
  assert.throws(() => self.mount('/self', self), /another App|inside itself/);
});
