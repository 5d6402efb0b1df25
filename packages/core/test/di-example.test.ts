// examples/di tested the way an application would: the testing module, with the database
// replaced by a seeded one, then requests through inject(); and main.ts run for real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Test } from '@armature/core/testing';
import { AppModule, appOptions } from '../../../examples/di/app.module.js';
import { ApiKeyGuard } from '../../../examples/di/auth.js';
import { DATABASE, InMemoryDatabase } from '../../../examples/di/database.js';
import { UsersService } from '../../../examples/di/users.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

async function setup(options: { allowAll?: boolean } = {}) {
  const db = new InMemoryDatabase();
  db.insert('users', { name: 'Ada', email: 'ada@example.com' });
  let builder = Test.createTestingModule({ imports: [AppModule] }).overrideProvider(DATABASE).useValue(db);
  if (options.allowAll) builder = builder.overrideGuard(ApiKeyGuard).useValue({ canActivate: () => true });
  const mod = await builder.compile();
  const app = await mod.createApp({ ...appOptions, onError: () => {} });
  return { db, mod, app };
}

test('users: list (enveloped), show, 404, and the timing interceptor on every route', async () => {
  const { app, mod } = await setup();
  const list = await app.inject('/users');
  assert.deepEqual(list.json(), { data: [{ name: 'Ada', email: 'ada@example.com', id: 1 }], count: 1 });
  assert.match(String(list.headers['x-response-time']), /^\d+\.\d{3}$/);
  assert.equal((await app.inject('/users/1')).json<{ name: string }>().name, 'Ada');
  assert.equal((await app.inject('/users/9')).statusCode, 404);
  assert.equal(mod.get(UsersService).list().length, 1);
  await app.close();
});

test('users: creating needs the API key (401 without, 403 wrong), duplicates are 409', async () => {
  const { app } = await setup();
  const body = { name: 'Grace', email: 'grace@example.com' };
  const none = await app.inject({ method: 'POST', url: '/users', body });
  assert.equal(none.statusCode, 401);
  assert.equal(none.headers['www-authenticate'], 'ApiKey');
  assert.equal((await app.inject({ method: 'POST', url: '/users', body, headers: { 'x-api-key': 'wrong' } })).statusCode, 403);
  const created = await app.inject({ method: 'POST', url: '/users', body, headers: { 'x-api-key': 'dev-key' } });
  assert.equal(created.statusCode, 201);
  assert.deepEqual(created.json(), { ...body, id: 2 });
  const again = await app.inject({ method: 'POST', url: '/users', body, headers: { 'x-api-key': 'dev-key' } });
  assert.equal(again.statusCode, 409);
});

test('posts: the request-scoped CurrentUser sets the author; unknown authors are 422; paging is capped by config', async () => {
  const { app, db } = await setup({ allowAll: true });
  const post = (user: string | undefined, title: string) =>
    app.inject({ method: 'POST', url: '/posts', body: { title }, headers: user === undefined ? {} : { 'x-user-id': user } });
  const [a, b] = await Promise.all([post('1', 'First'), post('1', 'Second')]);
  assert.equal(a.statusCode, 201);
  assert.equal(a.json<{ authorId: number }>().authorId, 1);
  assert.equal(b.statusCode, 201);
  assert.equal((await post('7', 'Ghost')).statusCode, 422);
  assert.equal((await post(undefined, 'Anonymous')).statusCode, 422);
  assert.equal((await app.inject('/posts?limit=1')).json<unknown[]>().length, 1);
  assert.equal((await app.inject('/posts')).json<unknown[]>().length, 2);
  await app.close();
  assert.equal(db.open, false, 'onModuleDestroy closed the database');
});

test('posts/live: an event stream under the global timing interceptor stays open and carries new posts', async () => {
  const { app } = await setup({ allowAll: true });
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  const abort = new AbortController();
  try {
    const res = await fetch(`http://127.0.0.1:${port}/posts/live`, { signal: abort.signal });
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    assert.equal(res.headers.get('x-response-time'), null, 'no header after the head was sent');
    const reader = res.body!.getReader();
    let text = '';
    const created = await app.inject({ method: 'POST', url: '/posts', body: { title: 'Live' }, headers: { 'x-user-id': '1' } });
    assert.equal(created.statusCode, 201);
    while (!text.includes('event: post')) {
      const { value, done } = await reader.read();
      assert.ok(!done, `the stream ended early: ${JSON.stringify(text)}`);
      text += new TextDecoder().decode(value);
    }
    assert.match(text, /event: post\ndata: \{"authorId":1,"title":"Live","id":\d+\}/);
  } finally {
    abort.abort();
    await app.close();
  }
});

test('health reads the forRoot configuration', async () => {
  const { app } = await setup();
  assert.deepEqual((await app.inject('/health')).json(), { ok: true, pageSize: 50 });
});

test('main.ts serves the app and shuts down on SIGTERM', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/di/main.ts'], { cwd: root, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`example did not start: ${out}`)), 15000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out);
        if (m) { clearTimeout(timer); resolve(Number(m[1])); }
      });
      child.once('exit', (code) => reject(new Error(`example exited with ${code}: ${out}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const created = await fetch(`${base}/users`, { method: 'POST', headers: { 'x-api-key': 'dev-key', 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ada', email: 'a@b.c' }) });
    assert.equal(created.status, 201);
    await created.text();
    assert.equal((await (await fetch(`${base}/users`)).json() as { count: number }).count, 1);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
