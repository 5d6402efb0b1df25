#!/usr/bin/env node
// Serializer micro benchmark: Armature's schema-compiled serializer (packages/core/src/schema/
// serializer.ts) against JSON.stringify and fast-json-stringify (Fastify's serializer), in one
// run, on three payloads:
//   hello   TechEmpower's { message: 'Hello, World!' }
//   user    a typical API object: 11 fields, a nested address, a tags array
//   users   an array of 100 such users (all different)
//
//   cd /work/main && npx tsc -b packages/core && taskset -c 1 node benches/micro/serialize.mjs
//   env: ROUNDS (default 31), SAMPLE_MS (target time of one sample, default 4)
//
// Two modes: "string" times the call alone; "bytes" also encodes the result to a UTF-8 Buffer,
// as writing it to a socket would (a string built by concatenation is flattened then, so this
// is the fairer figure when comparing with JSON.stringify, which builds a flat string).
//
// Harness (hand-written):
//  - sanity pass first: the three must write the same text for every payload;
//  - each serializer × payload × mode gets its own timing loop (new Function), so that call
//    sites stay monomorphic;
//  - warm-up, then a batch size per cell such that one sample takes about SAMPLE_MS;
//  - ROUNDS rounds, every cell once per round, in a rotating order so that machine noise hits
//    them alike; the median sample is reported as ns/op, with ratios to JSON.stringify and to
//    fast-json-stringify from the same run. Results go to benches/results/serialize.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastJson from 'fast-json-stringify';
import { compileSerializer } from '../../packages/core/dist/schema/serializer.js';

const ROUNDS = Number(process.env.ROUNDS ?? 31);
const SAMPLE_MS = Number(process.env.SAMPLE_MS ?? 4);

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
// Sanity: the same text from all three.

const cells = [];
for (const [payloadName, { schema, value }] of Object.entries(payloads)) {
  const expected = JSON.stringify(value);
  for (const [name, make] of Object.entries(serializers)) {
    const fn = make(schema);
    const out = fn(value);
    if (out !== expected) throw new Error(`${name} writes different text for ${payloadName}:\n${out}\n${expected}`);
    for (const mode of MODES) {
      // a fresh loop per cell keeps its call site monomorphic
      const body = mode === 'string'
        ? 'let sink = 0; for (let i = 0; i < n; i++) sink += fn(value).length; return sink;'
        : 'let sink = 0; for (let i = 0; i < n; i++) sink += Buffer.from(fn(value), "utf8").length; return sink;';
      const loop = new Function('fn', 'value', 'n', body);
      cells.push({ payload: payloadName, serializer: name, mode, run: (n) => loop(fn, value, n), batch: 1, samples: [] });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Warm-up and calibration, then interleaved rounds.

let sink = 0;
function time(cell, n) {
  const start = process.hrtime.bigint();
  sink += cell.run(n);
  return Number(process.hrtime.bigint() - start);
}

const began = Date.now();
for (const cell of cells) {
  let n = 64;
  for (;;) {
    const ns = time(cell, n);
    if (ns >= SAMPLE_MS * 1e6 / 4 || n > 1e7) {
      cell.batch = Math.max(1, Math.round((n * SAMPLE_MS * 1e6) / ns));
      break;
    }
    n *= 2;
  }
  for (let i = 0; i < 5; i++) time(cell, cell.batch); // JIT warm-up at the timed size
}

for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < cells.length; k++) {
    const cell = cells[(k + round) % cells.length];
    cell.samples.push(time(cell, cell.batch) / cell.batch);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};

// ---------------------------------------------------------------------------------------------
// Report.

const results = [];
for (const mode of MODES) {
  console.log(`\nmode: ${mode}${mode === 'bytes' ? ' (serialize + Buffer.from(utf8))' : ''}`);
  console.log('payload  serializer            ns/op      vs JSON.stringify  vs fast-json-stringify');
  for (const payload of Object.keys(payloads)) {
    const row = (name) => cells.find((c) => c.payload === payload && c.serializer === name && c.mode === mode);
    const ref = median(row('JSON.stringify').samples);
    const fjs = median(row('fast-json-stringify').samples);
    for (const name of Object.keys(serializers)) {
      const ns = median(row(name).samples);
      const entry = {
        payload, mode, serializer: name, nsPerOp: Number(ns.toFixed(1)),
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
console.log(`\n(speedup = other's ns/op ÷ this one's: above 1 is faster; ${ROUNDS} rounds, ${((Date.now() - began) / 1000).toFixed(1)} s; sink ${sink % 10})`);

const out = fileURLToPath(new URL('../results/serialize.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('../results/', import.meta.url)), { recursive: true });
writeFileSync(out, JSON.stringify({
  date: new Date().toISOString(),
  node: process.version,
  rounds: ROUNDS,
  sampleMs: SAMPLE_MS,
  versions: { 'fast-json-stringify': (await import('fast-json-stringify/package.json', { with: { type: 'json' } })).default.version },
  results,
}, null, 2) + '\n');
console.log(`wrote ${out}`);
