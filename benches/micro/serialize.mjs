#!/usr/bin/env node
// Serializer micro benchmark: Armature's schema-compiled serializer (packages/core/src/schema/
// serializer.ts) against JSON.stringify and fast-json-stringify (Fastify's serializer), in one
// run, on three payloads:
//   hello   TechEmpower's { message: 'Hello, World!' }
//   user    a typical API object: 11 fields, a nested address, a tags array
//   users   an array of 100 such users (all different)
//
//   npm run build && node --expose-gc benches/micro/serialize.mjs     (or: npm run bench:micro -- serialize)
//   env: ROUNDS (default 3), ONLY (regular expression on the groups, e.g. ONLY=users),
//        ISOLATE=0 (all groups in one process)
//
// Two modes: "string" times the call alone; "bytes" also encodes the result to a UTF-8 Buffer,
// as writing it to a socket would (a string built by concatenation is flattened then, so this
// is the fairer figure when comparing with JSON.stringify, which builds a flat string).
//
// Harness: mitata, through benches/micro/harness.mjs (each payload × mode in its own process,
// ROUNDS rounds, median of mitata's p50):
//  - sanity pass first: the three must write the same text for every payload;
//  - each serializer × payload × mode gets its own function (new Function), so that call sites
//    stay monomorphic;
//  - the report gives ns/op with ratios to JSON.stringify and to fast-json-stringify from the
//    same run. Results go to benches/results/serialize.json.
import fastJson from 'fast-json-stringify';
import { compileSerializer } from '../../packages/core/dist/schema/serializer.js';
import { compare, do_not_optimize, inGroupProcess, selected, writeResults } from './harness.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 3);

// ---------------------------------------------------------------------------------------------
// Payloads and their schemas (plain JSON Schema, the same for Armature and fast-json-stringify).

const helloSchema = {
  type: 'object',
  properties: { message: { type: 'string' } },
  required: ['message'],
};

const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    email: { type: 'string' },
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    age: { type: 'integer' },
    active: { type: 'boolean' },
    score: { type: 'number' },
    createdAt: { type: 'string', format: 'date-time' },
    address: {
      type: 'object',
      properties: {
        street: { type: 'string' },
        city: { type: 'string' },
        zip: { type: 'string' },
        country: { type: 'string' },
      },
      required: ['street', 'city', 'zip', 'country'],
    },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['id', 'username', 'email', 'firstName', 'lastName', 'age', 'active', 'score', 'createdAt', 'address', 'tags'],
};

const usersSchema = { type: 'array', items: userSchema };

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Frances', 'John'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Allen', 'Backus'];
const CITIES = ['London', 'Arlington', 'Manchester', 'Rotterdam', 'Los Angeles', 'Milwaukee', 'Paoli', 'New Orleans'];
const TAGS = ['admin', 'beta', 'math', 'engines', 'compilers', 'poetry', 'ops', 'billing'];

function user(i) {
  const first = FIRST[i % FIRST.length];
  const last = LAST[(i * 7) % LAST.length];
  return {
    id: 10_000 + i,
    username: `${first}.${last}${i}`.toLowerCase(),
    email: `${first}.${last}${i}@example.com`.toLowerCase(),
    firstName: first,
    lastName: last,
    age: 20 + (i % 50),
    active: i % 3 !== 0,
    score: Math.round(((i * 37) % 1000) * 1.37) / 10,
    createdAt: new Date(Date.UTC(2024, i % 12, 1 + (i % 28), 10, 30)).toISOString(),
    address: { street: `${12 + i} Analytical Row`, city: CITIES[i % CITIES.length], zip: `N${i % 9} ${i % 10}GU`, country: 'UK' },
    tags: [TAGS[i % TAGS.length], TAGS[(i + 3) % TAGS.length], TAGS[(i + 5) % TAGS.length]],
  };
}

const payloads = {
  hello: { schema: helloSchema, value: { message: 'Hello, World!' } },
  user: { schema: userSchema, value: user(1) },
  users: { schema: usersSchema, value: Array.from({ length: 100 }, (_, i) => user(i)) },
};

const serializers = {
  armature: (schema) => compileSerializer(structuredClone(schema)),
  'JSON.stringify': () => (value) => JSON.stringify(value),
  'fast-json-stringify': (schema) => fastJson(structuredClone(schema)),
};
const MODES = ['string', 'bytes'];

// ---------------------------------------------------------------------------------------------
// Sanity: the same text from all three; then one mitata case per payload × mode × serializer.

const cases = [];
for (const [payloadName, { schema, value }] of Object.entries(payloads)) {
  const expected = JSON.stringify(value);
  for (const [name, make] of Object.entries(serializers)) {
    const fn = make(schema);
    const out = fn(value);
    if (out !== expected) throw new Error(`${name} writes different text for ${payloadName}:\n${out}\n${expected}`);
    for (const mode of MODES) {
      // a function of its own per case keeps its call site monomorphic
      const call = mode === 'string' ? 'keep(fn(value))' : 'keep(Buffer.from(fn(value), "utf8"))';
      const run = new Function('fn', 'value', 'keep', `return () => ${call};`)(fn, value, do_not_optimize);
      cases.push({ group: `${payloadName} (${mode})`, name, fn: run, payload: payloadName, mode });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Measure (benches/micro/harness.mjs), then report as before: ratios to both peers.

const measured = await compare(selected(cases), {
  title: `Serialization, ns per call: Armature compiled vs JSON.stringify and fast-json-stringify (Node ${process.version})`,
  reference: 'fast-json-stringify',
  rounds: ROUNDS,
});
if (inGroupProcess) process.exit(0);

const results = [];
for (const mode of MODES) {
  console.log(`\nmode: ${mode}${mode === 'bytes' ? ' (serialize + Buffer.from(utf8))' : ''}`);
  console.log('payload  serializer            ns/op      vs JSON.stringify  vs fast-json-stringify');
  for (const payload of Object.keys(payloads)) {
    const row = (name) => measured.find((m) => m.group === `${payload} (${mode})` && m.name === name);
    if (row('JSON.stringify') === undefined) continue;
    const ref = row('JSON.stringify').nsPerOp;
    const fjs = row('fast-json-stringify').nsPerOp;
    for (const name of Object.keys(serializers)) {
      const ns = row(name).nsPerOp;
      const entry = {
        payload, mode, serializer: name, nsPerOp: ns,
        speedupVsJsonStringify: Number((ref / ns).toFixed(2)),
        speedupVsFastJsonStringify: Number((fjs / ns).toFixed(2)),
      };
      results.push(entry);
      console.log(
        `${payload.padEnd(8)} ${name.padEnd(20)} ${ns.toFixed(1).padStart(9)}   ${`${entry.speedupVsJsonStringify.toFixed(2)}x`.padStart(16)}  ${`${entry.speedupVsFastJsonStringify.toFixed(2)}x`.padStart(22)}`,
      );
    }
  }
}
console.log('\n(speedup = other\'s ns/op ÷ this one\'s: above 1 is faster)');

writeResults('serialize', ROUNDS, {
  versions: { 'fast-json-stringify': (await import('fast-json-stringify/package.json', { with: { type: 'json' } })).default.version },
  results,
});
