/**
 * Type tests of the client, checked by `npm run typecheck` (tsconfig.check.json includes
 * packages/*\/test): an `Expect<Equal<…>>` that is false, or an `@ts-expect-error` with no error
 * under it, fails the type check. What a call sends comes from the input side of the route's
 * schemas (or its path literal); what it gives, from the output side of the success response
 * schema, else the handler's result as JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createApp, Controller, Get, Post, type Ctx } from '@armature/core';
import { createClient, type CallResult, type Jsonify } from '@armature/client';
import { controllerClient } from '@armature/client/controller';

type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

const Paging = z.object({ limit: z.coerce.number().default(10), q: z.string().optional() });
const NewPost = z.object({ title: z.string(), draft: z.boolean().default(false) });
const Post_ = z.object({ id: z.number(), title: z.string(), draft: z.boolean() });

const api = createApp()
  .get('/posts', { schema: { query: Paging } }, (ctx) => ({ items: [] as Array<{ id: number; at: Date }>, limit: ctx.query.limit }))
  .post('/posts', { schema: { body: NewPost, response: { 201: Post_, 400: { type: 'object' } } } }, () => ({ id: 1, title: 't', draft: false }))
  .get('/posts/:id', async (ctx) => ({ id: ctx.params.id }))
  .delete('/posts/:id', () => undefined)
  .group('/admin', (g) => g.get('/stats', () => ({ posts: 1 })));

const app2 = createApp().get('/text', () => 'hello');

const client = createClient<typeof api>('http://x');

export async function calls(): Promise<void> {
  const list = await client.get('/posts', { query: { limit: 5 } });
  type L = Expect<Equal<typeof list, { items: Array<{ id: number; at: string }>; limit: number }>>;
  await client.get('/posts'); // the query has no required field: the input is optional
  const created = await client.post('/posts', { body: { title: 'Hello' } }); // draft has a default: optional on input
  type P = Expect<Equal<typeof created, { id: number; title: string; draft: boolean }>>;
  const one = await client.get('/posts/:id', { params: { id: 3 } });
  type O = Expect<Equal<typeof one, { id: string }>>;
  const gone = await client.delete('/posts/:id', { params: { id: '3' } });
  type G = Expect<Equal<typeof gone, undefined>>;
  // @ts-expect-error the body needs a title
  await client.post('/posts', { body: {} });
  // @ts-expect-error draft is a boolean
  await client.post('/posts', { body: { title: 't', draft: 'no' } });
  // @ts-expect-error a route with params needs them
  await client.get('/posts/:id');
  // @ts-expect-error no such param
  await client.get('/posts/:id', { params: { postId: 1 } });
  // @ts-expect-error no GET route at this path
  await client.get('/nope');
  // @ts-expect-error POST /posts/:id is not a route
  await client.post('/posts/:id', { params: { id: 1 } });
  // @ts-expect-error q is a string
  await client.get('/posts', { query: { q: 5 } });
  const text = await createClient<typeof app2>('http://x').get('/text');
  type Tx = Expect<Equal<typeof text, string>>;
  const stats = await client.get('/admin/stats');
  type St = Expect<Equal<typeof stats, { posts: number }>>;
}

export type T1 = Expect<Equal<CallResult<{ schema: {}; returns: Promise<number> }>, number>>;
export type T2 = Expect<Equal<Jsonify<{ at: Date; f(): void; n: number | undefined; tags: readonly string[] }>, { at: string; n: number | undefined; tags: string[] }>>;

// ---- controllers -------------------------------------------------------------------------------

const ById = z.object({ id: z.coerce.number().int() });

@Controller('/notes')
class NotesController {
  private readonly notes = new Map<number, { id: number; text: string; at: Date }>();
  @Get('/:id', { schema: { params: ById } })
  show(ctx: Ctx<'/:id', { params: typeof ById }>) {
    return this.notes.get(ctx.params.id) ?? null;
  }
  @Post('/', { schema: { body: NewPost } })
  create(ctx: Ctx<'/', { body: typeof NewPost }>) {
    return { id: 1, title: ctx.body.title };
  }
  @Get()
  list() {
    return [...this.notes.values()];
  }
}

export async function controllerCalls(): Promise<void> {
  const notes = controllerClient(NotesController, 'http://x');
  const one = await notes.show({ params: { id: 1 } });
  type S = Expect<Equal<typeof one, { id: number; text: string; at: string } | null>>;
  const all = await notes.list();
  type A = Expect<Equal<typeof all, Array<{ id: number; text: string; at: string }>>>;
  await notes.create({ body: { title: 'x', draft: true } });
  // @ts-expect-error the body is required
  await notes.create();
  // @ts-expect-error params are required
  await notes.show({});
  // @ts-expect-error private members are not routes
  void notes.notes;
}

test('the type tests compile (npm run typecheck); the runtime side lists the controller routes', () => {
  const notes = controllerClient(NotesController, 'http://x');
  assert.deepEqual(Object.keys(notes).sort(), ['create', 'list', 'show']);
});
