/** ConfigModule: loaded and validated while the app starts; ConfigService and namespaces injected, typed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { Armature, Controller, Get, Injectable, Module, inject } from '@armature/core';
import { Test } from '@armature/core/testing';
import { ConfigError, ConfigModule, ConfigService, registerAs, type ConfigType } from '../src/index.js';

const Env = z.object({ GREETING: z.string().min(1), TIMES: z.coerce.number().int().positive() });
type Env = z.output<typeof Env>;
const database = registerAs('database', (env) => ({ url: env.DATABASE_URL }), z.object({ url: z.string().startsWith('postgres://') }));
const cache = registerAs('cache', (env) => ({ ttl: Number(env.CACHE_TTL ?? 60) }));

@Injectable()
class Greeter {
  private readonly config = inject(ConfigService<Env>);
  private readonly db = inject(database);
  greet(): string {
    const times: number = this.config.get('TIMES');
    return `${this.config.get('GREETING').repeat(times)} from ${this.db.url}`;
  }
}

@Controller('/')
class HelloController {
  private readonly greeter = inject(Greeter);
  @Get('/') hello() {
    return this.greeter.greet();
  }
}

@Module({ controllers: [HelloController], providers: [Greeter] })
class FeatureModule {}

function appModule(env: Record<string, string>, extra: { cwd?: string; envFile?: string } = {}) {
  @Module({ imports: [ConfigModule.forRoot({ schema: Env, load: [database], env, envFile: extra.envFile ?? '.env', cwd: extra.cwd ?? tmpdir() }), FeatureModule] })
  class AppModule {}
  return AppModule;
}

test('a global ConfigService and a namespace, injected in a feature module', async () => {
  const app = await Armature.create(appModule({ GREETING: 'hi', TIMES: '2', DATABASE_URL: 'postgres://db/app' }), { shutdownHooks: false });
  try {
    assert.equal((await app.inject('/')).body, 'hihi from postgres://db/app');
    assert.equal(app.get(ConfigService).get('database.url'), 'postgres://db/app');
  } finally {
    await app.close();
  }
});

test('an invalid configuration stops Armature.create() with every problem (the DI error\'s cause), no value printed', async () => {
  const secret = 'mysql://root:hunter2@db';
  await assert.rejects(Armature.create(appModule({ GREETING: '', TIMES: 'zero', DATABASE_URL: secret }), { shutdownHooks: false }), (error: unknown) => {
    assert.match(String(error), /ConfigService.*Invalid configuration: 3 problems/s);
    assert.ok(!String(error).includes('hunter2'), String(error));
    const cause = (error as Error).cause;
    assert.ok(cause instanceof ConfigError, String(cause));
    assert.deepEqual(cause.issues.map((i) => i.key).sort(), ['GREETING', 'TIMES', 'database.url']);
    return true;
  });
});

test('.env file read relative to cwd; the testing module can replace ConfigService', async () => {
  const d = mkdtempSync(join(tmpdir(), 'armature-config-'));
  writeFileSync(join(d, '.env.test'), 'GREETING=yo\nTIMES=3\nDATABASE_URL=postgres://file/db\n');
  try {
    const app = await Armature.create(appModule({}, { cwd: d, envFile: '.env.test' }), { shutdownHooks: false });
    assert.equal((await app.inject('/')).body, 'yoyoyo from postgres://file/db');
    await app.close();
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
  const mod = await Test.createTestingModule({ imports: [appModule({ GREETING: 'a', TIMES: '1', DATABASE_URL: 'postgres://x/y' })] })
    .overrideProvider(database)
    .useValue({ url: 'postgres://fake/db' })
    .compile();
  const app = await mod.createApp();
  assert.equal((await app.inject('/')).body, 'a from postgres://fake/db');
  await mod.close();
});

test('forFeature: a namespace for one module, validated against the same environment', async () => {
  @Injectable()
  class CacheUser {
    readonly cache: ConfigType<typeof cache> = inject(cache);
  }
  @Module({ imports: [ConfigModule.forFeature(cache)], providers: [CacheUser], exports: [CacheUser] })
  class CacheModule {}
  @Module({ imports: [ConfigModule.forRoot({ env: { CACHE_TTL: '5' }, envFile: false }), CacheModule] })
  class Root {}
  const app = await Armature.create(Root, { shutdownHooks: false });
  assert.deepEqual(app.get(CacheUser).cache, { ttl: 5 });
  assert.equal(app.get(ConfigService).get('CACHE_TTL'), '5');
  await app.close();
});

test('global: false keeps ConfigService to the modules importing it', async () => {
  @Injectable()
  class Needs {
    readonly config = inject(ConfigService);
  }
  @Module({ providers: [Needs], exports: [Needs] })
  class Elsewhere {}
  @Module({ imports: [ConfigModule.forRoot({ env: {}, envFile: false, global: false }), Elsewhere] })
  class Root {}
  await assert.rejects(Armature.create(Root, { shutdownHooks: false }), /ConfigService/);
});
