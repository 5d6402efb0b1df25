// The request log: one structured line per request with route, status, duration, bytes and
// request id; errors with their stack at level error; secrets redacted; ctx.log a child with the
// request id; nothing observed when the logger writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, InternalServerErrorException } from '@armature/core';
import { createLogger, logErrors, requestLogger } from '@armature/observability/logger';
import { capturedLogger } from './capture.fixture.js';
import { leaveMidResponse } from '../../../scripts/test-support/leave-mid-response.js';

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

test('a client leaving mid-stream: one line, aborted, with the bytes sent; the response object keeps its shape', async () => {
  const { logger, lines } = capturedLogger();
  const app = createApp();
  app.use(requestLogger({ logger }));
  let ownKeys: Array<string | symbol> = [];
  app.get('/endless', async (ctx) => {
    ownKeys = [...Object.getOwnPropertySymbols(ctx.res), ...['end', 'write', 'abort'].filter((k) => Object.hasOwn(ctx.res, k))];
    while (!ctx.res.finished) {
      ctx.res.write('x'.repeat(10));
      await new Promise((r) => setTimeout(r, 5));
    }
  });
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    await leaveMidResponse(port, '/endless');
    for (let i = 0; i < 200 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.aborted, true);
    assert.equal(lines[0]!.status, 200);
    assert.ok(lines[0]!.bytes >= 10 && lines[0]!.bytes % 10 === 0, `${lines[0]!.bytes} bytes`);
    assert.deepEqual(ownKeys, [], 'no wrapper or symbol put on the response');
  } finally {
    await app.close();
  }
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

test('the request line assembled by hand is the line pino itself writes (a `fields` option sends it through pino)', async () => {
  const { default: pino } = await import('pino');
  const variants: Array<Record<string, unknown>> = [
    {},
    { pino: { formatters: { level: (label: string) => ({ severity: label }) } }, name: 'svc', base: { region: 'eu' } },
    { pino: { timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'message' } },
  ];
  for (const options of variants) {
    const raw: string[] = [];
    const logger = createLogger({ ...options, level: 'info', destination: { write: (line: string) => void raw.push(line) } });
    const app = createApp();
    const byHand = createApp();
    app.use(requestLogger({ logger, fields: () => ({}) }));
    byHand.use(requestLogger({ logger }));
    for (const a of [app, byHand]) {
      a.get('/users/:id', (ctx) => ({ id: ctx.params.id }));
      a.get('/q"uote\\d/:x', () => 'odd route');
      a.route('PURGE', '/cache', () => 'purged');
    }
    const requests = [
      { url: '/users/42?token=x', headers: { 'x-request-id': 'abc-123' } },
      { url: '/missing/ü/%22', headers: { 'x-request-id': 'r-2' } },
      { url: '/q%22uote%5Cd/1', headers: { 'x-request-id': 'r-3' } },
      { url: '/cache', method: 'PURGE', headers: { 'x-request-id': 'r-4' } },
    ];
    for (const request of requests) {
      raw.length = 0;
      await app.inject(request);
      await byHand.inject(request);
      assert.equal(raw.length, 2);
      // the same text but for the time and the duration
      const [viaPino, assembled] = raw.map((l) => l.replace(/"time":("[^"]*"|\d+)/, '"time":T').replace(/"durationMs":[\d.e-]+/, '"durationMs":D'));
      assert.equal(assembled, viaPino, JSON.stringify(options));
      assert.doesNotThrow(() => JSON.parse(raw[1]!));
    }
  }
});

test('what the hand-assembled line cannot honour goes through pino: a mixin, a redacted field, a listener on pino_asJson', async () => {
  const { lines: mixed, logger: withMixin } = capturedLogger({ pino: { mixin: () => ({ extra: 1 }) } });
  const { lines: redacted, logger: withRedact } = capturedLogger({ redact: ['url'] });
  for (const logger of [withMixin, withRedact]) {
    const app = createApp();
    app.use(requestLogger({ logger }));
    app.get('/', () => 'ok');
    await app.inject('/');
  }
  assert.equal(mixed[0]!.extra, 1);
  assert.equal(redacted[0]!.url, '[Redacted]');
  const { tracingChannel } = await import('node:diagnostics_channel');
  const seen: unknown[] = [];
  const channel = tracingChannel('pino_asJson');
  const handlers = { start: (m: unknown) => void seen.push(m), end() {}, asyncStart() {}, asyncEnd() {}, error() {} };
  channel.subscribe(handlers);
  try {
    const { lines, logger } = capturedLogger();
    const app = createApp();
    app.use(requestLogger({ logger }));
    app.get('/', () => 'ok');
    await app.inject('/');
    assert.equal(lines.length, 1);
    assert.equal(seen.length, 1); // pino formatted it, so its tracing saw it
  } finally {
    channel.unsubscribe(handlers);
  }
});

test('numbers written as bytes print as JavaScript prints them: durations as Math.round(ms * 1000) / 1000, whole numbers as String(n)', async () => {
  const { writeMs, writeUint } = await import('../src/ascii-bytes.js');
  const into = Buffer.alloc(64);
  const printed = (write: (into: Buffer, at: number, n: number) => number, n: number) => into.toString('latin1', 3, write(into, 3, n));
  const samples = [0, 0.0004, 0.0005, 0.001, 0.01, 0.1, 0.5, 0.764, 1, 1.5, 1.05, 1.005, 2.1004, 12.34, 999.9999, 1234.5, 65_432.1, 3e6 + 0.25, 1e9, 1e12 + 0.5, -0.25];
  for (let i = 0; i < 20_000; i++) samples.push(Math.random() * 10 ** ((i % 8) - 2));
  for (const ms of samples) assert.equal(printed(writeMs, ms), String(Math.round(ms * 1000) / 1000), String(ms));
  const whole = [0, 9, 10, 99, 100, 12345, 2 ** 31, 2 ** 32 + 7, Number.MAX_SAFE_INTEGER];
  for (let i = 0; i < 5_000; i++) whole.push(Math.floor(Math.random() * 10 ** (i % 16)));
  for (const n of whole) assert.equal(printed(writeUint, n), String(n));
  for (const n of whole) assert.equal(into.toString('latin1', 3, writeUint(into, 3, n, 36)), n.toString(36));
});

test('level silent: the middleware only calls next() (it reads nothing of the context but whether the response was sent, as every hook-made middleware does)', () => {
  const middleware = requestLogger({ logger: createLogger({ level: 'silent' }) });
  const touched: PropertyKey[] = [];
  const res = { headersSent: false };
  const ctx = new Proxy({}, { get: (_t, key) => (touched.push(key), key === 'res' ? res : undefined), set: (_t, key) => (touched.push(key), true) });
  const result = {};
  assert.equal(middleware(ctx as never, () => result as never), result);
  assert.deepEqual(touched, ['res']);
});

test('the request line\'s time is the wall clock to within about a millisecond, without a clock read of its own', async () => {
  const { performance } = await import('node:perf_hooks');
  const { wallClockAt } = await import('../src/logger/request-line.js');
  for (let i = 0; i < 5; i++) {
    const before = Date.now();
    const at = wallClockAt(performance.now());
    const after = Date.now();
    assert.ok(at >= before - 2 && at <= after + 2, `${at} within [${before}, ${after}]`);
    await new Promise((r) => setTimeout(r, 300));
  }
});

test('made-up request ids: the process id and a counter in base 36, one more each time; written as bytes the same', async () => {
  const { nextRequestId, requestIdText, writeRequestId } = await import('../src/request-ids.js');
  const prefix = `${process.pid.toString(36)}-`;
  let previous = -1;
  for (let i = 0; i < 2000; i++) {
    const id = nextRequestId();
    assert.ok(id.startsWith(prefix), id);
    const n = parseInt(id.slice(prefix.length), 36);
    assert.equal(id, prefix + n.toString(36));
    if (previous !== -1) assert.equal(n, previous + 1);
    previous = n;
  }
  const into = Buffer.alloc(64);
  for (const n of [1, 35, 36, 1295, 1296, 46_655, 2 ** 31, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER]) {
    assert.equal(into.toString('latin1', 1, writeRequestId(into, 1, n)), requestIdText(n));
  }
});
