// Middleware and hooks: order across app, group and route; short-circuits; what middleware
// returns; onResponse after the response; the chain compiled at start and closed afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, ForbiddenException, hookMiddleware, MIDDLEWARE_HOOK, type Middleware } from '../src/index.js';

const tick = () => new Promise((r) => setImmediate(r));

test('order: onRequest → middleware (around) → preHandler → handler → onResponse, app → group → route', async () => {
  const log: string[] = [];
  const mw = (name: string): Middleware => async (ctx, next) => {
    log.push(`${name} in`);
    const r = await next();
    log.push(`${name} out`);
    return r;
  };
  const app = createApp();
  app.onRequest(() => void log.push('app onRequest'));
  app.use(mw('app mw'));
  app.preHandler(() => void log.push('app preHandler'));
  app.onResponse(() => void log.push('app onResponse'));
  app.group('/g', (g) => {
    g.addHook('onRequest', () => void log.push('group onRequest'));
    g.use(mw('group mw'));
    g.addHook('preHandler', async () => {
      await tick();
      log.push('group preHandler');
    });
    g.addHook('onResponse', () => void log.push('group onResponse'));
    g.get(
      '/x',
      {
        onRequest: () => void log.push('route onRequest'),
        middleware: [mw('route mw')],
        preHandler: [() => void log.push('route preHandler 1'), () => void log.push('route preHandler 2')],
        onResponse: () => void log.push('route onResponse'),
      },
      () => {
        log.push('handler');
        return 'done';
      },
    );
  });
  const r = await app.inject('/g/x');
  assert.equal(r.body, 'done');
  await tick();
  assert.deepEqual(log, [
    'app onRequest', 'group onRequest', 'route onRequest',
    'app mw in', 'group mw in', 'route mw in',
    'app preHandler', 'group preHandler', 'route preHandler 1', 'route preHandler 2',
    'handler',
    'route mw out', 'group mw out', 'app mw out',
    'app onResponse', 'group onResponse', 'route onResponse',
  ]);
});

test('short-circuits: hooks and middleware answer by returning a value (or throwing)', async () => {
  const ran: string[] = [];
  const app = createApp({ onError: () => {} });
  app.onRequest((ctx) => (ctx.get('x-stop') === 'onRequest' ? { stoppedBy: 'onRequest' } : undefined));
  app.use(async (ctx, next) => {
    if (ctx.get('x-stop') === 'middleware') return 'stopped by middleware';
    if (ctx.get('x-stop') === 'throw') throw new ForbiddenException('no entry');
    return next();
  });
  app.preHandler(async (ctx) => (ctx.get('x-stop') === 'preHandler' ? ctx.redirect('/login') : undefined));
  app.onResponse((ctx) => void ran.push(`onResponse ${ctx.res.statusCode}`));
  app.get('/', () => {
    ran.push('handler');
    return 'handler';
  });
  const get = (stop?: string) => app.inject({ url: '/', headers: stop === undefined ? {} : { 'x-stop': stop } });
  assert.deepEqual((await get('onRequest')).json(), { stoppedBy: 'onRequest' });
  assert.equal((await get('middleware')).body, 'stopped by middleware');
  const forbidden = await get('throw');
  assert.equal(forbidden.statusCode, 403);
  assert.equal(forbidden.json<{ detail: string }>().detail, 'no entry');
  const redirected = await get('preHandler');
  assert.equal(redirected.statusCode, 302);
  assert.equal(redirected.headers.location, '/login');
  assert.deepEqual(ran, ['onResponse 200', 'onResponse 200', 'onResponse 403', 'onResponse 302']);
  assert.equal((await get()).body, 'handler');
  assert.deepEqual(ran.slice(-2), ['handler', 'onResponse 200']);

  // a hook that wrote the response itself ends the chain too
  const direct = createApp();
  direct.onRequest((ctx) => {
    ctx.res.statusCode = 418;
    ctx.res.end('written by the hook');
  });
  direct.get('/', () => {
    throw new Error('must not run');
  });
  const d = await direct.inject('/');
  assert.equal(d.statusCode, 418);
  assert.equal(d.body, 'written by the hook');
});

test('middleware results: return to replace, return nothing to keep what next() produced', async () => {
  const app = createApp({ onError: () => {} });
  app.get('/wrap', { middleware: [async (_ctx, next) => ({ wrapped: await next() })] }, () => 'inner');
  app.get('/keep', { middleware: [async (ctx, next) => { await next(); ctx.set('x-after', 'yes'); }] }, () => ({ kept: true }));
  app.get('/keep-sync', { middleware: [(ctx, next) => { next(); ctx.set('x-sync', '1'); }] }, async () => ({ later: true }));
  app.get('/headers-after', { middleware: [async (ctx, next) => { const t = Date.now(); const r = await next(); ctx.set('x-time', String(Date.now() - t)); return r; }] }, () => 'timed');
  app.get('/recover', { middleware: [async (_ctx, next) => { try { return await next(); } catch { return { recovered: true }; } }] }, () => {
    throw new Error('handler failed');
  });
  app.get('/swallow', { middleware: [async (_ctx, next) => { try { await next(); } catch { /* caught, but nothing returned */ } }] }, () => {
    throw new ForbiddenException();
  });
  app.get('/twice', { middleware: [async (_ctx, next) => [await next(), await next()]] }, (() => { let n = 0; return () => ++n; })());
  app.get('/no-next', { middleware: [() => undefined] }, () => 'never');

  assert.deepEqual((await app.inject('/wrap')).json(), { wrapped: 'inner' });
  const keep = await app.inject('/keep');
  assert.deepEqual(keep.json(), { kept: true });
  assert.equal(keep.headers['x-after'], 'yes');
  const keepSync = await app.inject('/keep-sync');
  assert.deepEqual(keepSync.json(), { later: true });
  assert.equal(keepSync.headers['x-sync'], '1');
  const timed = await app.inject('/headers-after');
  assert.equal(timed.body, 'timed');
  assert.match(String(timed.headers['x-time']), /^\d+$/);
  assert.deepEqual((await app.inject('/recover')).json(), { recovered: true });
  // a caught failure with nothing returned still takes the error path
  assert.equal((await app.inject('/swallow')).statusCode, 403);
  assert.deepEqual((await app.inject('/twice')).json(), [1, 2]);
  assert.equal((await app.inject('/no-next')).statusCode, 204);
});

test('onResponse runs after the response is sent; its errors are reported, not sent', async () => {
  const reported: unknown[] = [];
  const app = createApp({ onError: (e) => reported.push(e) });
  let sentBeforeHook: boolean | undefined;
  app.onResponse((ctx) => {
    sentBeforeHook = ctx.res.finished;
    throw new Error('onResponse failed');
  });
  app.onResponse(async () => {
    await tick();
    throw new Error('async onResponse failed');
  });
  app.get('/', () => 'fine');
  const r = await app.inject('/');
  assert.equal(r.statusCode, 200);
  assert.equal(r.body, 'fine');
  await tick();
  await tick();
  assert.equal(sentBeforeHook, true);
  assert.deepEqual(reported.map((e) => (e as Error).message), ['onResponse failed', 'async onResponse failed']);
  // the app keeps serving
  assert.equal((await app.inject('/')).body, 'fine');
});

test('onResponse of a streamed response runs when the stream has ended', async () => {
  const events: string[] = [];
  const app = createApp();
  app.onResponse(() => void events.push('onResponse'));
  app.get('/stream', () =>
    (async function* () {
      yield 'a';
      await tick();
      events.push('last chunk');
      yield 'b';
    })(),
  );
  assert.equal((await app.inject('/stream')).body, 'ab');
  await tick();
  assert.deepEqual(events, ['last chunk', 'onResponse']);
});

test('the chain is compiled when the app starts; registering afterwards throws', async () => {
  const app = createApp();
  const group = app.group('/g');
  app.get('/', () => 'x');
  await app.ready();
  assert.throws(() => app.get('/late', () => 'y'), /Cannot add route GET \/late: the app has started/);
  assert.throws(() => app.use((_c, n) => n()), /Cannot add middleware/);
  assert.throws(() => app.addHook('onRequest', () => {}), /the app has started/);
  assert.throws(() => app.onError(() => {}), /the app has started/);
  assert.throws(() => group.get('/late', () => 'z'), /the app has started/);
  assert.throws(() => app.group('/h'), /the app has started/);
  assert.throws(() => app.setErrorHandler(() => 'e'), /the app has started/);
  assert.throws(() => app.setNotFoundHandler(() => 'n'), /the app has started/);
  assert.throws(() => app.mount('/m', createApp()), /the app has started/);
  assert.equal((await app.inject('/')).body, 'x');

  // inject, fetch and nodeListener start the app as well
  for (const start of [(a: ReturnType<typeof createApp>) => a.inject('/'), (a: ReturnType<typeof createApp>) => a.fetch, (a: ReturnType<typeof createApp>) => a.nodeListener()]) {
    const other = createApp();
    other.get('/', () => 'x');
    await start(other);
    assert.throws(() => other.get('/late', () => 'y'), /the app has started/);
  }
});

test('hooks are checked when registered (route options when the app starts)', async () => {
  const app = createApp();
  // @ts-expect-error: not a hook name
  assert.throws(() => app.addHook('onSend', () => {}), /Unknown hook "onSend"/);
  // @ts-expect-error: not a function
  assert.throws(() => app.use('nope'), /Middleware must be a function/);
  // @ts-expect-error: missing handler
  assert.throws(() => app.get('/x', {}), /handler must be a function/);
  app.get('/bad-hook', { onRequest: 5 as never }, () => 'x');
  await assert.rejects(app.inject('/bad-hook'), /onRequest hooks must be functions/);
});

test('hookMiddleware: in a chain its hook runs in its place (no layer); it answers early or goes on, as a hook; called directly it does the same', async () => {
  const log: string[] = [];
  const hm = hookMiddleware((ctx) => {
    log.push(`hook ${ctx.path}`);
    if (ctx.path === '/answer') return 'from the hook';
    if (ctx.path === '/later') return Promise.resolve('from the hook, later');
    if (ctx.path === '/wrote') ctx.res.status(204).end();
    return undefined;
  });
  // the chain never calls the middleware function itself: it runs the hook under MIDDLEWARE_HOOK
  const onlyItsHook = Object.assign(() => {
    throw new Error('called as a layer');
  }, { [MIDDLEWARE_HOOK]: hm[MIDDLEWARE_HOOK] });
  const app = createApp();
  app.use(async (_ctx, next) => {
    log.push('outer in');
    const r = await next();
    log.push('outer out');
    return r;
  });
  app.use(onlyItsHook);
  app.get('/x', () => 'handler');
  app.get('/answer', () => 'handler');
  app.get('/later', () => 'handler');
  app.get('/wrote', () => 'handler');
  assert.equal((await app.inject('/x')).body, 'handler');
  assert.deepEqual(log.splice(0), ['outer in', 'hook /x', 'outer out']);
  assert.equal((await app.inject('/answer')).body, 'from the hook');
  assert.equal((await app.inject('/later')).body, 'from the hook, later');
  const wrote = await app.inject('/wrote');
  assert.equal(wrote.statusCode, 204);
  assert.equal(wrote.body, '');

  // called directly: the hook, then next() unless it answered
  const res = { headersSent: false, status: () => res, end: () => {} };
  const next = () => 'next';
  assert.equal(hm({ path: '/x', res } as never, next), 'next');
  assert.equal(hm({ path: '/answer', res } as never, next), 'from the hook');
  assert.equal(await hm({ path: '/later', res } as never, next), 'from the hook, later');
});
