import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type } from 'arktype';
import * as v from 'valibot';
import { z } from 'zod';
import { HttpError } from '../src/http/errors.js';
import { problemJson } from '../src/http/problem.js';
import type { InferInput, InferOutput, StandardSchemaV1 } from '../src/schema/standard-schema.js';
import { isStandardSchema, validate, ValidationError, type ValidationIssue } from '../src/schema/validate.js';

// ---------------------------------------------------------------------------------------------
// Compile-time checks (run by `npx tsc -p tsconfig.check.json --noEmit`): `Equal` is true only
// for identical types, and `expectEqual<A, B>()` does not compile unless it is.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectEqual<A, B>(..._proof: Equal<A, B> extends true ? [] : [never]): void {}

/** Runs `fn` and returns the ValidationError it throws (or rejects with). */
async function rejection(fn: () => unknown): Promise<ValidationError> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ValidationError');
}

function byPath(issues: ValidationIssue[]): Record<string, string> {
  return Object.fromEntries(issues.map((i) => [i.path, i.message]));
}

// ---------------------------------------------------------------------------------------------
// Zod

const zodUser = z.object({
  id: z.coerce.number().int(),
  name: z.string().transform((s) => s.trim()),
  tags: z.array(z.string()).default([]),
});

test('zod: success returns the coerced and transformed output, synchronously', () => {
  const out = validate(zodUser, { id: '42', name: '  Ada ' }, 'body');
  assert.ok(!(out instanceof Promise), 'a synchronous schema must not produce a promise');
  assert.deepEqual(out, { id: 42, name: 'Ada', tags: [] });
});

test('zod: failure is a 400 that lists every issue with where, path and message', async () => {
  const error = await rejection(() => validate(zodUser, { id: 'x', name: 3 }, 'body'));
  assert.ok(error instanceof HttpError);
  assert.equal(error.status, 400);
  assert.equal(error.expose, true);
  assert.equal(error.name, 'ValidationError');
  assert.equal(error.issues.length, 2);
  for (const issue of error.issues) {
    assert.equal(issue.in, 'body');
    assert.equal(typeof issue.message, 'string');
    assert.ok(issue.message.length > 0);
  }
  assert.deepEqual(error.issues.map((i) => i.path).sort(), ['/id', '/name']);
  assert.equal(error.extensions.issues, error.issues); // the problem document's `issues` member
  assert.match(error.message, /^Invalid body: \/(id|name): .+ \(and 1 more\)$/);
});

test('the problem document of a ValidationError carries the issues', async () => {
  const error = await rejection(() => validate(z.object({ age: z.number() }), { age: 'old' }, 'body'));
  const doc = JSON.parse(problemJson(error.status, error.message, error.extensions)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(doc), ['type', 'title', 'status', 'detail', 'issues']);
  assert.equal(doc.status, 400);
  assert.equal(doc.title, 'Bad Request');
  assert.match(doc.detail as string, /^Invalid body: \/age: /);
  assert.deepEqual(doc.issues, [{ in: 'body', path: '/age', message: error.issues[0]!.message }]);
});

test('zod: nested paths become JSON Pointers', async () => {
  const order = z.object({
    address: z.object({ zip: z.string() }),
    items: z.array(z.object({ qty: z.number().positive() })),
  });
  const error = await rejection(() => validate(order, { address: { zip: 75001 }, items: [{ qty: 1 }, { qty: -2 }] }, 'body'));
  assert.deepEqual(Object.keys(byPath(error.issues)).sort(), ['/address/zip', '/items/1/qty']);
});

test('zod: an async refinement makes validate() asynchronous; both outcomes', async () => {
  const taken = new Set(['root', 'admin']);
  const signup = z.object({
    username: z.string().refine(async (name) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return !taken.has(name);
    }, 'username is taken'),
  });
  const ok = validate(signup, { username: 'ada' }, 'body');
  assert.ok(ok instanceof Promise);
  assert.deepEqual(await ok, { username: 'ada' });

  const failed = validate(signup, { username: 'root' }, 'body');
  assert.ok(failed instanceof Promise);
  const error = await rejection(() => failed);
  assert.deepEqual(error.issues, [{ in: 'body', path: '/username', message: 'username is taken' }]);
});

test('zod: headers and params are named in the issues', async () => {
  const headers = z.object({ 'x-api-key': z.string().min(8) });
  const error = await rejection(() => validate(headers, { 'x-api-key': 'short' }, 'headers'));
  assert.equal(error.issues[0]!.in, 'headers');
  assert.equal(error.issues[0]!.path, '/x-api-key');
  assert.match(error.message, /^Invalid headers: \/x-api-key: /);

  const params = z.object({ id: z.string().uuid() });
  assert.equal((await rejection(() => validate(params, { id: '42' }, 'params'))).issues[0]!.in, 'params');
});

test('zod: inferred types are the library\'s', () => {
  expectEqual<InferOutput<typeof zodUser>, z.output<typeof zodUser>>();
  expectEqual<InferInput<typeof zodUser>, z.input<typeof zodUser>>();
  expectEqual<InferOutput<typeof zodUser>, { id: number; name: string; tags: string[] }>();
  // @ts-expect-error: the output of the transform is a string, not the input's unknown
  expectEqual<InferOutput<typeof zodUser>, { id: unknown; name: string; tags: string[] }>();

  const out = validate(zodUser, { id: 1, name: 'a' }, 'query');
  expectEqual<Awaited<typeof out>, { id: number; name: string; tags: string[] }>();
  assert.ok(true);
});

// ---------------------------------------------------------------------------------------------
// Valibot

const valibotQuery = v.object({
  page: v.pipe(v.string(), v.transform(Number), v.number(), v.integer(), v.minValue(1)),
  sort: v.optional(v.picklist(['asc', 'desc']), 'asc'),
});

test('valibot: success returns the transformed output, synchronously', () => {
  const out = validate(valibotQuery, { page: '3' }, 'query');
  assert.ok(!(out instanceof Promise));
  assert.deepEqual(out, { page: 3, sort: 'asc' });
});

test('valibot: failure lists issues with paths from { key } segments', async () => {
  const error = await rejection(() => validate(valibotQuery, { page: '0', sort: 'sideways' }, 'query'));
  assert.equal(error.status, 400);
  const issues = byPath(error.issues);
  assert.deepEqual(Object.keys(issues).sort(), ['/page', '/sort']);
  assert.match(issues['/page']!, /1/); // "Invalid value: Expected >=1 but received 0"
  assert.ok(error.issues.every((i) => i.in === 'query'));

  const nested = v.object({ address: v.object({ lines: v.array(v.string()) }) });
  const deep = await rejection(() => validate(nested, { address: { lines: ['ok', 7] } }, 'body'));
  assert.deepEqual(deep.issues.map((i) => i.path), ['/address/lines/1']);
});

test('valibot: async checks make validate() asynchronous; both outcomes', async () => {
  const schema = v.objectAsync({
    email: v.pipeAsync(
      v.string(),
      v.email(),
      v.checkAsync(async (email) => !email.endsWith('@blocked.example'), 'domain is blocked'),
    ),
  });
  const ok = validate(schema, { email: 'ada@example.com' }, 'body');
  assert.ok(ok instanceof Promise);
  assert.deepEqual(await ok, { email: 'ada@example.com' });
  const error = await rejection(() => validate(schema, { email: 'eve@blocked.example' }, 'body'));
  assert.deepEqual(error.issues, [{ in: 'body', path: '/email', message: 'domain is blocked' }]);
});

test('valibot: inferred types are the library\'s', () => {
  expectEqual<InferOutput<typeof valibotQuery>, v.InferOutput<typeof valibotQuery>>();
  expectEqual<InferInput<typeof valibotQuery>, v.InferInput<typeof valibotQuery>>();
  expectEqual<InferOutput<typeof valibotQuery>, { page: number; sort: 'asc' | 'desc' }>();
  // @ts-expect-error: page is a number after the transform
  expectEqual<InferOutput<typeof valibotQuery>, { page: string; sort: 'asc' | 'desc' }>();
  assert.ok(true);
});

// ---------------------------------------------------------------------------------------------
// ArkType (its validation is synchronous: it has no async checks)

const arkParams = type({ id: 'string.numeric.parse', slug: 'string.lower', 'limit?': 'string.integer.parse' });

test('arktype: success returns the parsed output, synchronously', () => {
  const out = validate(arkParams, { id: '7', slug: 'Hello-World', limit: '20' }, 'params');
  assert.ok(!(out instanceof Promise));
  assert.deepEqual(out, { id: 7, slug: 'hello-world', limit: 20 });
});

test('arktype: failure lists every issue', async () => {
  const error = await rejection(() => validate(arkParams, { id: 'seven', slug: 'ok', limit: 'ten' }, 'params'));
  assert.equal(error.status, 400);
  const issues = byPath(error.issues);
  assert.deepEqual(Object.keys(issues).sort(), ['/id', '/limit']);
  assert.match(issues['/id']!, /numeric/);
  const list = type({ tags: 'string[]' });
  assert.deepEqual((await rejection(() => validate(list, { tags: ['a', 1] }, 'body'))).issues.map((i) => i.path), ['/tags/1']);
});

test('arktype: inferred types are the library\'s', () => {
  expectEqual<InferOutput<typeof arkParams>, typeof arkParams.infer>();
  expectEqual<InferInput<typeof arkParams>, typeof arkParams.inferIn>();
  expectEqual<InferOutput<typeof arkParams>, { id: number; slug: string; limit?: number }>();
  // @ts-expect-error: id is parsed to a number
  expectEqual<InferOutput<typeof arkParams>, { id: string; slug: string; limit?: number }>();
  assert.ok(true);
});

// ---------------------------------------------------------------------------------------------
// The protocol itself, with hand-written schemas

function handWritten(result: unknown): StandardSchemaV1<unknown, unknown> {
  return { '~standard': { version: 1, vendor: 'test', validate: () => result as never } };
}

test('paths: keys are escaped as in JSON Pointer; symbols and numbers; the root is ""', async () => {
  const schema = handWritten({
    issues: [
      { message: 'slash and tilde', path: ['a/b', { key: 'c~d' }, 0] },
      { message: 'symbol', path: [Symbol('sym'), { key: 3 }] },
      { message: 'root' },
      { message: 'empty path', path: [] },
    ],
  });
  const error = await rejection(() => validate(schema, {}, 'body'));
  assert.deepEqual(error.issues, [
    { in: 'body', path: '/a~1b/c~0d/0', message: 'slash and tilde' },
    { in: 'body', path: '/sym/3', message: 'symbol' },
    { in: 'body', path: '', message: 'root' },
    { in: 'body', path: '', message: 'empty path' },
  ]);
  assert.equal(error.message, 'Invalid body: /a~1b/c~0d/0: slash and tilde (and 3 more)');
});

test('a failure with an empty issue list is still a 400', async () => {
  const error = await rejection(() => validate(handWritten({ issues: [] }), 1, 'query'));
  assert.equal(error.status, 400);
  assert.deepEqual(error.issues, []);
  assert.equal(error.message, 'Invalid query');
});

test('a validator that throws is not turned into a 400', async () => {
  const boom = new Error('validator bug');
  const throwing: StandardSchemaV1 = { '~standard': { version: 1, vendor: 'test', validate: () => { throw boom; } } };
  assert.throws(() => validate(throwing, 1, 'body'), (e) => e === boom);
  const rejecting: StandardSchemaV1 = { '~standard': { version: 1, vendor: 'test', validate: () => Promise.reject(boom) } };
  await assert.rejects(async () => validate(rejecting, 1, 'body'), (e) => e === boom);
});

test('success values are passed through as the validator returns them (falsy ones too)', async () => {
  for (const value of [0, '', false, null, undefined]) {
    assert.equal(validate(handWritten({ value }), 'ignored', 'body'), value);
    assert.equal(await validate(handWritten(Promise.resolve({ value })), 'ignored', 'body'), value);
  }
});

test('isStandardSchema tells validators from other values', () => {
  assert.equal(isStandardSchema(zodUser), true);
  assert.equal(isStandardSchema(valibotQuery), true);
  assert.equal(isStandardSchema(arkParams), true); // a function with a ~standard property
  assert.equal(isStandardSchema(handWritten({ value: 1 })), true);
  assert.equal(isStandardSchema({ type: 'object', properties: {} }), false);
  assert.equal(isStandardSchema({ '~standard': { version: 2, validate: () => ({ value: 1 }) } }), false);
  assert.equal(isStandardSchema({ '~standard': { version: 1 } }), false);
  assert.equal(isStandardSchema(null), false);
  assert.equal(isStandardSchema('zod'), false);
});
