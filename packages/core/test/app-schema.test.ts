// Route schemas: params/query/headers/body validated before preHandler hooks (Standard Schema:
// Zod and Valibot here), typed contexts, and response schemas compiled into serializers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { z } from 'zod';
import { createApp, type Context, type InjectResult, type StandardSchemaV1 } from '../src/index.js';

type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

const problem = (r: InjectResult) => r.json<{ status: number; detail?: string; issues?: Array<{ in: string; path: string; message: string }> }>();

test('params, query, headers and body are validated and replaced by the schema outputs', async () => {
  const seenByPreHandler: unknown[] = [];
  const app = createApp();
  app.post(
    '/users/:id',
    {
      schema: {
        params: z.object({ id: z.coerce.number().int() }),
        query: z.object({ notify: z.enum(['yes', 'no']).default('no') }),
        headers: z.object({ 'x-tenant': z.string().min(1) }),
        body: z.object({ name: z.string(), age: z.number().int().min(0) }),
      },
      onRequest: (ctx) => void seenByPreHandler.push(typeof ctx.params.id),
      preHandler: (ctx) => void seenByPreHandler.push(typeof ctx.params.id, ctx.body.name),
    },
    (ctx) => {
      type _P = Expect<Equal<typeof ctx.params, { id: number }>>;
      type _Q = Expect<Equal<typeof ctx.query, { notify: 'yes' | 'no' }>>;
      type _B = Expect<Equal<typeof ctx.body, { name: string; age: number }>>;
      type _H = Expect<Equal<typeof ctx.headers, { 'x-tenant': string }>>;
      // @ts-expect-error: not in the body schema
      void ctx.body.email;
      return { id: ctx.params.id, notify: ctx.query.notify, tenant: ctx.headers['x-tenant'], name: ctx.body.name, age: ctx.body.age };
    },
  );
  const post = (url: string, body: unknown, headers: Record<string, string> = { 'x-tenant': 'acme' }) => app.inject({ method: 'POST', url, body, headers });

  const ok = await post('/users/42', { name: 'Ada', age: 36 });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json(), { id: 42, notify: 'no', tenant: 'acme', name: 'Ada', age: 36 });
  assert.deepEqual(seenByPreHandler, ['string', 'number', 'Ada']);

  const badParams = await post('/users/abc', { name: 'Ada', age: 36 });
  assert.equal(badParams.statusCode, 400);
  assert.equal(problem(badParams).issues![0]!.in, 'params');
  assert.equal(problem(badParams).issues![0]!.path, '/id');

  const badQuery = await post('/users/1?notify=maybe', { name: 'Ada', age: 36 });
  assert.equal(problem(badQuery).issues![0]!.in, 'query');

  const badHeaders = await post('/users/1', { name: 'Ada', age: 36 }, {});
  assert.equal(problem(badHeaders).issues![0]!.in, 'headers');

  const badBody = await post('/users/1', { name: 'Ada', age: -1 });
  assert.equal(badBody.statusCode, 400);
  assert.equal(badBody.headers['content-type'], 'application/problem+json');
  const issues = problem(badBody).issues!;
  assert.deepEqual(issues.map((i) => [i.in, i.path]), [['body', '/age']]);

  // the body is read as JSON: other content types are 415, malformed JSON 400
  const form = await app.inject({ method: 'POST', url: '/users/1', body: 'name=x', headers: { 'x-tenant': 'a', 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(form.statusCode, 415);
});

test('asynchronous validators (Valibot pipeAsync) and schemas on groups of routes', async () => {
  const app = createApp();
  const slug = v.pipeAsync(
    v.string(),
    v.checkAsync(async (s) => s !== 'taken', 'That slug is taken'),
  );
  app.get('/posts/:slug', { schema: { params: v.objectAsync({ slug }) } }, (ctx) => {
    type _P = Expect<Equal<typeof ctx.params, { slug: string }>>;
    return { slug: ctx.params.slug };
  });
  app.group('/v/:version', (g) =>
    g.get('/items', { schema: { query: v.object({ page: v.pipe(v.string(), v.transform(Number)) }) } }, (ctx) => {
      type _Q = Expect<Equal<typeof ctx.query, { page: number }>>;
      type _P = Expect<Equal<typeof ctx.params, { version: string }>>;
      return { version: ctx.params.version, page: ctx.query.page };
    }),
  );
  assert.deepEqual((await app.inject('/posts/hello')).json(), { slug: 'hello' });
  const taken = await app.inject('/posts/taken');
  assert.equal(taken.statusCode, 400);
  assert.equal(problem(taken).issues![0]!.message, 'That slug is taken');
  assert.deepEqual((await app.inject('/v/2/items?page=3')).json(), { version: '2', page: 3 });
});

test('response schemas: compiled at start-up, used for their status, JSON.stringify otherwise', async () => {
  const app = createApp({ onError: () => {} });
  const user = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } }, required: ['id', 'name'] } as const;
  app.get('/user', { schema: { response: { 200: user } } }, () => ({ id: 1, name: 'Ada', password: 'hunter2' }));
  app.get('/created', { schema: { response: { 200: user } } }, (ctx) => {
    ctx.status(201);
    return { id: 1, name: 'Ada', password: 'not filtered: no schema for 201' };
  });
  app.get('/broken', { schema: { response: { 200: user } } }, () => ({ id: 1 }));
  assert.deepEqual((await app.inject('/user')).json(), { id: 1, name: 'Ada' });
  assert.deepEqual((await app.inject('/created')).json(), { id: 1, name: 'Ada', password: 'not filtered: no schema for 201' });
  // the handler broke its contract: a 500, never a half-written body
  assert.equal((await app.inject('/broken')).statusCode, 500);

  const bad = createApp();
  bad.get('/x', { schema: { response: { 999: user } } }, () => ({}));
  await assert.rejects(bad.ready(), /not a status code/);
});

// ---- types only -----------------------------------------------------------------------------

export function typeTests(): void {
  const app = createApp();
  // params from the path literal, across groups
  app.get('/a/:id', (ctx) => {
    type _ = Expect<Equal<typeof ctx.params, { id: string }>>;
    // @ts-expect-error: no such param
    void ctx.params.other;
  });
  app.group('/orgs/:org', (g) => {
    g.get('/repos/:repo', (ctx) => {
      type _ = Expect<Equal<typeof ctx.params, { org: string; repo: string }>>;
      // @ts-expect-error: no such param
      void ctx.params.nope;
    });
    g.use((ctx, next) => {
      const org: string = ctx.params.org;
      return org === '' ? null : next();
    });
  });
  // without schemas: the raw types
  app.post('/raw', (ctx) => {
    type _Q = Expect<Equal<typeof ctx.query, Record<string, string | string[]>>>;
    type _B = Expect<Equal<typeof ctx.body, unknown>>;
  });
  // a schema for one part only leaves the others raw
  app.get('/q/:id', { schema: { query: z.object({ n: z.coerce.number() }) } }, (ctx) => {
    type _P = Expect<Equal<typeof ctx.params, { id: string }>>;
    type _Q = Expect<Equal<typeof ctx.query, { n: number }>>;
  });
  // generic middleware fits routes with typed contexts
  const generic = (ctx: Context, next: () => unknown) => (ctx.get('x') ? null : next());
  app.get('/m/:id', { middleware: [generic], schema: { body: z.object({ a: z.string() }) } }, (ctx) => ctx.body.a);
  // schema values must be Standard Schemas
  // @ts-expect-error: not a Standard Schema
  app.get('/bad', { schema: { body: { type: 'object' } } }, () => 1);
  const s: StandardSchemaV1<unknown, { x: 1 }> = { '~standard': { version: 1, vendor: 'test', validate: () => ({ value: { x: 1 } }) } };
  app.post('/custom', { schema: { body: s } }, (ctx) => {
    type _B = Expect<Equal<typeof ctx.body, { x: 1 }>>;
  });
}
