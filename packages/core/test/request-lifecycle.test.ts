// The request lifecycle (docs/request-lifecycle.md): the order of every step, guards before the
// body is read, every answer of the app through its middleware and hooks, filters that see every
// error, interceptors that see the outcome, and headers set after the head was sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { z } from 'zod';
import { createApp, type App } from '../src/app/app.js';
import type { Context } from '../src/app/context.js';
import { RequestBody } from '../src/http/body.js';
import { HttpError, NotFoundException, UnauthorizedException } from '../src/http/errors.js';
import {
  Armature, Catch, Controller, Get, Injectable, Module, Post, UseFilters, UseGuards, UseInterceptors,
  type CanActivate, type Ctx, type ExceptionFilter, type Interceptor,
} from '../src/di/index.js';

const Person = z.object({ name: z.string().min(1) });

/** Counts reads of request bodies while `fn` runs. */
async function countBodyReads(fn: () => Promise<void>): Promise<number> {
  const proto = RequestBody.prototype as unknown as Record<string | symbol, (...args: unknown[]) => unknown>;
  const names: Array<string | symbol> = ['bytes', 'json', 'text', 'stream', Symbol.asyncIterator];
  const originals = new Map<string | symbol, (...args: unknown[]) => unknown>();
  let reads = 0;
  for (const name of names) {
    const original = proto[name];
    if (typeof original !== 'function') continue;
    originals.set(name, original);
    proto[name] = function (this: unknown, ...args: unknown[]) {
      reads++;
      return original.apply(this, args);
    };
  }
  try {
    await fn();
  } finally {
    for (const [name, original] of originals) proto[name] = original;
  }
  return reads;
}

const bearer: CanActivate = {
  canActivate(ctx) {
    if (ctx.get('authorization') !== 'Bearer good') throw new UnauthorizedException('log in first', { headers: { 'WWW-Authenticate': 'Bearer' } });
    return true;
  },
};

@Controller('/people') @UseGuards(bearer)
class PeopleController {
  @Post('/', { schema: { body: Person }, bodyLimit: 64 }) create(ctx: Context<{}, {}, z.infer<typeof Person>>) { return { created: ctx.body.name }; }
}
@Module({ controllers: [PeopleController] }) class PeopleModule {}

test('a guard that denies answers 401 before the body is read: no validation issues, no 413/415', async () => {
  const armature = await Armature.create(PeopleModule, { onError: () => {} });
  const cases = [
    { body: { name: '' }, why: 'invalid' },
    { body: { name: 'x'.repeat(500) }, why: 'larger than the limit' },
    { body: 'not json', headers: { 'content-type': 'text/plain' }, why: 'wrong media type' },
  ];
  for (const c of cases) {
    let res: Awaited<ReturnType<Armature['inject']>> | undefined;
    const reads = await countBodyReads(async () => {
      res = await armature.inject({ method: 'POST', url: '/people', body: c.body, headers: c.headers });
    });
    assert.equal(res!.statusCode, 401, c.why);
    assert.equal(res!.headers['www-authenticate'], 'Bearer');
    assert.doesNotMatch(res!.body, /issues|limit|Content-Type/, c.why);
    assert.equal(reads, 0, `the body was not touched (${c.why})`);
  }
  const ok = await armature.inject({ method: 'POST', url: '/people', body: { name: 'Ada' }, headers: { authorization: 'Bearer good' } });
  assert.deepEqual(ok.json(), { created: 'Ada' });
  const bad = await armature.inject({ method: 'POST', url: '/people', body: { name: '' }, headers: { authorization: 'Bearer good' } });
  assert.equal(bad.statusCode, 400);
});

test('over a socket: the 401 goes out while the client has not sent the announced body', async () => {
  const armature = await Armature.create(PeopleModule, { onError: () => {}, maxBodySize: 1 << 20 });
  const { port } = await armature.listen({ port: 0, host: '127.0.0.1' });
  try {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.write('POST /people HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500000\r\n\r\n{"na');
    const deadline = Date.now() + 5000;
    while (!text.includes('\r\n\r\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    socket.destroy();
    assert.match(text, /^HTTP\/1\.1 401 /, 'answered without waiting for the body');
  } finally {
    await armature.close();
  }
});

test('order: onRequest → middleware → guards → interceptors → body read + validation → preHandler → handler → interceptors → onResponse', async () => {
  const log: string[] = [];
  const logged = z.object({ n: z.number() }).transform((v) => (log.push('validation'), v));
  const guard: CanActivate = { canActivate: () => (log.push('guard'), true) };
  const around: Interceptor = {
    async intercept(_ctx, next) {
      log.push('interceptor before');
      const value = await next();
      log.push('interceptor after');
      return value;
    },
  };
  @Controller('/o') @UseGuards(guard) @UseInterceptors(around)
  class OrderController {
    @Post('/', { schema: { body: logged }, preHandler: () => void log.push('preHandler') })
    create() { log.push('handler'); return 'ok'; }
  }
  @Module({ controllers: [OrderController] }) class OrderModule {}
  const app = createApp();
  app.onRequest(() => void log.push('onRequest'));
  app.use(async (_ctx, next) => {
    log.push('middleware before');
    const value = await next();
    log.push('middleware after');
    return value;
  });
  app.onResponse(() => void log.push('onResponse'));
  const armature = await Armature.create(OrderModule, { app });
  const reads = await countBodyReads(async () => {
    await armature.inject({ method: 'POST', url: '/o', body: { n: 1 } });
  });
  assert.ok(reads > 0);
  assert.deepEqual(log, ['onRequest', 'middleware before', 'guard', 'interceptor before', 'validation', 'preHandler', 'handler', 'interceptor after', 'middleware after', 'onResponse']);
});

/** An app whose middleware and hooks mark every answer, with routes that fail each way. */
function markedApp(): App {
  const app = createApp({ onError: () => {} });
  app.use((ctx, next) => {
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.append('Vary', 'Origin');
    return next();
  });
  app.onRequest((ctx) => void ctx.set('X-Request-Id', 'r-1'));
  app.get('/users/:id', (ctx) => ctx.params.id);
  app.post('/people', { schema: { body: Person } }, (ctx) => ctx.body);
  app.post('/small', { bodyLimit: 8 }, (ctx) => ctx.text());
  return app;
}

const FAILURES: Array<{ what: string; method?: string; url: string; body?: unknown; headers?: Record<string, string>; status: number }> = [
  { what: 'malformed percent-escape in the path', url: '/users/%zz', status: 400 },
  { what: 'no route', url: '/nowhere', status: 404 },
  { what: 'wrong method', method: 'DELETE', url: '/users/1', status: 405 },
  { what: 'validation', method: 'POST', url: '/people', body: { name: '' }, status: 400 },
  { what: 'body over the limit', method: 'POST', url: '/small', body: 'x'.repeat(100), headers: { 'content-type': 'text/plain' }, status: 413 },
  { what: 'wrong media type', method: 'POST', url: '/small', body: 'abc', headers: { 'content-type': 'image/png' }, status: 415 },
];

test('every answer of the app passes through its middleware and hooks (400, 404, 405, validation, 413, 415)', async () => {
  const app = markedApp();
  for (const f of FAILURES) {
    const res = await app.inject({ method: f.method, url: f.url, body: f.body, headers: f.headers });
    assert.equal(res.statusCode, f.status, f.what);
    assert.equal(res.headers['access-control-allow-origin'], '*', `middleware ran: ${f.what}`);
    assert.equal(res.headers.vary, 'Origin', f.what);
    assert.equal(res.headers['x-request-id'], 'r-1', `onRequest ran: ${f.what}`);
    assert.equal(res.headers['content-type'], 'application/problem+json', f.what);
    assert.equal(res.json<{ instance: string }>().instance, f.url.split('?')[0], f.what);
  }
});

test('exception filters see every error of a request: validation, 404, 405, 413, 415, guard denials, handler errors', async () => {
  const seen: Array<[string, number]> = [];
  @Catch()
  class Everything implements ExceptionFilter {
    catch(error: unknown, ctx: Ctx) {
      const status = error instanceof HttpError ? error.status : 500;
      seen.push([ctx.path, status]);
      return { filtered: status };
    }
  }
  @Catch(NotFoundException)
  class RouteNotFound implements ExceptionFilter<NotFoundException> {
    catch(error: NotFoundException) { return { route: error.status }; }
  }
  @Controller('/f')
  class FController {
    @UseGuards({ canActivate: () => false }) @Get('/denied') denied() { return 'never'; }
    @Post('/people', { schema: { body: Person } }) people() { return 'never'; }
    @Post('/small', { bodyLimit: 8 }) small(ctx: Ctx) { return ctx.text(); }
    @Get('/boom') boom() { throw new Error('boom'); }
    @UseFilters(RouteNotFound) @Get('/gone') gone() { throw new NotFoundException(); }
  }
  @Module({ controllers: [FController] }) class FModule {}
  const armature = await Armature.create(FModule, { filters: [Everything], onError: () => {} });
  const expect = async (o: { method?: string; url: string; body?: unknown; headers?: Record<string, string> }, status: number, body: unknown) => {
    const res = await armature.inject(o);
    assert.equal(res.statusCode, status, o.url);
    assert.deepEqual(res.json(), body, o.url);
  };
  await expect({ url: '/f/denied' }, 403, { filtered: 403 });
  await expect({ method: 'POST', url: '/f/people', body: { name: '' } }, 400, { filtered: 400 });
  await expect({ method: 'POST', url: '/f/small', body: 'x'.repeat(100), headers: { 'content-type': 'text/plain' } }, 413, { filtered: 413 });
  await expect({ method: 'POST', url: '/f/small', body: 'abc', headers: { 'content-type': 'image/png' } }, 415, { filtered: 415 });
  await expect({ url: '/f/boom' }, 500, { filtered: 500 });
  await expect({ url: '/nowhere' }, 404, { filtered: 404 });
  await expect({ method: 'DELETE', url: '/f/boom' }, 405, { filtered: 405 });
  await expect({ url: '/f/gone' }, 404, { route: 404 });
  assert.deepEqual(seen.map(([, s]) => s), [403, 400, 413, 415, 500, 404, 405]);
});

test('a controller filter sees the validation error of its routes', async () => {
  @Catch() class Issues implements ExceptionFilter { catch(error: unknown) { return { count: (error as { issues?: unknown[] }).issues?.length ?? -1 }; } }
  @Controller('/v') @UseFilters(Issues)
  class VController { @Post('/', { schema: { body: Person } }) create() { return 'never'; } }
  @Module({ controllers: [VController] }) class VModule {}
  const armature = await Armature.create(VModule);
  const res = await armature.inject({ method: 'POST', url: '/v', body: {} });
  assert.equal(res.statusCode, 400);
  assert.deepEqual(res.json(), { count: 1 });
});

test('interceptors see the outcome: the status of an error that left next()', async () => {
  const statuses: number[] = [];
  const logStatus: Interceptor = {
    async intercept(ctx, next) {
      try {
        return await next();
      } finally {
        statuses.push(ctx.res.statusCode);
      }
    },
  };
  const syncLog: Interceptor = {
    intercept(ctx, next) {
      try {
        return next();
      } finally {
        statuses.push(ctx.res.statusCode);
      }
    },
  };
  @Controller('/i') @UseInterceptors(logStatus)
  class IController {
    @Get('/ok') ok() { return 'ok'; }
    @Get('/missing') missing() { throw new NotFoundException(); }
    @Get('/boom') async boom() { throw new Error('boom'); }
    @Post('/people', { schema: { body: Person } }) people() { return 'never'; }
    @UseInterceptors(syncLog) @Get('/sync') sync() { throw new UnauthorizedException(); }
  }
  @Module({ controllers: [IController] }) class IModule {}
  const armature = await Armature.create(IModule, { onError: () => {} });
  assert.equal((await armature.inject('/i/ok')).statusCode, 200);
  assert.equal((await armature.inject('/i/missing')).statusCode, 404);
  assert.equal((await armature.inject('/i/boom')).statusCode, 500);
  assert.equal((await armature.inject({ method: 'POST', url: '/i/people', body: {} })).statusCode, 400);
  assert.equal((await armature.inject('/i/sync')).statusCode, 401);
  assert.deepEqual(statuses, [200, 404, 500, 400, 401, 401]);
});

test('a timing interceptor around an event stream: the late header is ignored, the stream is not cut', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error & { code?: string }): void => void (w.code === 'ARMATURE_LATE_HEADER' && warnings.push(w.message));
  const printers = process.listeners('warning'); // Node's own printer: the expected warning stays out of the test output
  process.removeAllListeners('warning');
  process.on('warning', onWarning);
  const timing: Interceptor = {
    async intercept(ctx, next) {
      try {
        return await next();
      } finally {
        ctx.set('X-Response-Time', '1.000');
      }
    },
  };
  @Controller('/s') @UseInterceptors(timing)
  class SController {
    @Get('/events') events(ctx: Ctx) {
      const stream = ctx.sse({ heartbeat: 0 });
      let n = 0;
      const timer = setInterval(() => {
        stream.send({ data: `tick ${++n}` });
        if (n === 3) {
          clearInterval(timer);
          stream.close();
        }
      }, 5);
      return stream;
    }
    @Get('/plain') plain() { return 'plain'; }
  }
  @Module({ controllers: [SController] }) class SModule {}
  const armature = await Armature.create(SModule, { development: true });
  const { port } = await armature.listen({ port: 0, host: '127.0.0.1' });
  try {
    const res = await fetch(`http://127.0.0.1:${port}/s/events`);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const text = await res.text();
    assert.match(text, /data: tick 1\n\n[^]*data: tick 3\n\n/, 'the whole stream arrived');
    const plain = await fetch(`http://127.0.0.1:${port}/s/plain`);
    assert.equal(plain.headers.get('x-response-time'), '1.000', 'before the head is sent the header goes out');
    await new Promise((r) => setImmediate(r));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /X-Response-Time.*after the response head was sent/);
  } finally {
    process.off('warning', onWarning);
    for (const printer of printers) process.on('warning', printer);
    await armature.close();
  }
});
