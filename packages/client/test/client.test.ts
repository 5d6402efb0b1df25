// createClient<typeof api>: calls over real HTTP (the app listening) and in process (app.fetch),
// params filled and encoded, queries, JSON bodies, headers, answers parsed by media type, errors
// as ClientError with the problem document; and the types (see client-types.test.ts).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { NotFoundException, createApp, type App } from '@armature/core';
import { ClientError, createClient } from '@armature/client';

const NewUser = z.object({ name: z.string().min(1), email: z.email(), tags: z.array(z.string()).default([]) });
const User = z.object({ id: z.number(), name: z.string(), email: z.string(), tags: z.array(z.string()) });

function build() {
  const users: Array<z.infer<typeof User>> = [{ id: 1, name: 'Ada', email: 'ada@example.com', tags: [] }];
  const app = createApp();
  const api = app
    .get('/users', { schema: { query: z.object({ limit: z.coerce.number().int().optional(), tag: z.union([z.string(), z.array(z.string())]).optional() }) } }, (ctx) => ({
      users: users.slice(0, ctx.query.limit ?? 100),
      tag: ctx.query.tag ?? null,
    }))
    .get('/users/:id<int>', (ctx) => {
      const user = users.find((u) => u.id === Number(ctx.params.id));
      if (user === undefined) throw new NotFoundException(`no user ${ctx.params.id}`);
      return user;
    })
    .post('/users', { schema: { body: NewUser, response: { 201: User } } }, (ctx) => {
      const user = { id: users.length + 1, ...ctx.body };
      users.push(user);
      ctx.status(201);
      return user;
    })
    .delete('/users/:id', () => null)
    .get('/files/*', (ctx) => `file ${ctx.params['*']}`)
    .put('/echo/:a.:b', (ctx) => ({ a: ctx.params.a, b: ctx.params.b, auth: ctx.get('authorization') ?? null, trace: ctx.get('x-trace') ?? null }))
    .get('/when', () => ({ at: new Date(0) }));
  return { app, api };
}

const { app, api } = build();
type Api = typeof api;
let running: App | null = null;
after(() => running?.close());

test('over HTTP: a listening app answers typed calls', async () => {
  running = app;
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  const client = createClient<Api>(`http://127.0.0.1:${port}/`);
  const list = await client.get('/users', { query: { limit: 1, tag: ['a', 'b'] } });
  assert.deepEqual(list, { users: [{ id: 1, name: 'Ada', email: 'ada@example.com', tags: [] }], tag: ['a', 'b'] });
  const created = await client.post('/users', { body: { name: 'Grace', email: 'grace@example.com' } });
  assert.deepEqual(created, { id: 2, name: 'Grace', email: 'grace@example.com', tags: [] });
  assert.equal((await client.get('/users/:id<int>', { params: { id: created.id } })).name, 'Grace');
  assert.equal(await client.delete('/users/:id', { params: { id: 2 } }), undefined, '204: undefined');
  assert.equal(await client.get('/files/*', { params: { '*': 'a b/c.txt' } }), 'file a b/c.txt', 'sent encoded, decoded by the router');
  assert.deepEqual(await client.request('put', '/echo/:a.:b', { params: { a: 'x/y', b: 'z' }, headers: { 'x-trace': 't1' } }), { a: 'x/y', b: 'z', auth: null, trace: 't1' });
  assert.deepEqual(await client.get('/when'), { at: '1970-01-01T00:00:00.000Z' });
});

test('errors: a non-2xx answer rejects with ClientError carrying the status and the problem document', async () => {
  const client = createClient<Api>('http://app.test', { fetch: app.fetch });
  await assert.rejects(client.post('/users', { body: { name: '', email: 'nope' } }), (e: unknown) => {
    assert.ok(e instanceof ClientError);
    assert.equal(e.status, 400);
    assert.equal((e.body as { issues: unknown[] }).issues.length, 2);
    assert.match(e.message, /^POST http:\/\/app\.test\/users: 400 Invalid body/);
    return true;
  });
  await assert.rejects(client.get('/users/:id<int>', { params: { id: 99 } }), (e: unknown) => e instanceof ClientError && e.status === 404 && e.message.endsWith('404 no user 99'));
  await assert.rejects(client.get('/users/:id<int>', {} as never), /the parameter "id" is missing/);
});

test('options: in-process fetch, default headers (or a function of them), abort signals', async () => {
  let n = 0;
  const client = createClient<Api>('http://app.test/base-is-kept/..', { fetch: app.fetch, headers: () => ({ authorization: `Bearer ${++n}` }) });
  assert.equal((await client.put('/echo/:a.:b', { params: { a: 1, b: 2 } })).auth, 'Bearer 1');
  assert.equal((await client.put('/echo/:a.:b', { params: { a: 1, b: 2 } })).auth, 'Bearer 2');
  const controller = new AbortController();
  controller.abort();
  const slow = createClient<Api>('http://127.0.0.1:9', {});
  await assert.rejects(slow.get('/when', { signal: controller.signal }), /abort/i);
  assert.throws(() => createClient<Api>('ftp://x'), /must be http\(s\)/);
  assert.throws(() => createClient<Api>('not a url'), /absolute http\(s\) URL/);
});
