/**
 * Start-up errors a NestJS user meets first: constructor parameters without `deps`, a tsconfig
 * with experimentalDecorators (legacy decorator calls), a failing lifecycle hook. Each must be a
 * readable error at start-up (or class definition) naming what to change, never a 500 later.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { Armature, Controller, DiError, Get, Injectable, InjectionToken, Module, inject } from '../src/di/index.js';
import { isDiError } from './di-helpers.js';

test('a constructor with parameters and no deps is a start-up error naming the class and the fixes', async () => {
  class Db { query() { return 1; } }
  class UsersService {
    constructor(readonly db: Db) {}
  }
  @Controller('/users') class UsersController {
    users = inject(UsersService);
    @Get() list() { return this.users.db.query(); }
  }
  @Module({ providers: [Db, UsersService], controllers: [UsersController] }) class AppModule {}
  await assert.rejects(Armature.create(AppModule),
    isDiError('INVALID_DECLARATION', /UsersService's constructor takes 1 parameter but declares no deps/, /inject\(Db\)/, /deps: \[/));

  // @Injectable() without deps: TypeScript already refuses it; JavaScript (or a cast) meets the start-up error
  // @ts-expect-error: the constructor takes a Db but @Injectable() lists no deps
  @Injectable() class Mailer { constructor(readonly db: Db) {} }
  // @ts-expect-error: the same for a controller
  @Controller('/mail') class MailController {
    constructor(readonly mailer: Mailer, readonly db: Db) {}
    @Get() send() { return this.mailer.db.query(); }
  }
  @Module({ providers: [Db, Mailer] }) class MailModule {}
  await assert.rejects(Armature.create(MailModule), isDiError('INVALID_DECLARATION', /Mailer's constructor takes 1 parameter/));
  @Module({ providers: [Db], controllers: [MailController] }) class ControllerModule {}
  await assert.rejects(Armature.create(ControllerModule), isDiError('INVALID_DECLARATION', /MailController's constructor takes 2 parameters/, /@Controller\(\{ path, deps \}\)/));

  // with deps, or with field injection, the same classes start
  @Injectable({ deps: [Db] }) class Fixed { constructor(readonly db: Db) {} }
  @Controller('/fixed') class FixedController { fixed = inject(Fixed); @Get() n() { return this.fixed.db.query(); } }
  @Module({ providers: [Db, Fixed], controllers: [FixedController] }) class FixedModule {}
  const app = await Armature.create(FixedModule);
  assert.equal((await app.inject('/fixed')).body, '1');
  await app.close();
});

test('a factory with parameters and no inject list is a start-up error', async () => {
  const CONFIG = new InjectionToken<{ url: string }>('CONFIG');
  const DB = new InjectionToken<string>('DB');
  @Module({ providers: [{ provide: CONFIG, useValue: { url: 'pg://' } }, { provide: DB, useFactory: (config: { url: string }) => config.url }] }) class M {}
  await assert.rejects(Armature.create(M), isDiError('INVALID_DECLARATION', /providers\[1\] of M \(DB\): useFactory takes 1 parameter but the provider has no inject list/));
  @Module({ providers: [{ provide: CONFIG, useValue: { url: 'pg://' } }, { provide: DB, useFactory: (config: { url: string }) => config.url, inject: [CONFIG] }] }) class Fixed {}
  const app = await Armature.create(Fixed);
  assert.equal(app.get(DB), 'pg://');
});

test('a failing lifecycle hook names the provider and the hook, and keeps the error as its cause', async () => {
  const boom = new Error('cannot connect');
  @Injectable() class Database { onModuleInit() { throw boom; } }
  @Module({ providers: [Database] }) class M1 {}
  await assert.rejects(Armature.create(M1), (e: unknown) => {
    isDiError('HOOK_FAILED', /^onModuleInit\(\) of Database failed: cannot connect$/)(e);
    assert.equal((e as DiError).cause, boom);
    return true;
  });

  // a value provider is named by its token; shutdown hooks too
  const CACHE = new InjectionToken<object>('CACHE');
  @Module({ providers: [{ provide: CACHE, useValue: { onApplicationBootstrap: async () => { throw new Error('no redis'); } } }] }) class M2 {}
  await assert.rejects(Armature.create(M2), isDiError('HOOK_FAILED', /onApplicationBootstrap\(\) of CACHE failed: no redis/));
  @Injectable() class Pool { onModuleDestroy() { throw new Error('busy'); } }
  @Module({ providers: [Pool] }) class M3 {}
  const app = await Armature.create(M3);
  await assert.rejects(app.close(), isDiError('HOOK_FAILED', /onModuleDestroy\(\) of Pool failed: busy/));
});

// ---- experimentalDecorators --------------------------------------------------------------------

const diUrl = pathToFileURL(fileURLToPath(new URL('../src/di/index.ts', import.meta.url))).href;

/** Each Armature decorator, in the smallest class that uses it. */
const FIXTURES: Record<string, string> = {
  '@Injectable()': '@Injectable() class Service { constructor() {} }',
  '@Controller()': '@Controller(\'/x\') class XController {}',
  '@Module()': '@Module({}) class AppModule {}',
  '@Global()': '@Module({}) @Global() class SharedModule {}',
  '@Catch()': '@Catch(Error) class Filter { catch() { return null; } }',
  '@Get("/")': 'class XController { @Get(\'/\') list(ctx: unknown) { return ctx; } }',
  '@Post("/")': 'class XController { @Post() create() { return 1; } }',
  '@UseGuards()': 'class XController { @UseGuards({ canActivate: () => true }) list() { return 1; } }',
};

/** Compiles `body` as tsc does with the given decorator options, writes it as a module, imports it. */
async function compileAndImport(dir: string, name: string, body: string, legacy: boolean): Promise<unknown> {
  const source = `import { Catch, Controller, Get, Global, Injectable, Module, Post, UseGuards } from ${JSON.stringify(diUrl)};\n${body}\nexport const ok = true;\n`;
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
      ...(legacy ? { experimentalDecorators: true, emitDecoratorMetadata: true } : {}),
    },
  });
  if (legacy) assert.match(outputText, /__decorate/, 'the fixture is compiled with legacy decorators');
  const file = join(dir, `${name}-${legacy ? 'legacy' : 'standard'}.mjs`);
  writeFileSync(file, outputText);
  return import(pathToFileURL(file).href);
}

test('decorators called the legacy way (experimentalDecorators) say to remove it from tsconfig.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'armature-legacy-'));
  try {
    let i = 0;
    for (const [decorator, body] of Object.entries(FIXTURES)) {
      i++;
      // the same source compiled with standard decorators loads
      assert.equal(((await compileAndImport(dir, `f${i}`, body, false)) as { ok: boolean }).ok, true, decorator);
      await assert.rejects(compileAndImport(dir, `f${i}`, body, true), (e: unknown) => {
        assert.ok(e instanceof Error, decorator);
        assert.equal((e as DiError).code, 'LEGACY_DECORATORS', `${decorator}: ${e.message}`);
        assert.ok(e.message.startsWith(`${decorator} was called as a legacy (experimentalDecorators) decorator.`), e.message);
        assert.match(e.message, /Armature uses TC39 standard decorators: remove experimentalDecorators and emitDecoratorMetadata from tsconfig\.json/);
        return true;
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
