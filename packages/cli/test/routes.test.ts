/** armature routes: the route table of a DI app (created without listening) or of an exported App. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { armature, linkNodeModules, remove, tempDir } from './app-dir.js';

const MODULE = `import { Controller, Delete, Get, Module, Post, type OnApplicationShutdown } from '@armature/core';

@Controller('/users')
class UsersController {
  @Get() list() { return []; }
  @Get('/:id') show() { return {}; }
  @Post('/', { status: 201 }) create() { return {}; }
}

@Controller('/admin')
class AdminController {
  @Delete('/cache') purge() { return null; }
}

@Module({ controllers: [AdminController] })
class AdminModule implements OnApplicationShutdown {
  onApplicationShutdown() { console.log('closed after listing'); }
}

@Module({ imports: [AdminModule], controllers: [UsersController] })
export class AppModule {}
`;

const FUNCTIONAL = `import { createApp } from '@armature/core';
export const app = createApp();
app.get('/health', () => 'ok');
app.group('/api', (api) => api.post('/echo', async (ctx) => ctx.json()));
`;

function app(): string {
  const dir = tempDir();
  linkNodeModules(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'r', private: true, type: 'module' }));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src/app.module.ts'), MODULE);
  writeFileSync(join(dir, 'src/server.ts'), FUNCTIONAL);
  writeFileSync(join(dir, 'src/broken.module.ts'), "import { InjectionToken, Module } from '@armature/core';\nconst DB = new InjectionToken<object>('DB');\n@Module({ providers: [{ provide: DB, useFactory: async () => { throw new Error('no database'); } }] })\nexport class AppModule {}\n");
  return dir;
}

test('lists method, path and Controller.method of a DI app, then closes it', () => {
  const dir = app();
  try {
    const r = armature(dir, 'routes');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^closed after listing\n/, 'the app is closed (shutdown hooks run) before the table is printed');
    const lines = r.stdout.trim().split('\n').slice(1);
    assert.match(lines[0]!, /^METHOD\s+PATH\s+HANDLER$/);
    const rows = lines.slice(1).map((l) => l.trim().split(/\s+/));
    assert.deepEqual(rows.sort(), [
      ['DELETE', '/admin/cache', 'AdminController.purge'],
      ['GET', '/users', 'UsersController.list'],
      ['GET', '/users/:id', 'UsersController.show'],
      ['POST', '/users', 'UsersController.create'],
    ]);
    const json = JSON.parse(armature(dir, 'routes', '--json').stdout.replace(/closed after listing\n/, ''));
    assert.deepEqual(json[0], { method: 'DELETE', path: '/admin/cache', handler: 'AdminController.purge' });
  } finally {
    remove(dir);
  }
});

test('an exported App is listed as it is; missing files, exports and failing modules are one-line errors', () => {
  const dir = app();
  try {
    const r = armature(dir, 'routes', 'src/server.ts', '--export', 'app', '--json');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [
      { method: 'GET', path: '/health', handler: '-' },
      { method: 'POST', path: '/api/echo', handler: '-' },
    ]);
    assert.match(armature(dir, 'routes', 'src/nope.ts').stderr, /^armature: no src\/nope\.ts/);
    assert.match(armature(dir, 'routes', 'src/server.ts', '--export', 'other').stderr, /^armature: src\/server\.ts exports no other/);
    const broken = armature(dir, 'routes', 'src/broken.module.ts');
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, /^armature: AppModule did not start: .*no database/);
  } finally {
    remove(dir);
  }
});
