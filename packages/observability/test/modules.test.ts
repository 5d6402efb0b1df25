// The DI modules: logger, request context, tracing, metrics and health applied to every answer
// (404s included) through configure(consumer), injectable where it makes sense, also under the
// testing module; readiness 503 from the start of shutdown while the server still serves.
import { test } from 'node:test';
import { connect, type Socket } from 'node:net';
import assert from 'node:assert/strict';
import { Armature, Controller, Get, Injectable, InjectionToken, Module, inject, type Context } from '@armature/core';
import { Test } from '@armature/core/testing';
import { Counter } from 'prom-client';
import { HEALTH, HealthModule, LOGGER, LoggerModule, METRICS, MetricsModule, RequestContextModule, RequestContextService, TracingModule } from '@armature/observability/modules';
import type { HealthIndicator } from '@armature/observability/health';

const lines: Array<Record<string, any>> = [];
const destination = { write: (line: string) => void lines.push(JSON.parse(line)) };

@Injectable()
class Greeter {
  private readonly request = inject(RequestContextService);
  private readonly log = inject(LOGGER);
  private readonly registry = inject(METRICS).registry;
  // the registry lives as long as the module (one per forRoot()): reuse the metric in later apps
  private readonly greetings =
    (this.registry.getSingleMetric('greetings_total') as Counter | undefined) ??
    new Counter({ name: 'greetings_total', help: 'Greetings given', registers: [this.registry] });
  greet(): string {
    this.greetings.inc();
    this.log.info({ reqId: this.request.id }, 'greeting');
    return `hello ${this.request.id}`;
  }
}

@Controller('/greet')
class GreetController {
  private readonly greeter = inject(Greeter);
  @Get('/:name')
  greet(ctx: Context) {
    ctx.log.info('handler');
    return this.greeter.greet();
  }
}

const DB_UP = new InjectionToken<{ up: boolean }>('DB_UP');
@Module({ providers: [{ provide: DB_UP, useValue: { up: true } }], exports: [DB_UP] })
class DbModule {}

@Module({
  imports: [
    RequestContextModule.forRoot(),
    LoggerModule.forRoot({ destination, level: 'info' }),
    TracingModule.forRoot(),
    MetricsModule.forRoot({ defaultMetrics: false }),
    HealthModule.forRoot({
      imports: [DbModule],
      shutdownDelay: 300,
      indicators: (): Record<string, HealthIndicator> => {
        const db = inject(DB_UP);
        return {
          db: () => {
            if (!db.up) throw new Error('db down');
          },
        };
      },
    }),
  ],
  controllers: [GreetController],
  providers: [Greeter],
})
class AppModule {}

test('every module applies to routes and 404s; logger, metrics and request context are injectable', async () => {
  lines.length = 0;
  const app = await Armature.create(AppModule, { shutdownHooks: false });
  const r = await app.inject({ url: '/greet/ada', headers: { 'x-request-id': 'r-1' } });
  assert.equal(r.body, 'hello r-1');
  assert.equal((await app.inject('/nope')).statusCode, 404);
  const requestLines = lines.filter((l) => l.msg === 'request completed');
  assert.deepEqual(requestLines.map((l) => [l.route, l.status]), [['/greet/:name', 200], [null, 404]]);
  assert.ok(lines.some((l) => l.msg === 'handler' && l.reqId === 'r-1'));
  assert.ok(lines.some((l) => l.msg === 'greeting' && l.reqId === 'r-1'));
  const scrape = (await app.inject('/metrics')).body;
  assert.match(scrape, /^greetings_total 1$/m);
  assert.match(scrape, /^http_requests_total\{method="GET",route="\/greet\/:name",status="200"\} 1$/m);
  assert.match(scrape, /^http_requests_total\{method="GET",route="\(unmatched\)",status="404"\} 1$/m);
  assert.equal((await app.inject('/health/ready')).statusCode, 200);
  app.get(DB_UP).up = false;
  const down = await app.inject('/health/ready');
  assert.equal(down.statusCode, 503);
  assert.equal(JSON.parse(down.body).error.db.message, 'db down');
  assert.equal(app.get(HEALTH).shuttingDown, false);
  await app.close();
});

test('shutdown: readiness is 503 during shutdownDelay while the server still serves requests', async () => {
  const app = await Armature.create(AppModule, { shutdownHooks: false });
  app.get(DB_UP).up = true;
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  assert.equal((await fetch(`http://127.0.0.1:${port}/health/ready`)).status, 200);
  const closing = app.close('SIGTERM');
  await new Promise((r) => setTimeout(r, 50));
  const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
  assert.equal(ready.status, 503);
  assert.equal(((await ready.json()) as { status: string }).status, 'shutting_down');
  assert.equal((await fetch(`http://127.0.0.1:${port}/greet/x`)).status, 200); // still serving
  await closing;
});

test('under the testing module too', async () => {
  lines.length = 0;
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = await moduleRef.createApp();
  assert.equal((await app.inject('/missing')).statusCode, 404);
  assert.equal(lines.filter((l) => l.msg === 'request completed').length, 1);
  await app.close();
});

test('MetricsModule reports the app\'s engine connections without a watch() call', async () => {
  @Module({ imports: [MetricsModule.forRoot({ defaultMetrics: false })] })
  class ConnectionsModule {}
  const app = await Armature.create(ConnectionsModule, { shutdownHooks: false });
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  const sockets: Socket[] = [];
  try {
    // three idle keep-alive connections, then the scrape on a fourth
    for (let i = 0; i < 3; i++) {
      const socket = connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      sockets.push(socket);
    }
    const open = async (): Promise<number> => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { connection: 'close' } })).text();
      return Number(/^armature_connections_open (\d+)$/m.exec(text)?.[1]);
    };
    let seen = await open();
    for (let i = 0; i < 20 && seen < 4; i++) seen = await open(); // the engine counts a connection once it has accepted it
    assert.equal(seen, 4, 'three idle connections and the scrape\'s own');
    for (const s of sockets) s.destroy();
    sockets.length = 0;
    for (let i = 0; i < 50 && seen !== 1; i++) {
      await new Promise((r) => setTimeout(r, 20));
      seen = await open();
    }
    assert.equal(seen, 1, 'only the scrape\'s own once the others closed');
  } finally {
    for (const s of sockets) s.destroy();
    await app.close();
  }
});
