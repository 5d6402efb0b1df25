// Errors: the HttpError classes, RFC 9457 answers, onError hooks, error and not-found handlers,
// hidden 5xx details, and one path for errors from hooks, middleware and handlers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BadRequestException,
  ConflictException,
  createApp,
  ForbiddenException,
  HttpError,
  HttpException,
  InternalServerErrorException,
  MethodNotAllowedException,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
  TooManyRequestsException,
  UnauthorizedException,
  UnprocessableEntityException,
  UnsupportedMediaTypeException,
  type InjectResult,
} from '../src/index.js';

type Problem = { type: string; title: string; status: number; detail?: string; instance?: string; [k: string]: unknown };
const problem = (r: InjectResult) => r.json<Problem>();

test('named HttpError classes carry their status, NestJS names, headers and extensions', async () => {
  const cases: Array<[HttpException, number, string]> = [
    [new BadRequestException(), 400, 'Bad Request'],
    [new UnauthorizedException(), 401, 'Unauthorized'],
    [new ForbiddenException(), 403, 'Forbidden'],
    [new NotFoundException(), 404, 'Not Found'],
    [new MethodNotAllowedException(), 405, 'Method Not Allowed'],
    [new ConflictException(), 409, 'Conflict'],
    [new PayloadTooLargeException(), 413, 'Content Too Large'],
    [new UnsupportedMediaTypeException(), 415, 'Unsupported Media Type'],
    [new UnprocessableEntityException(), 422, 'Unprocessable Content'],
    [new TooManyRequestsException(), 429, 'Too Many Requests'],
    [new InternalServerErrorException(), 500, 'Internal Server Error'],
    [new ServiceUnavailableException(), 503, 'Service Unavailable'],
  ];
  for (const [error, status, title] of cases) {
    assert.ok(error instanceof HttpError);
    assert.equal(error.status, status);
    assert.equal(error.message, title);
    assert.equal(error.expose, status < 500);
    assert.equal(error.name, error.constructor.name);
  }
  const app = createApp({ onError: () => {} });
  app.get('/limited', () => {
    throw new TooManyRequestsException('Slow down', { headers: { 'Retry-After': '30' }, extensions: { limit: 100, status: 'overridden?' } });
  });
  app.get('/auth', () => {
    throw new UnauthorizedException('Token expired', { headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
  });
  app.get('/method', () => {
    throw new MethodNotAllowedException(undefined, { allowed: ['GET', 'HEAD'] });
  });
  const limited = await app.inject('/limited');
  assert.equal(limited.statusCode, 429);
  assert.equal(limited.headers['retry-after'], '30');
  assert.equal(limited.headers['content-type'], 'application/problem+json');
  assert.deepEqual(problem(limited), { type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'Slow down', instance: '/limited', limit: 100 });
  const auth = await app.inject('/auth');
  assert.equal(auth.headers['www-authenticate'], 'Bearer error="invalid_token"');
  assert.equal((await app.inject('/method')).headers.allow, 'GET, HEAD');
});

test('default answers: problem+json with instance; 5xx details hidden unless development', async () => {
  const reported: unknown[] = [];
  const make = (development: boolean) => {
    const app = createApp({ development, onError: (e) => reported.push(e) });
    app.get('/boom', () => {
      throw new Error('database password is hunter2');
    });
    app.get('/unavailable', () => {
      throw new ServiceUnavailableException('maintenance until 5pm', { expose: true });
    });
    app.get('/teapot', () => {
      throw new HttpError(418, "I'm short and stout");
    });
    app.get('/not-an-error-status', () => {
      throw new HttpError(302, 'odd');
    });
    app.get('/string', () => {
      throw 'a string';
    });
    return app;
  };
  const prod = make(false);
  const boom = await prod.inject('/boom');
  assert.equal(boom.statusCode, 500);
  assert.deepEqual(problem(boom), { type: 'about:blank', title: 'Internal Server Error', status: 500, instance: '/boom' });
  assert.doesNotMatch(boom.body, /hunter2/);
  assert.equal(reported.length, 1);
  assert.equal(problem(await prod.inject('/unavailable')).detail, 'maintenance until 5pm');
  assert.equal(problem(await prod.inject('/teapot')).detail, "I'm short and stout");
  assert.equal((await prod.inject('/not-an-error-status')).statusCode, 500);
  assert.equal((await prod.inject('/string')).statusCode, 500);

  const dev = make(true);
  const devBoom = problem(await dev.inject('/boom'));
  assert.match(devBoom.detail!, /database password is hunter2\n\s+at /);
  // 4xx keep their message in development too
  assert.equal(problem(await dev.inject('/teapot')).detail, "I'm short and stout");
});

test('errors thrown by hooks, middleware and handlers (sync or async) all take the same path', async () => {
  const seen: string[] = [];
  const app = createApp({ onError: () => {} });
  app.onError((error, ctx) => void seen.push(`${ctx.path}: ${(error as Error).message}`));
  const fail = (where: string) => (ctx: { get(n: string): string | undefined }) => {
    if (ctx.get('x-fail') === where) throw new ConflictException(`from ${where}`);
  };
  app.onRequest(fail('onRequest'));
  app.use(async (ctx, next) => {
    fail('middleware')(ctx);
    return next();
  });
  app.preHandler(async (ctx) => fail('preHandler')(ctx));
  app.get('/', async (ctx) => {
    fail('handler')(ctx);
    return 'ok';
  });
  for (const where of ['onRequest', 'middleware', 'preHandler', 'handler']) {
    const r = await app.inject({ url: '/', headers: { 'x-fail': where } });
    assert.equal(r.statusCode, 409, where);
    assert.equal(problem(r).detail, `from ${where}`);
  }
  assert.deepEqual(seen, ['/: from onRequest', '/: from middleware', '/: from preHandler', '/: from handler']);
  assert.equal((await app.inject('/')).body, 'ok');
});

test('onError hooks: innermost first, may answer; the error handler: nearest scope, may translate', async () => {
  const log: string[] = [];
  const app = createApp({ onError: () => {} });
  app.onError(() => void log.push('app onError'));
  app.setErrorHandler((error, ctx) => {
    log.push('app handler');
    if (error instanceof NotFoundException) return { custom: true, status: ctx.res.statusCode };
    if ((error as Error).message === 'translate') throw new UnprocessableEntityException('translated');
    return undefined; // the default answer
  });
  app.get('/missing', () => {
    throw new NotFoundException('no such thing');
  });
  app.get('/translate', () => {
    throw new Error('translate');
  });
  app.get('/default', () => {
    throw new ForbiddenException();
  });
  app.get('/route-answers', { onError: (error) => ({ routeAnswered: (error as Error).message }) }, () => {
    throw new Error('oops');
  });
  app.get('/response', { onError: () => new Response('plain', { status: 418, headers: { 'content-type': 'text/plain' } }) }, () => {
    throw new Error('x');
  });
  app.get('/stale-headers', (ctx) => {
    ctx.set('Content-Type', 'text/csv').set('ETag', '"v1"').set('X-Request-Id', 'r1');
    throw new BadRequestException('bad csv');
  });
  app.group('/api', (api) => {
    api.setErrorHandler((error) => ({ api: true, message: (error as Error).message }));
    api.onError(() => void log.push('api onError'));
    api.get('/x', () => {
      throw new Error('from api');
    });
  });

  const missing = await app.inject('/missing');
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(missing.json(), { custom: true, status: 404 });
  const translated = await app.inject('/translate');
  assert.equal(translated.statusCode, 422);
  assert.equal(problem(translated).detail, 'translated');
  assert.equal((await app.inject('/default')).statusCode, 403);
  const routeAnswered = await app.inject('/route-answers');
  assert.equal(routeAnswered.statusCode, 500);
  assert.deepEqual(routeAnswered.json(), { routeAnswered: 'oops' });
  const response = await app.inject('/response');
  assert.equal(response.statusCode, 418);
  assert.equal(response.body, 'plain');
  const stale = await app.inject('/stale-headers');
  assert.equal(stale.headers['content-type'], 'application/problem+json');
  assert.equal(stale.headers.etag, undefined);
  assert.equal(stale.headers['x-request-id'], 'r1');
  const api = await app.inject('/api/x');
  assert.equal(api.statusCode, 500);
  assert.deepEqual(api.json(), { api: true, message: 'from api' });
  // route-level onError hooks answered /route-answers and /response before the app's ran
  assert.deepEqual(log, ['app onError', 'app handler', 'app onError', 'app handler', 'app onError', 'app handler', 'app onError', 'app handler', 'api onError', 'app onError']);
});

test('failing error hooks and handlers are reported; the default answer still goes out', async () => {
  const reported: string[] = [];
  const app = createApp({ onError: (e) => reported.push((e as Error).message) });
  app.onError(() => {
    throw new Error('hook broke');
  });
  app.setErrorHandler(() => {
    throw new Error('handler broke');
  });
  app.get('/', () => {
    throw new ConflictException('original');
  });
  const r = await app.inject('/');
  assert.equal(r.statusCode, 500);
  assert.deepEqual(reported, ['hook broke', 'handler broke']);
});

test('not found: default 404/405, custom handler (with app hooks), per-prefix handlers', async () => {
  const log: string[] = [];
  const app = createApp();
  app.onRequest((ctx) => void log.push(`onRequest ${ctx.path}`));
  app.get('/users/:id', () => 'user');
  const plain = await app.inject('/nope');
  assert.equal(plain.statusCode, 404);
  assert.deepEqual(problem(plain), { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No route for GET /nope', instance: '/nope' });
  const wrongMethod = await app.inject({ method: 'POST', url: '/users/1' });
  assert.equal(wrongMethod.statusCode, 405);
  assert.equal(wrongMethod.headers.allow, 'GET, HEAD');
  assert.deepEqual(log, ['onRequest /nope', 'onRequest /users/1']);

  const custom = createApp();
  custom.get('/users/:id', () => 'user');
  custom.setNotFoundHandler((ctx) => {
    ctx.status(404);
    return { message: `Nothing at ${ctx.path}` };
  });
  custom.group('/api', (api) => {
    api.setNotFoundHandler(() => {
      throw new NotFoundException('No such API');
    });
    api.get('/ping', () => 'pong');
  });
  const c = await custom.inject('/nope');
  assert.equal(c.statusCode, 404);
  assert.deepEqual(c.json(), { message: 'Nothing at /nope' });
  assert.equal((await custom.inject({ method: 'DELETE', url: '/users/1' })).statusCode, 405);
  const apiMiss = await custom.inject('/api/nope');
  assert.equal(problem(apiMiss).detail, 'No such API');
  assert.equal(problem(await custom.inject('/api')).detail, 'No such API');
  assert.deepEqual((await custom.inject('/apix')).json(), { message: 'Nothing at /apix' });
  assert.equal((await custom.inject('/api/ping')).body, 'pong');
});

test('a malformed percent-escape in a parameter is a 400 through the app error path', async () => {
  const seen: number[] = [];
  const app = createApp();
  app.onError((_e, ctx) => void seen.push(ctx.res.statusCode));
  app.get('/files/:name', (ctx) => ctx.params.name);
  const r = await app.inject('/files/%E0%A4%A');
  assert.equal(r.statusCode, 400);
  assert.match(problem(r).detail!, /percent-encoding/);
  assert.deepEqual(seen, [400]);
});

test('validation-style errors: an issues array becomes a problem member', async () => {
  class Invalid extends HttpError {
    readonly issues = [{ in: 'body', path: '/age', message: 'Expected number' }];
    constructor() {
      super(400, 'Invalid body');
    }
  }
  const app = createApp();
  app.post('/', () => {
    throw new Invalid();
  });
  const r = await app.inject({ method: 'POST', url: '/' });
  assert.deepEqual(problem(r), { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'Invalid body', instance: '/', issues: [{ in: 'body', path: '/age', message: 'Expected number' }] });
});

test('an error after the head was sent cuts the response short; the app keeps serving', async () => {
  const reported: unknown[] = [];
  const app = createApp({ onError: (e) => reported.push(e) });
  app.get('/partial', () =>
    (async function* () {
      yield 'first';
      throw new Error('stream broke');
    })(),
  );
  app.get('/ok', () => 'ok');
  const r = await app.inject('/partial');
  assert.equal(r.body, 'first');
  assert.equal(reported.length, 1);
  assert.equal((await app.inject('/ok')).body, 'ok');
});
