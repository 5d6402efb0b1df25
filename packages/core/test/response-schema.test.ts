// Response schemas never fail open: Standard Schemas are converted through their vendor's JSON
// Schema export (zod, arktype; valibot with @valibot/to-json-schema) or refused at start-up, and
// a JSON Schema the serializer cannot enforce is a start-up error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { z } from 'zod';
import * as v from 'valibot';
import { type } from 'arktype';
import { createApp, type JsonSchema, type StandardSchemaV1 } from '../src/index.js';
import { responseJsonSchema } from '../src/schema/response-schema.js';

const row = { id: 7, name: 'Ada', email: 'ada@example.com', passwordHash: '$argon2id$secret', address: { city: 'London', token: 'inner-secret' } };

async function served(schema: unknown): Promise<unknown> {
  const app = createApp();
  app.get('/user', { schema: { response: { 200: schema as JsonSchema } } }, () => row);
  const r = await app.inject('/user');
  assert.equal(r.statusCode, 200, r.body);
  assert.ok(!r.body.includes('secret'), `undeclared fields leaked: ${r.body}`);
  return r.json();
}

async function refusedAtStart(schema: unknown): Promise<string> {
  const app = createApp();
  app.get('/user', { schema: { response: { 200: schema as JsonSchema } } }, () => row);
  let message = '';
  await assert.rejects(app.ready(), (e: Error) => {
    message = e.message;
    return e instanceof TypeError && /^Response schema for 200 of route GET \/user: /.test(e.message);
  });
  return message;
}

test('a Zod object as response schema writes only its declared fields (z.toJSONSchema, output side)', async () => {
  const User = z.object({ id: z.number(), name: z.string(), email: z.email(), address: z.object({ city: z.string() }), nickname: z.string().optional() });
  assert.deepEqual(await served(User), { id: 7, name: 'Ada', email: 'ada@example.com', address: { city: 'London' } });
  // defaults belong to the output side: the field is declared and required there
  const schema = responseJsonSchema(z.object({ tags: z.array(z.string()).default([]) })) as { required?: string[] };
  assert.deepEqual(schema.required, ['tags']);
});

test('an ArkType type as response schema writes only its declared fields', async () => {
  const User = type({ id: 'number', name: 'string', address: { city: 'string' } });
  assert.deepEqual(await served(User), { id: 7, name: 'Ada', address: { city: 'London' } });
});

test('a Valibot schema: converted with @valibot/to-json-schema when installed, else refused with what to do', async () => {
  const User = v.object({ id: v.number(), name: v.string() });
  let installed = true;
  try {
    createRequire(import.meta.url)('@valibot/to-json-schema');
  } catch {
    installed = false;
  }
  if (installed) {
    assert.deepEqual(await served(User), { id: 7, name: 'Ada' });
  } else {
    assert.match(await refusedAtStart(User), /this valibot schema cannot be a response schema.*Install @valibot\/to-json-schema/);
  }
});

test('a schema its vendor cannot export (z.date(), transforms) is refused at start-up with the reason', async () => {
  assert.match(await refusedAtStart(z.object({ id: z.number(), created: z.date() })), /zod schema cannot be converted to JSON Schema .*Date.*use JSON types/);
  assert.match(await refusedAtStart(z.object({ id: z.number().transform((n) => String(n)) })), /zod schema cannot be converted/);
});

test('a Standard Schema without any JSON Schema export is refused; one with ~standard.jsonSchema is used', async () => {
  const validateOnly: StandardSchemaV1 = { '~standard': { version: 1, vendor: 'acme', validate: (value) => ({ value }) } };
  assert.match(await refusedAtStart(validateOnly), /this acme schema cannot be a response schema: it has no JSON Schema export.*Give a JSON Schema/);
  const targets: string[] = [];
  const standardJson = {
    '~standard': {
      version: 1,
      vendor: 'acme',
      validate: (value: unknown) => ({ value }),
      jsonSchema: {
        input: () => ({}),
        output: (o: { target: string }) => {
          targets.push(o.target);
          return { type: 'object', properties: { id: { type: 'number' } } };
        },
      },
    },
  };
  assert.deepEqual(await served(standardJson), { id: 7 });
  assert.deepEqual(targets, ['draft-2020-12']);
});

test('a JSON Schema the serializer cannot enforce is a start-up error, never a pass-through', async () => {
  assert.match(await refusedAtStart({ type: 'object', properties: { id: { type: 'number' } }, if: { required: ['id'] }, then: { properties: { passwordHash: {} } } }), /"if" is not supported/);
  assert.match(await refusedAtStart({ type: 'object', properties: { created: { type: 'Date' } } }), /at \/created: type "Date" is not a JSON type/);
  assert.match(await refusedAtStart({ type: 'object', properties: { a: { $ref: '#/$defs/Missing' } } }), /at \/a: \$ref "#\/\$defs\/Missing" cannot be resolved/);
  // the usual JSON Schema keeps working
  assert.deepEqual(await served({ type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } }, required: ['id'] }), { id: 7, name: 'Ada' });
});
