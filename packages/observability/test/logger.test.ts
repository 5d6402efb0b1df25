// The request log: one structured line per request with route, status, duration, bytes and
// request id; errors with their stack at level error; secrets redacted; ctx.log a child with the
// request id; nothing observed when the logger writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, InternalServerErrorException } from '@armature/core';
import { createLogger, logErrors, requestLogger } from '@armature/observability/logger';
import { capturedLogger } from './capture.fixture.js';

test('one line per request: method, path, route pattern, status, duration, bytes, request id', async () => {
  const { logger, lines } = capturedLogger();
  const app = createApp();
  app.use(requestLogger({ logger }));
  app.get('/users/:id', (ctx) => ({ id: ctx.params.id }));
  const r = await app.inject({ url: '/users/42?token=secret', headers: { 'x-request-id': 'abc-123' } });
  assert.equal(r.statusCode, 200);
  assert.equal(lines.length, 1);
  const line = lines[0]!;
  assert.equal(line.level, 30);
  assert.equal(line.msg, 'request completed');
  assert.equal(line.method, 'GET');
  assert.equal(line.url, '/users/42'); // no query string: it may carry secrets
  assert.equal(line.route, '/users/:id');
  assert.equal(line.status, 200);
  assert.equal(line.reqId, 'abc-123');
  assert.equal(line.bytes, Buffer.byteLength(r.body));
  assert.ok(typeof line.durationMs === 'number' && line.durationMs >= 0 && line.durationMs < 1000);
  assert.equal(line.pid, process.pid);
  assert.equal('worker' in line, false); // not a worker: no worker field
});

test('404s are logged with a null route; an ill-formed incoming id is replaced', async () => {
  const { logger, lines } = capturedLogger();
  const app = createApp();
  app.use(requestLogger({ logger }));
  await app.inject({ url: '/missing', headers: { 'x-request-id': 'bad id\twith spaces' } });
  assert.equal(lines[0]!.status, 404);
  assert.equal(lines[0]!.route, null);
  assert.match(String(lines[0]!.reqId), /^[0-9a-z]+-[0-9a-z]+$/);
});

test('a 500 is logged at level error with the error; a 4xx at info without it', async () => {
  const { logger, lines } = capturedLogger();
  const app = createApp({ onError: () => {} });
  app.use(requestLogger({ logger }));
  app.get('/boom', () => {
    throw new Error('kaput');
  });
  app.get('/async-boom', async () => {
    await new Promise((r) => setTimeout(r, 1));
    throw new InternalServerErrorException('later');
  });
  app.get('/bad', () => {
    throw new (class extends Error {})('x');
  });
  app.get('/teapot', (ctx) => {
    ctx.status(418);
    return 'short and stout';
  });
  await app.inject('/boom');
  await app.inject('/async-boom');
  await app.inject('/teapot');
  assert.equal(lines[0]!.level, 50);
  assert.equal(lines[0]!.status, 500);
  assert.equal(lines[0]!.err.message, 'kaput');
  assert.match(lines[0]!.err.stack, /logger\.test\.ts/);
  assert.equal(lines[1]!.level, 50);
  assert.equal(lines[1]!.err.message, 'later');
  assert.equal(lines[2]!.level, 30);
  assert.equal(lines[2]!.status, 418);
  assert.equal(lines[2]!.err, undefined);
});

test('headers: authorization and cookies are redacted', async () => {
  const { logger, lines } = capturedLogger();
  const app = createApp();
  app.use(requestLogger({ logger, headers: true }));
  app.get('/', () => 'ok');
  await app.inject({ url: '/', headers: { authorization: 'Bearer s3cret', cookie: 'sid=s3cret', 'x-api-key': 'k', accept: 'text/plain' } });
  const headers = lines[0]!.req.headers;
  assert.equal(headers.authorization, '[Redacted]');
  assert.equal(headers.cookie, '[Redacted]');
  assert.equal(headers['x-api-key'], '[Redacted]');
  assert.equal(headers.accept, 'text/plain');
  assert.ok(!JSON.stringify(lines).includes('s3cret'));
});

test('ctx.log is a child logger with the request id; ignored paths are not logged', async () => {
  const { logger, lines } = capturedLogger();
  const app = createApp();
  app.use(requestLogger({ logger, ignore: ['/health'] }));
  app.get('/work', (ctx) => {
    ctx.log.info({ step: 1 }, 'working');
    return 'done';
  });
  app.get('/health', () => 'ok');
  await app.inject({ url: '/work', headers: { 'x-request-id': 'req-7' } });
  await app.inject('/health');
  assert.equal(lines.length, 2);
  assert.deepEqual([lines[0]!.msg, lines[0]!.reqId, lines[0]!.step], ['working', 'req-7', 1]);
  assert.equal(lines[1]!.msg, 'request completed');
});

test('streams: bytes counted across writes', async () => {
  const { logger, lines } = capturedLogger();
  const app = createApp();
  app.use(requestLogger({ logger }));
  app.get('/stream', () => (async function* () {
    yield 'héllo ';
    yield 'world';
  })());
  const r = await app.inject('/stream');
  assert.equal(r.body, 'héllo world');
  assert.equal(lines[0]!.bytes, Buffer.byteLength('héllo world'));
});

test('level silent: the middleware observes nothing (no wrapper on the response)', async () => {
  const logger = createLogger({ level: 'silent' });
  const app = createApp();
  app.use(requestLogger({ logger }));
  let wrapped: boolean | null = null;
  app.get('/', (ctx) => {
    wrapped = Object.prototype.hasOwnProperty.call(ctx.res, 'end');
    return 'ok';
  });
  await app.inject('/');
  assert.equal(wrapped, false);
});

test('LOG_LEVEL sets the level; a bad level is a clear error', () => {
  const saved = process.env.LOG_LEVEL;
  try {
    process.env.LOG_LEVEL = 'warn';
    assert.equal(createLogger({ destination: { write() {} } }).level, 'warn');
    process.env.LOG_LEVEL = 'loud';
    assert.throws(() => createLogger({ destination: { write() {} } }), /Log level must be one of .* not "loud"/);
  } finally {
    if (saved === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = saved;
  }
});

test('logErrors reports unexpected errors through the logger', async () => {
  const { logger, lines } = capturedLogger();
  const app = createApp({ onError: logErrors(logger) });
  app.get('/', () => {
    throw new TypeError('oops');
  });
  await app.inject('/');
  const reported = lines.find((l) => l.msg === 'unhandled error');
  assert.ok(reported);
  assert.equal(reported.level, 50);
  assert.equal(reported.err.type, 'TypeError');
});

test('bufferSize: lines are batched into a file, written within flushInterval and on end', async () => {
  const { mkdtempSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const file = join(mkdtempSync(join(tmpdir(), 'obs-log-')), 'sub', 'app.log');
  const logger = createLogger({ destination: file, bufferSize: 4096, flushInterval: 50, pretty: false });
  logger.info({ n: 1 }, 'first');
  assert.equal(readFileSync(file, 'utf8'), ''); // still buffered
  await new Promise((r) => setTimeout(r, 200));
  assert.match(readFileSync(file, 'utf8'), /"msg":"first"/);
  for (let i = 0; i < 200; i++) logger.info({ i }, 'many'); // over the buffer: written without waiting for the timer
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 20));
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  assert.ok(lines.length > 100, `${lines.length} lines written`);
  const { default: pino } = await import('pino');
  (logger as unknown as Record<symbol, { end(): void }>)[pino.symbols.streamSym]!.end(); // closes the file
  assert.throws(() => createLogger({ bufferSize: -1 }), /bufferSize must be a whole number/);
});
