// An independent tool reads the document: openapi-typescript generates types from it, and calls
// written against those types type-check (wrong ones do not: each `@ts-expect-error` must find
// its error, or tsc reports the directive as unused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import openapiTS, { astToString } from 'openapi-typescript';
import { z } from 'zod';
import { createApp } from '@armature/core';
import { createDocument } from '@armature/openapi';

const User = z.object({ id: z.number().int(), name: z.string(), email: z.string(), tags: z.array(z.string()) });

const CALLS = `
import type { paths } from './api.js';

type Op<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];
type JsonBody<O> = O extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
type Ok<O> = O extends { responses: { 200: { content: { 'application/json': infer R } } } } ? R
  : O extends { responses: { 201: { content: { 'application/json': infer R } } } } ? R : never;
type Input<O> = (O extends { parameters: { path: infer P } } ? [P] extends [never | undefined] ? {} : { path: P } : {})
  & (O extends { parameters: { query?: infer Q } } ? { query?: Q } : {})
  & ([JsonBody<O>] extends [never] ? {} : { body: JsonBody<O> });

declare function call<P extends keyof paths, M extends keyof paths[P] & string>(method: M, path: P, input: Input<Op<P, M>>): Promise<Ok<Op<P, M>>>;

export async function main(): Promise<void> {
  const created = await call('post', '/users', { body: { name: 'Ada', email: 'ada@example.com' } });
  const id: number = created.id;
  const user = await call('get', '/users/{id}', { path: { id } });
  const tags: string[] = user.tags;
  const page = await call('get', '/users', { query: { limit: 10 } });
  const first: string | undefined = page[0]?.name;
  void tags; void first;

  // @ts-expect-error the body needs an email
  await call('post', '/users', { body: { name: 'Ada' } });
  // @ts-expect-error age is a number
  await call('post', '/users', { body: { name: 'Ada', email: 'a@b.c', age: 'old' } });
  // @ts-expect-error the path parameter is missing
  await call('get', '/users/{id}', {});
  // @ts-expect-error no such path
  await call('get', '/accounts', {});
  // @ts-expect-error the answer has no such field
  void (await call('get', '/users/{id}', { path: { id: 1 } })).password;
}
`;

test('openapi-typescript generates types from the document; calls type-check against them', async () => {
  const app = createApp();
  app.get('/users', { schema: { query: z.object({ limit: z.coerce.number().int().optional() }), response: { 200: z.array(User) } } }, () => []);
  app.post('/users', { schema: { body: z.object({ name: z.string(), email: z.email(), age: z.number().optional() }), response: { 201: User } } }, () => null);
  app.get('/users/:id<int>', { schema: { response: { 200: User } } }, () => null);
  const generated = astToString(await openapiTS(createDocument(app) as never));
  assert.match(generated, /"\/users\/\{id\}"/);

  const dir = mkdtempSync(join(tmpdir(), 'armature-openapi-ts-'));
  try {
    writeFileSync(join(dir, 'api.ts'), generated);
    writeFileSync(join(dir, 'calls.ts'), CALLS);
    const program = ts.createProgram([join(dir, 'calls.ts')], {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, types: [],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(diagnostics, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
