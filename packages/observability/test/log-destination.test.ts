// Where the log lines go by default: gathered in a buffer and written once per event-loop turn
// (or when the buffer is full, or on logger.flush(), process exit, app and DI shutdown), so
// that no line of an answered request is lost when the app closes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Armature, Controller, Get, Module, createApp } from '@armature/core';
import { createLogger, requestLogger } from '@armature/observability/logger';
import { LoggerModule } from '@armature/observability/modules';

const logFile = () => join(mkdtempSync(join(tmpdir(), 'obs-dest-')), 'app.log');
const linesOf = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, any>);
const turn = () => new Promise((r) => setImmediate(r));

test('default: lines are buffered and written at the end of the event-loop turn, one write for the turn', async () => {
  const file = logFile();
  const logger = createLogger({ destination: file, pretty: false });
  logger.info({ n: 1 }, 'first');
  logger.info({ n: 2 }, 'second');
  assert.equal(readFileSync(file, 'utf8'), ''); // still in the buffer during this turn
  await turn();
  assert.deepEqual(linesOf(file).map((l) => l.n), [1, 2]);
  logger.info({ text: 'héllo ✓ 𝄞' }, 'not ASCII');
  await turn();
  assert.equal(linesOf(file)[2]!.text, 'héllo ✓ 𝄞');
});

test('a full buffer is written at once; logger.flush() writes what waits', async () => {
  const file = logFile();
  const logger = createLogger({ destination: file, pretty: false, bufferSize: 1024, flushInterval: 60_000 });
  logger.info('one');
  assert.equal(readFileSync(file, 'utf8'), '');
  for (let i = 0; i < 20; i++) logger.info({ i }, 'filler line to go over the buffer');
  const written = linesOf(file).length;
  assert.ok(written >= 5 && written < 21, `${written} lines written synchronously`);
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  assert.equal(linesOf(file).length, 21);
});

test('bufferSize 0: each line goes to pino.destination as it comes', async () => {
  const file = logFile();
  const logger = createLogger({ destination: file, pretty: false, bufferSize: 0 });
  logger.info('unbuffered');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(linesOf(file)[0]!.msg, 'unbuffered');
  assert.throws(() => createLogger({ destination: file, flushInterval: -1 }), /flushInterval must be a number of ms ≥ 0/);
});

test("app.close(): the line of a request answered before, and of one still in flight, is in the file once close() resolves", async () => {
  const file = logFile();
  const app = createApp();
  app.use(requestLogger({ logger: createLogger({ destination: file, pretty: false }) }));
  let started!: () => void;
  const inHandler = new Promise<void>((r) => (started = r));
  app.get('/fast', () => 'fast');
  app.get('/slow', async () => {
    started();
    await new Promise((r) => setTimeout(r, 50));
    return 'slow';
  });
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  assert.equal(await (await fetch(`http://127.0.0.1:${port}/fast`)).text(), 'fast');
  const slow = fetch(`http://127.0.0.1:${port}/slow`).then((r) => r.text());
  await inHandler;
  await app.close({ timeout: 2000 });
  assert.deepEqual(linesOf(file).map((l) => [l.url, l.status]), [['/fast', 200], ['/slow', 200]]);
  assert.equal(await slow, 'slow');
});

test('DI: LoggerModule writes the buffered lines once in-flight requests have finished (onApplicationShutdown)', async () => {
  const file = logFile();
  @Controller('/')
  class HelloController {
    @Get('/hello')
    hello() {
      return 'hi';
    }
  }
  // flushInterval: lines would otherwise wait a minute; shutdown must not
  @Module({ imports: [LoggerModule.forRoot({ destination: file, pretty: false, flushInterval: 60_000 })], controllers: [HelloController] })
  class AppModule {}
  const app = await Armature.create(AppModule, { shutdownHooks: false });
  assert.equal((await app.inject('/hello')).statusCode, 200);
  assert.equal(readFileSync(file, 'utf8'), '');
  await app.close();
  assert.deepEqual(linesOf(file).map((l) => l.url), ['/hello']);
});

test('process exit writes what is buffered (process.exit() and an uncaught exception)', () => {
  for (const ending of ['process.exit(0)', "throw new Error('crash')"]) {
    const file = logFile();
    const script = `import { createLogger } from '@armature/observability/logger';
      const logger = createLogger({ destination: ${JSON.stringify(file)}, pretty: false, flushInterval: 60000 });
      logger.info('last words');
      ${ending};`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: import.meta.dirname, encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, ending.startsWith('throw') ? 1 : 0, r.stderr);
    assert.deepEqual(linesOf(file).map((l) => l.msg), ['last words'], ending);
  }
});

test('the request line written as bytes into the buffer is the line pino writes, for any path (UTF-8, escapes, a 404, a made-up id)', async () => {
  const file = logFile();
  const raw: string[] = [];
  const viaPino = createLogger({ level: 'info', destination: { write: (line: string) => void raw.push(line) } });
  const asBytes = createLogger({ level: 'info', destination: file, pretty: false, base: { region: 'ëu' } });
  const apps = [createApp(), createApp()];
  apps[0]!.use(requestLogger({ logger: viaPino, fields: () => ({}) })); // through pino's own formatting
  apps[1]!.use(requestLogger({ logger: asBytes }));
  for (const a of apps) {
    a.get('/json', () => ({ ok: true }));
    a.get('/users/:id', (ctx) => ({ id: ctx.params.id }));
    a.route('PURGE', '/cache', () => 'purged');
  }
  const requests = [
    { url: '/json', headers: { 'x-request-id': 'r-1' } },
    { url: '/users/%C3%BC%E2%9C%93?x=1', headers: { 'x-request-id': 'r-2' } },
    { url: '/missing/%22q%22/%5C', headers: { 'x-request-id': 'r-3' } },
    { url: '/cache', method: 'PURGE', headers: { 'x-request-id': 'r-4' } },
  ];
  for (const request of requests) for (const a of apps) await a.inject(request);
  await apps[1]!.inject('/json'); // no id given: one is made up
  await turn();
  const normal = (l: string) => l.replace(/"time":\d+/, '"time":T').replace(/"durationMs":[\d.e-]+/, '"durationMs":D').replace(/"pid":\d+,"hostname":"[^"]*"(,"region":"ëu")?/, 'P');
  const written = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  assert.equal(written.length, requests.length + 1);
  assert.deepEqual(written.slice(0, requests.length).map(normal), raw.map((l) => normal(l.trimEnd())));
  for (const line of written) assert.equal(JSON.parse(line).region, 'ëu');
  assert.match(JSON.parse(written.at(-1)!).reqId, new RegExp(`^${process.pid.toString(36)}-[0-9a-z]+$`));
});

test('lines keep their order: a handler\'s own line, a line longer than the buffer, then the request line; logger.flush() in the same turn writes the request line too', async () => {
  const file = logFile();
  const logger = createLogger({ destination: file, pretty: false, bufferSize: 1024 });
  const app = createApp();
  app.use(requestLogger({ logger }));
  const long = 'x'.repeat(40_000);
  app.get('/talk', (ctx) => {
    ctx.log.info('from the handler');
    ctx.log.info({ long }, 'long line');
    return 'ok';
  });
  await app.inject('/talk');
  logger.flush();
  const lines = linesOf(file);
  assert.deepEqual(lines.map((l) => l.msg), ['from the handler', 'long line', 'request completed']);
  assert.equal(lines[1]!.long, long);
  assert.equal(lines[2]!.url, '/talk');
});
