// Lifecycle hooks: dependency order at start-up, reverse order at shutdown, signals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AppHost, Armature, Controller, Get, Injectable, Module, inject } from '../src/di/index.js';
import { Test } from '../src/testing.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

test('start-up hooks run in dependency order (awaited); shutdown hooks in reverse, after draining', async () => {
  const log: string[] = [];
  /** Logs each hook with the class name; the async ones take a tick. */
  class Hooked {
    async onModuleInit() { await new Promise((r) => setTimeout(r, 1)); log.push(`init ${this.constructor.name}`); }
    onApplicationBootstrap() { log.push(`bootstrap ${this.constructor.name}`); }
    beforeApplicationShutdown(signal?: string) { log.push(`before ${this.constructor.name} ${signal}`); }
    async onModuleDestroy() { await new Promise((r) => setTimeout(r, 1)); log.push(`destroy ${this.constructor.name}`); }
    onApplicationShutdown(signal?: string) { log.push(`shutdown ${this.constructor.name} ${signal}`); }
  }
  @Injectable() class Config extends Hooked {}
  @Injectable() class Db extends Hooked { config = inject(Config); }
  @Module({ providers: [Db, Config], exports: [Db] }) class DatabaseModule {}
  @Controller('/users') class UsersController { db = inject(Db); onModuleInit() { log.push('init UsersController'); } onModuleDestroy() { log.push('destroy UsersController'); } @Get() list() { return []; } }
  @Module({ imports: [DatabaseModule], controllers: [UsersController] }) class AppModule { onModuleInit() { log.push('init AppModule'); } onModuleDestroy() { log.push('destroy AppModule'); } }

  const app = await Armature.create(AppModule);
  assert.deepEqual(log, ['init Config', 'init Db', 'init UsersController', 'init AppModule', 'bootstrap Config', 'bootstrap Db']);
  log.length = 0;
  await app.close('SIGTERM');
  assert.deepEqual(log, [
    'before Db SIGTERM', 'before Config SIGTERM',
    'destroy AppModule', 'destroy UsersController', 'destroy Db', 'destroy Config',
    'shutdown Db SIGTERM', 'shutdown Config SIGTERM',
  ]);
  log.length = 0;
  await app.close('SIGTERM');
  assert.deepEqual(log, [], 'close() is idempotent');
});

test('a failing start-up hook fails create(); failing shutdown hooks do not stop the others', async () => {
  @Injectable() class Bad { onModuleInit() { throw new Error('cannot connect'); } }
  @Module({ providers: [Bad] }) class M1 {}
  await assert.rejects(Armature.create(M1), /cannot connect/);
  const log: string[] = [];
  @Injectable() class A { onModuleDestroy() { log.push('A'); throw new Error('A failed'); } }
  @Injectable() class B { a = inject(A); onModuleDestroy() { log.push('B'); throw new Error('B failed'); } }
  @Module({ providers: [A, B] }) class M2 {}
  const app = await Armature.create(M2);
  await assert.rejects(app.close(), (e: unknown) => e instanceof AggregateError && e.errors.length === 2);
  assert.deepEqual(log, ['B', 'A']);
});

test('listen() installs SIGTERM/SIGINT handlers and close() removes them (none leak)', async () => {
  @Module({}) class AppModule {}
  const before = { term: process.listenerCount('SIGTERM'), int: process.listenerCount('SIGINT') };
  const app = await Armature.create(AppModule);
  await app.listen({ port: 0, host: '127.0.0.1' });
  assert.equal(process.listenerCount('SIGTERM'), before.term + 1);
  assert.equal(process.listenerCount('SIGINT'), before.int + 1);
  app.enableShutdownHooks();
  assert.equal(process.listenerCount('SIGTERM'), before.term + 1, 'enableShutdownHooks is idempotent');
  await app.close();
  assert.equal(process.listenerCount('SIGTERM'), before.term);
  assert.equal(process.listenerCount('SIGINT'), before.int);

  const quiet = await Armature.create(AppModule, { shutdownHooks: false });
  await quiet.listen({ port: 0, host: '127.0.0.1' });
  assert.equal(process.listenerCount('SIGTERM'), before.term);
  await quiet.close();
});

test('SIGTERM: the in-flight request completes, then destroy and shutdown hooks run in reverse order, then the process exits', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/core/test/di-shutdown-fixture.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fixture did not start: ${out}`)), 15000);
      const check = (): void => {
        const m = /listening (\d+)/.exec(out);
        if (m) { clearTimeout(timer); resolve(Number(m[1])); }
      };
      child.stdout.on('data', check);
      child.once('exit', (code) => reject(new Error(`fixture exited with ${code}: ${out}`)));
    });
    const response = fetch(`http://127.0.0.1:${port}/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
    while (!out.includes('slow started')) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    assert.deepEqual(await response, { status: 200, body: { users: true } });
    assert.equal(await exited, 0);
    const lines = out.trim().split('\n');
    assert.deepEqual(lines, [
      'init Db', 'init Users (db true)', 'bootstrap Db', `listening ${port}`,
      'slow started',
      'before-shutdown Users SIGTERM', 'before-shutdown Db SIGTERM',
      'slow done',
      'destroy Users', 'destroy Db',
      'shutdown Users SIGTERM', 'shutdown Db SIGTERM',
    ]);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('AppHost: the app serving the modules, in configure() and the start-up hooks (null in constructors); under the testing module from createApp() on', async () => {
  const seen: Array<[string, unknown]> = [];
  @Injectable() class Watcher {
    private readonly host = inject(AppHost);
    constructor() { seen.push(['constructor', this.host.app]); }
    onModuleInit() { seen.push(['init', this.host.app]); }
    onApplicationBootstrap() { seen.push(['bootstrap', this.host.app]); }
  }
  @Module({ providers: [Watcher], exports: [Watcher] }) class WatchModule {
    private readonly host = inject(AppHost);
    configure() { seen.push(['configure', this.host.app]); }
  }
  @Injectable() class Other { readonly host = inject(AppHost); }
  @Module({ imports: [WatchModule], providers: [Other] }) class AppModule {}

  const app = await Armature.create(AppModule, { shutdownHooks: false });
  assert.deepEqual(seen, [['constructor', null], ['configure', app.app], ['init', app.app], ['bootstrap', app.app]]);
  assert.equal(app.get(Other).host, app.get(Watcher)['host'], 'one AppHost for every module');
  assert.equal(app.get(AppHost).app, app.app);
  await app.close();

  seen.length = 0;
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const tested = await moduleRef.createApp();
  // its start-up hooks run at compile(), before there is an app; configure() runs in createApp()
  assert.deepEqual(seen, [['constructor', null], ['init', null], ['bootstrap', null], ['configure', tested.app]]);
  assert.equal(moduleRef.get(AppHost).app, tested.app);
  await tested.close();
});
