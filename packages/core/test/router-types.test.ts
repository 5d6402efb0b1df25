/**
 * Type tests for RouteParams<Path> (router/pattern.ts). They are checked by the compiler
 * (`npx tsc -p tsconfig.check.json --noEmit` includes every package's tests): an `Expect<Equal<…>>`
 * that is false, or an `@ts-expect-error` with no error under it, fails the type check. The
 * runtime test at the end only makes the file a valid node:test file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParamNames, RouteParams } from '../src/router/index.js';
import { RadixRouter } from '../src/router/index.js';

type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

// parameters, in any number
export type T1 = Expect<Equal<RouteParams<'/users/:id'>, { id: string }>>;
export type T2 = Expect<Equal<RouteParams<'/users/:id/posts/:postId'>, { id: string; postId: string }>>;
export type T3 = Expect<Equal<RouteParams<'/:a/:b/:c'>, { a: string; b: string; c: string }>>;
export type T4 = Expect<Equal<RouteParams<'/repos/:owner/:repo/issues/:issue_number/comments'>, { owner: string; repo: string; issue_number: string }>>;
export type T5 = Expect<Equal<RouteParams<'/u/:$id_2'>, { $id_2: string }>>;

// static paths have no params
export type T6 = Expect<Equal<RouteParams<'/'>, {}>>;
export type T7 = Expect<Equal<RouteParams<'/users/me'>, Record<never, string>>>;
export type T8 = Expect<Equal<ParamNames<'/about'>, never>>;

// constraints: the key is the name alone
export type T9 = Expect<Equal<RouteParams<'/users/:id(\\d+)'>, { id: string }>>;
export type T10 = Expect<Equal<RouteParams<'/users/:id<int>'>, { id: string }>>;
export type T11 = Expect<Equal<RouteParams<'/u/:id<uuid>/posts/:slug([a-z-]+)'>, { id: string; slug: string }>>;
// regular expressions with groups, classes, escapes, ":" and "/" inside do not leak names
export type T12 = Expect<Equal<RouteParams<'/t/:time(\\d{2}:\\d{2})/x'>, { time: string }>>;
export type T13 = Expect<Equal<RouteParams<'/c/:v((?:ab)+|x[)(:]y)/:w'>, { v: string; w: string }>>;
export type T14 = Expect<Equal<RouteParams<'/e/:v(a\\)b)/:w'>, { v: string; w: string }>>;
export type T15 = Expect<Equal<RouteParams<'/r/:v(a/:b)'>, { v: string }>>;

// several per segment, literal colons, wildcards
export type T16 = Expect<Equal<RouteParams<'/files/:name.:ext'>, { name: string; ext: string }>>;
export type T17 = Expect<Equal<RouteParams<'/d/:from-:to'>, { from: string; to: string }>>;
export type T18 = Expect<Equal<RouteParams<'/v1/things::batchGet'>, {}>>;
export type T19 = Expect<Equal<RouteParams<'/v1/things/:id::archive'>, { id: string }>>;
export type T20 = Expect<Equal<RouteParams<'/files/*'>, { '*': string }>>;
export type T21 = Expect<Equal<RouteParams<'/u/:id/files/*'>, { id: string; '*': string }>>;
export type T22 = Expect<Equal<RouteParams<'/*'>, { '*': string }>>;

// a path that is not a literal: any string key
export type T23 = Expect<Equal<RouteParams<string>, Record<string, string>>>;

// using the type
function show(params: RouteParams<'/users/:id/posts/:postId'>): string {
  const id: string = params.id;
  const postId: string = params.postId;
  // @ts-expect-error: the path has no :slug
  const slug: string = params.slug;
  return `${id}/${postId}/${String(slug)}`;
}

// different names at one position of the tree: each route's params are typed from its own pattern
export type T30 = Expect<Equal<RouteParams<'/c/:id'>, { id: string }>>;
export type T31 = Expect<Equal<RouteParams<'/c/:key/x'>, { key: string }>>;
// @ts-expect-error: /c/:key/x has no :id, even though /c/:id shares its place in the tree
const notShared: string = ({} as RouteParams<'/c/:key/x'>).id;

const ok: RouteParams<'/users/:id(\\d+)'> = { id: '1' };
// @ts-expect-error: id is required
const missing: RouteParams<'/users/:id'> = {};
// @ts-expect-error: values are strings
const wrongType: RouteParams<'/users/:id'> = { id: 1 };
// @ts-expect-error: not a parameter of this path
const extra: RouteParams<'/users/:id'> = { id: '1', other: '2' };
// @ts-expect-error: a static path has no params to read
const none: string = ({} as RouteParams<'/users/me'>).id;
const wildcard: RouteParams<'/files/*'> = { '*': 'a/b' };
// a params object from the router (Record<string, string>) can be narrowed by the caller
const fromRouter: RouteParams<'/users/:id'> = new RadixRouter<number>().find('GET', '/users/1')?.params as RouteParams<'/users/:id'>;

test('types compile', () => {
  // the assertions above are checked by tsc; at runtime, just exercise the values
  assert.equal(show({ id: '1', postId: '2' } as RouteParams<'/users/:id/posts/:postId'>).startsWith('1/2/'), true);
  assert.deepEqual([ok, missing, wrongType, extra, none, wildcard, fromRouter, notShared].length, 8);
});
