import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { compileSerializer, SerializationError, UnsupportedSchemaError, type JsonSchema } from '../src/schema/serializer.js';

/** Asserts that `fn` throws a SerializationError at `path` whose reason matches `reason`. */
function throwsAt(fn: () => unknown, path: string, reason: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof SerializationError, `expected a SerializationError, got ${String(e)}`);
    assert.equal(e.path, path);
    assert.match(e.reason, reason);
    assert.ok(e.message.includes(path === '' ? 'the value' : path));
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// TypeBox and hand-written schemas

const User = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  email: Type.Optional(Type.String({ format: 'email' })),
  createdAt: Type.String({ format: 'date-time' }),
  score: Type.Union([Type.Number(), Type.Null()]),
  tags: Type.Array(Type.String()),
  address: Type.Object({ city: Type.String(), zip: Type.Optional(Type.String()) }),
  role: Type.Union([Type.Literal('admin'), Type.Literal('member')]),
});

test('TypeBox object: only declared fields, at every depth, in schema order', () => {
  const serialize = compileSerializer(User);
  const value = {
    password: 'hunter2',
    tags: ['a', 'b'],
    id: 7,
    name: 'Ada',
    createdAt: new Date(Date.UTC(2024, 0, 15, 10, 30)),
    score: null,
    address: { zip: '75001', city: 'Paris', geo: { lat: 1 } },
    role: 'admin',
    internalNotes: { ssn: '123' },
  };
  assert.equal(
    serialize(value),
    '{"id":7,"name":"Ada","createdAt":"2024-01-15T10:30:00.000Z","score":null,"tags":["a","b"],' +
      '"address":{"city":"Paris","zip":"75001"},"role":"admin"}',
  );
  assert.equal(
    serialize({ ...value, email: 'ada@example.com', score: 9.5 }),
    '{"id":7,"name":"Ada","email":"ada@example.com","createdAt":"2024-01-15T10:30:00.000Z","score":9.5,"tags":["a","b"],' +
      '"address":{"city":"Paris","zip":"75001"},"role":"admin"}',
  );
});

test('TypeBox: arrays of objects, records, tuples, intersections, nested arrays', () => {
  const schema = Type.Object({
    rows: Type.Array(Type.Object({ id: Type.Number(), label: Type.Optional(Type.String()) })),
    matrix: Type.Array(Type.Array(Type.Integer())),
    counts: Type.Record(Type.String(), Type.Integer()),
    pair: Type.Tuple([Type.String(), Type.Boolean()]),
    both: Type.Intersect([Type.Object({ a: Type.String() }), Type.Object({ b: Type.Number() })]),
  });
  const serialize = compileSerializer(schema);
  const out = serialize({
    rows: [{ id: 1, hidden: true }, { id: 2, label: 'two', hidden: true }],
    matrix: [[1, 2], [], [3]],
    counts: { x: 1, y: 2 },
    pair: ['p', true, 'dropped past the tuple'],
    both: { b: 2, a: 'A', c: 'not declared by either side' },
  });
  assert.equal(
    out,
    '{"rows":[{"id":1},{"id":2,"label":"two"}],"matrix":[[1,2],[],[3]],"counts":{"x":1,"y":2},' +
      '"pair":["p",true],"both":{"a":"A","b":2}}',
  );
  throwsAt(() => serialize({ rows: [], matrix: [[1, 'x']], counts: {}, pair: ['p', true], both: { a: '', b: 1 } }), '/matrix/0/1', /expected integer, got string/);
  throwsAt(() => serialize({ rows: [], matrix: [], counts: { ok: 1, 'a/b': 'x' }, pair: [], both: { a: '', b: 1 } }), '/counts/a~1b', /expected integer/);
});

test('hand-written: $defs and definitions refs, recursion, nested errors through refs', () => {
  const tree: JsonSchema = {
    $defs: {
      Node: {
        type: 'object',
        properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
        required: ['name'],
      },
    },
    definitions: { Count: { type: 'integer' } },
    type: 'object',
    properties: { root: { $ref: '#/$defs/Node' }, count: { $ref: '#/definitions/Count' } },
    required: ['root', 'count'],
  };
  const serialize = compileSerializer(tree);
  const value = {
    count: 3,
    root: { name: 'a', secret: 1, children: [{ name: 'b', children: [{ name: 'c', x: 1 }] }, { name: 'd' }] },
  };
  assert.equal(serialize(value), '{"root":{"name":"a","children":[{"name":"b","children":[{"name":"c"}]},{"name":"d"}]},"count":3}');
  throwsAt(
    () => serialize({ count: 1, root: { name: 'a', children: [{ name: 'b' }, { children: [] }] } }),
    '/root/children/1/name',
    /required property "name" is missing/,
  );

  // a ref to the root, and TypeBox's $id-based Recursive
  const list: JsonSchema = { type: 'object', properties: { v: { type: 'number' }, next: { anyOf: [{ $ref: '#' }, { type: 'null' }] } }, required: ['v', 'next'] };
  assert.equal(compileSerializer(list)({ v: 1, next: { v: 2, next: null, z: 0 } }), '{"v":1,"next":{"v":2,"next":null}}');
  // an $id inside data (examples) names no schema: the ref is unresolvable, and refused
  const idInData: JsonSchema = { type: 'object', properties: { a: { $ref: 'Thing' } }, examples: [{ $id: 'Thing', type: 'number' }] };
  assert.throws(() => compileSerializer(idInData), /at \/a: \$ref "Thing" cannot be resolved/);
  const Recursive = Type.Recursive((This) => Type.Object({ id: Type.String(), kids: Type.Array(This) }));
  assert.equal(compileSerializer(Recursive)({ id: 'r', kids: [{ id: 'k', kids: [], x: 1 }], y: 2 }), '{"id":"r","kids":[{"id":"k","kids":[]}]}');
});

test('nullable: type arrays, OpenAPI nullable, anyOf with null; null where not allowed throws', () => {
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      a: { type: ['string', 'null'] },
      b: { type: 'integer', nullable: true },
      c: { anyOf: [{ type: 'object', properties: { x: { type: 'number' } } }, { type: 'null' }] },
      d: { type: 'string' },
    },
  };
  const serialize = compileSerializer(schema);
  assert.equal(serialize({ a: null, b: null, c: null }), '{"a":null,"b":null,"c":null}');
  assert.equal(serialize({ a: 's', b: 2, c: { x: 1, y: 2 }, d: 'd' }), '{"a":"s","b":2,"c":{"x":1},"d":"d"}');
  throwsAt(() => serialize({ d: null }), '/d', /expected string, got null/);
  throwsAt(() => serialize({ c: 'str' }), '/c', /expected null or object, got string/);
});

test('Date and toJSON are honoured like JSON.stringify (toJSON gets the key)', () => {
  const serialize = compileSerializer({
    type: 'object',
    properties: {
      at: { type: 'string', format: 'date-time' },
      maybe: { type: ['string', 'null'], format: 'date-time' },
      list: { type: 'array', items: { type: 'string', format: 'date-time' } },
      money: { type: 'object', properties: { amount: { type: 'number' }, currency: { type: 'string' } } },
      keyed: { type: 'string' },
    },
  });
  const at = new Date(Date.UTC(2000, 1, 29, 12));
  const money = { cents: 1999, toJSON: () => ({ amount: 19.99, currency: 'EUR', internal: 'cost price 7' }) };
  const keyed = { toJSON: (key: string) => `key was ${key}` };
  const value = { at, maybe: at, list: [at, '2001-01-01'], money, keyed };
  const out = serialize(value);
  assert.equal(out, '{"at":"2000-02-29T12:00:00.000Z","maybe":"2000-02-29T12:00:00.000Z","list":["2000-02-29T12:00:00.000Z","2001-01-01"],"money":{"amount":19.99,"currency":"EUR"},"keyed":"key was keyed"}');
  assert.ok(!out.includes('internal'));
  // an invalid Date's toJSON gives null: only allowed where null is
  assert.equal(serialize({ maybe: new Date(NaN) }), '{"maybe":null}');
  throwsAt(() => serialize({ at: new Date(NaN) }), '/at', /expected string, got null/);
  // the root too
  assert.equal(compileSerializer({ type: 'string' })(at), JSON.stringify(at));
  assert.equal(compileSerializer({ type: 'array', items: { type: 'string' } })([keyed, keyed]), '["key was 0","key was 1"]');
});

test('numbers: NaN and ±Infinity as null, -0 as 0, exponents as JSON.stringify writes them', () => {
  const serialize = compileSerializer({ type: 'array', items: { type: 'number' } });
  const numbers = [0, -0, 1, -1, 0.1, 1 / 3, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity, 123456789.123];
  assert.equal(serialize(numbers), JSON.stringify(numbers));
  const integers = compileSerializer({ type: 'array', items: { type: 'integer' } });
  assert.equal(integers([0, -0, 42, -7, 2 ** 53, NaN]), '[0,0,42,-7,9007199254740992,null]');
  // not checked for integrality (validation, not shape): written as they are
  assert.equal(integers([1.5]), '[1.5]');
  throwsAt(() => serialize([1, 2n]), '/1', /expected number, got bigint/);
  throwsAt(() => serialize([1, '2']), '/1', /expected number, got string/);
});

test('booleans, null, const and enum', () => {
  const serialize = compileSerializer({
    type: 'object',
    properties: {
      t: { type: 'boolean' },
      n: { type: 'null' },
      k: { const: 'fixed' },
      e: { enum: ['a', 1, null, true] },
      typed: { type: 'string', enum: ['x', 'y'] },
    },
    required: ['t', 'n', 'k', 'e'],
  });
  assert.equal(serialize({ t: false, n: null, k: 'fixed', e: null, typed: 'y' }), '{"t":false,"n":null,"k":"fixed","e":null,"typed":"y"}');
  assert.equal(serialize({ t: true, n: null, k: 'fixed', e: 1 }), '{"t":true,"n":null,"k":"fixed","e":1}');
  assert.equal(serialize({ t: true, n: null, k: 'fixed', e: true }), '{"t":true,"n":null,"k":"fixed","e":true}');
  // membership is not checked, the JSON type is
  assert.equal(serialize({ t: true, n: null, k: 'other', e: 'z' }), '{"t":true,"n":null,"k":"other","e":"z"}');
  throwsAt(() => serialize({ t: 1, n: null, k: 'fixed', e: 1 }), '/t', /expected boolean, got number/);
  throwsAt(() => serialize({ t: true, n: null, k: 'fixed', e: { a: 1 } }), '/e', /expected string or number or boolean or null, got object/);
});

// ---------------------------------------------------------------------------------------------
// Required, optional, contract violations

test('a missing required property throws, naming its path; undefined optional ones are omitted', () => {
  const serialize = compileSerializer(Type.Object({
    users: Type.Array(Type.Object({ name: Type.String(), address: Type.Object({ city: Type.String(), zip: Type.Optional(Type.String()) }) })),
  }));
  throwsAt(
    () => serialize({ users: [{ name: 'a', address: { city: 'x' } }, { name: 'b', address: {} }] }),
    '/users/1/address/city',
    /required property "city" is missing/,
  );
  assert.throws(() => serialize({ users: [{ name: 'a', address: { zip: '1' } }] }), /Cannot serialize \/users\/0\/address\/city: required property "city" is missing/);
  throwsAt(() => serialize({}), '/users', /required property "users" is missing/);
  // undefined counts as missing, as JSON.stringify would not write it
  throwsAt(() => serialize({ users: [{ name: undefined, address: { city: 'c' } }] }), '/users/0/name', /missing/);
  assert.equal(serialize({ users: [{ name: 'a', address: { city: 'c', zip: undefined } }] }), '{"users":[{"name":"a","address":{"city":"c"}}]}');
});

test('commas are right for every mix of required and present/absent optional properties', () => {
  const names = ['a', 'b', 'c', 'd'];
  for (let requiredMask = 0; requiredMask < 16; requiredMask++) {
    const required = names.filter((_, i) => requiredMask & (1 << i));
    const serialize = compileSerializer({ type: 'object', properties: Object.fromEntries(names.map((n) => [n, { type: 'number' }])), required });
    for (let presentMask = 0; presentMask < 16; presentMask++) {
      if ((presentMask & requiredMask) !== requiredMask) continue;
      const value = Object.fromEntries(names.filter((_, i) => presentMask & (1 << i)).map((n, i) => [n, i]));
      assert.equal(serialize(value), JSON.stringify(value), `required ${required} present ${Object.keys(value)}`);
    }
  }
});

test('type mismatches throw instead of writing undeclared data', () => {
  const serialize = compileSerializer({ type: 'object', properties: { name: { type: 'string' }, profile: { type: 'object', properties: { bio: { type: 'string' } } } } });
  // an object where a string is declared: JSON.stringify would write all of it
  throwsAt(() => serialize({ name: { first: 'a', password: 'p' } }), '/name', /expected string, got object/);
  throwsAt(() => serialize({ profile: ['x'] }), '/profile', /expected object, got array/);
  throwsAt(() => serialize({ profile: 'bio' }), '/profile', /expected object, got string/);
  throwsAt(() => serialize({ name: () => 'x' }), '/name', /got function/);
  throwsAt(() => serialize(null), '', /expected object, got null/);
  throwsAt(() => compileSerializer({ type: 'array', items: { type: 'string' } })({ length: 1, 0: 'a' }), '', /expected array, got object/);
});

test('elements past a tuple are dropped unless declared by items / additionalItems', () => {
  const prefix = compileSerializer({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] });
  assert.equal(prefix(['a', 1, { secret: 1 }]), '["a",1]');
  assert.equal(prefix(['a']), '["a"]');
  assert.equal(prefix([]), '[]');
  const rest = compileSerializer({ type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'integer' } });
  assert.equal(rest(['a', 1, 2]), '["a",1,2]');
  throwsAt(() => rest(['a', 1, 'b']), '/2', /expected integer/);
  const draft7 = compileSerializer({ type: 'array', items: [{ type: 'boolean' }], additionalItems: { type: 'null' } });
  assert.equal(draft7([true, null, null]), '[true,null,null]');
});

test('maps: patternProperties and additionalProperties schemas declare their keys; true/false/{} do not', () => {
  const patterns = compileSerializer({
    type: 'object',
    properties: { id: { type: 'string' } },
    patternProperties: { '^x-': { type: 'string' }, '^n_': { type: 'number' } },
  });
  assert.equal(patterns({ id: 'i', 'x-a': 'A', secret: 's', n_1: 1, id2: 'no' }), '{"id":"i","x-a":"A","n_1":1}');
  assert.equal(patterns({ 'x-a': 'A', 'x-\n': '"' }), '{"x-a":"A","x-\\n":"\\""}');
  assert.equal(patterns({}), '{}');
  // a declared property that a pattern also matches is written once, through its own schema
  const overlap = compileSerializer({ type: 'object', properties: { 'x-id': { type: 'number' } }, patternProperties: { '^x-': { type: 'string' } } });
  assert.equal(overlap({ 'x-a': 'A', 'x-id': 7 }), '{"x-id":7,"x-a":"A"}');
  const map = compileSerializer({ type: 'object', additionalProperties: { type: 'object', properties: { n: { type: 'number' } } } });
  assert.equal(map({ a: { n: 1, hidden: 2 }, b: { n: 2 }, skip: undefined }), '{"a":{"n":1},"b":{"n":2}}');
  for (const additionalProperties of [true, false, {}] as JsonSchema[]) {
    const closed = compileSerializer({ type: 'object', properties: { a: { type: 'number' } }, additionalProperties });
    assert.equal(closed({ a: 1, b: 2 }), '{"a":1}');
  }
});

test('anyOf/oneOf with overlapping object branches: the first branch the value fits, its fields only', () => {
  const schema = Type.Union([
    Type.Object({ kind: Type.Literal('circle'), radius: Type.Number() }),
    Type.Object({ kind: Type.Literal('rect'), width: Type.Number(), height: Type.Number() }),
  ]);
  const serialize = compileSerializer(schema);
  assert.equal(serialize({ kind: 'rect', width: 2, height: 3, radius: 9, debug: 1 }), '{"kind":"rect","width":2,"height":3}');
  assert.equal(serialize({ kind: 'circle', radius: 1, width: 5 }), '{"kind":"circle","radius":1}');
  throwsAt(() => serialize({ kind: 'triangle', radius: 1 }), '', /matching one of/);
  const oneOf = compileSerializer({ oneOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { type: 'object', properties: { b: { type: 'string' } } }] });
  assert.equal(oneOf({ a: 'x', b: 'y' }), '{"a":"x"}');
  assert.equal(oneOf({ b: 'y', c: 1 }), '{"b":"y"}');
  // disjoint types dispatch on the type
  const mixed = compileSerializer({ anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'number' } }, { type: 'object', properties: { x: { type: 'number' } } }] });
  assert.equal(mixed('s'), '"s"');
  assert.equal(mixed([1, 2]), '[1,2]');
  assert.equal(mixed({ x: 1, y: 2 }), '{"x":1}');
  throwsAt(() => mixed(1), '', /expected string or array or object, got number/);
});

test('allOf is merged: properties and required of every member', () => {
  const serialize = compileSerializer({
    $defs: { Base: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
    allOf: [{ $ref: '#/$defs/Base' }, { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] }],
  });
  assert.equal(serialize({ n: 1, id: 'a', x: 0 }), '{"id":"a","n":1}');
  throwsAt(() => serialize({ id: 'a' }), '/n', /missing/);
});

// ---------------------------------------------------------------------------------------------
// "Any JSON value" subtrees (written by JSON.stringify), and what is refused at compile time

test('subtrees declared as any JSON value are written by JSON.stringify, for that subtree only', () => {
  const serialize = compileSerializer({
    type: 'object',
    properties: {
      any: {},
      unknown: Type.Unknown(),
      not: { not: { type: 'string' } }, // validation only: nothing declared
      typed: { type: 'object', properties: { a: { type: 'number' } }, 'x-vendor': 1, someAnnotation: { deep: true } },
    },
  });
  const value = { any: { everything: [1, { deep: true }] }, unknown: 'u', not: { n: 1 }, typed: { a: 1, b: 2 }, fn: () => 1 };
  assert.equal(serialize(value), '{"any":{"everything":[1,{"deep":true}]},"unknown":"u","not":{"n":1},"typed":{"a":1}}');
  // JSON.stringify leaves out what it cannot write: functions and undefined
  assert.equal(serialize({ any: () => 1, typed: { a: 1 } }), '{"typed":{"a":1}}');
  const requiredAny = compileSerializer({ type: 'object', properties: { a: {} }, required: ['a', 'b'] });
  assert.equal(requiredAny({ a: 1, b: 'declared by required only', c: 3 }), '{"a":1,"b":"declared by required only"}');
  throwsAt(() => requiredAny({ b: 1 }), '/a', /missing/);
  // in arrays, JSON.stringify's null
  assert.equal(compileSerializer({ type: 'array', items: {} })([1, undefined, () => 1, 'x']), '[1,null,null,"x"]');
  throwsAt(() => compileSerializer(true)(undefined), '', /expected a JSON value, got undefined/);
});

test('what cannot be enforced is refused when compiling (fail closed), naming the place', () => {
  const refused = (schema: unknown, where: string, reason: RegExp) => {
    assert.throws(
      () => compileSerializer({ type: 'object', properties: { user: { type: 'object', properties: { x: schema as JsonSchema } } } }),
      (e: UnsupportedSchemaError) => {
        assert.ok(e instanceof UnsupportedSchemaError && e instanceof TypeError, String(e));
        assert.equal(e.path, where, e.message);
        assert.match(e.reason, reason);
        return true;
      },
    );
  };
  refused(Type.Date(), '/user/x', /type "Date" is not a JSON type.*date-time/);
  refused(Type.Uint8Array(), '/user/x', /type "Uint8Array" is not a JSON type/);
  refused({ $ref: 'https://example.com/elsewhere.json' }, '/user/x', /cannot be resolved/);
  refused({ if: { type: 'string' }, then: { minLength: 1 } }, '/user/x', /"if" is not supported/);
  refused({ type: 'object', dependentSchemas: { a: { properties: { secret: {} } } } }, '/user/x', /"dependentSchemas"/);
  refused({ type: 'object', unevaluatedProperties: { type: 'string' } }, '/user/x', /"unevaluatedProperties"/);
  refused({ type: 'object', dependencies: { a: { properties: { b: {} } } } }, '/user/x', /"dependencies"/);
  refused({ enum: [{ a: 1 }] }, '/user/x', /objects or arrays/);
  refused({ propertes: { a: { type: 'string' } } }, '/user/x', /"propertes" is unknown/);
  refused({ allOf: [{ anyOf: [{ type: 'string' }, { type: 'number' }] }, { type: 'object', properties: { a: {} } }, { anyOf: [{ type: 'object' }] }] }, '/user/x', /cannot be merged/);
  refused({ anyOf: [{ type: 'string' }], oneOf: [{ type: 'number' }] }, '/user/x', /nest one in the other/);
  refused({ type: 'object', properties: [] }, '/user/x', /"properties" must be/);
  refused({ type: 'array', items: [{ if: {} }] }, '/user/x/0', /"if"/);
  refused({ type: 'array', items: { type: 'Date' } }, '/user/x/*', /"Date"/);
  refused(42, '/user/x', /must be an object or a boolean/);
  // at the root: no path
  assert.throws(() => compileSerializer({ type: 'Date' } as JsonSchema), (e: UnsupportedSchemaError) => e.path === '' && /^Cannot compile a serializer for this schema: type "Date"/.test(e.message));
  // validation-only keywords and draft-07 dependencies as lists are fine
  assert.equal(compileSerializer({ type: 'object', properties: { a: { type: 'number' } }, dependencies: { a: ['b'] }, not: { required: ['z'] } })({ a: 1, z: 2 }), '{"a":1}');
});

test('false schemas allow nothing', () => {
  const serialize = compileSerializer({ type: 'object', properties: { gone: false, kept: { type: 'number' } } });
  assert.equal(serialize({ kept: 1 }), '{"kept":1}');
  throwsAt(() => serialize({ gone: 1, kept: 1 }), '/gone', /no value is allowed/);
});

// ---------------------------------------------------------------------------------------------
// Strings

const ESCAPES: string[] = [];
for (let c = 0; c < 0x20; c++) ESCAPES.push(String.fromCharCode(c));
ESCAPES.push('"', '\\', '/', '\u007f', '\u0080', '\u00ff', '\u2028', '\u2029', '\ufeff', '\uffff');
const SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', '\udc00\ud800', '\ud83d\ude00', '😀', '👩‍👩‍👧', '\ud83d\ude00\ud83d', '\ude00\ud83d\ude00'];

test('strings: every escape and surrogate case, short and long, exactly as JSON.stringify', () => {
  const serialize = compileSerializer({ type: 'string' });
  const samples: string[] = ['', 'plain', 'é中文', 'x'.repeat(15), 'x'.repeat(16), 'x'.repeat(1000)];
  for (const ch of [...ESCAPES, ...SURROGATES]) {
    // alone, at the start, middle and end, in strings on both sides of the short/long split
    for (const pad of [0, 3, 7, 8, 20, 100]) {
      const p = 'a'.repeat(pad);
      samples.push(ch, ch + p, p + ch, p + ch + p, ch + p + ch);
    }
  }
  for (const s of samples) assert.equal(serialize(s), JSON.stringify(s), `for ${JSON.stringify(s)}`);
  // lone surrogates as \udXXX, as well-formed JSON.stringify does
  assert.equal(serialize('a\ud800b'), '"a\\ud800b"');
  assert.equal(serialize('\udfff'), '"\\udfff"');
  assert.equal(serialize('😀'), '"😀"');
  assert.equal(serialize('\u2028\u2029'), '"\u2028\u2029"');
  assert.equal(serialize('\u0000\u001f\b\f\n\r\t'), '"\\u0000\\u001f\\b\\f\\n\\r\\t"');
});

test('property names are escaped in the output and never become code', () => {
  const names = ['with space', 'quo"te', "apo'strophe", 'back\\slash', 'new\nline', 'nul\u0000', 'line\u2028sep', 'lone\ud800',
    '😀', "'+(globalThis.__pwned=1)+'", '"]+(globalThis.__pwned=1)+["', '`${globalThis.__pwned=1}`', '*/ globalThis.__pwned=1 /*', 'constructor', 'toString', 'hasOwnProperty', ''];
  const properties = Object.fromEntries(names.map((n) => [n, { type: 'string' }]));
  const serialize = compileSerializer({ type: 'object', properties, required: names.filter((n) => !['constructor', 'toString', 'hasOwnProperty'].includes(n)) });
  const value: Record<string, string> = {};
  for (const n of names) if (!['constructor', 'toString', 'hasOwnProperty'].includes(n)) value[n] = `v:${n}`;
  const out = serialize(value);
  assert.equal((globalThis as { __pwned?: unknown }).__pwned, undefined);
  // names inherited from Object.prototype are not read from it
  assert.equal(out, JSON.stringify(value));
  assert.deepEqual(JSON.parse(out), value);
  const own: Record<string, string> = {};
  for (const n of names) own[n] = n === 'hasOwnProperty' ? (undefined as never) : `own:${n}`;
  assert.equal(serialize(own), JSON.stringify(own));
  assert.equal((globalThis as { __pwned?: unknown }).__pwned, undefined);
  // patterns are data too
  const weird = compileSerializer({ type: 'object', patternProperties: { "^a'\\)\\+\\(globalThis\\.__pwned=1$": { type: 'number' } } });
  assert.equal(weird({ "a')+(globalThis.__pwned=1": 1, b: 2 }), '{"a\')+(globalThis.__pwned=1":1}');
  assert.equal((globalThis as { __pwned?: unknown }).__pwned, undefined);
});

test('__proto__ as a declared property is read only as an own property', () => {
  // a computed key: a literal `__proto__:` would set the schema object's prototype instead
  const serialize = compileSerializer({ type: 'object', properties: { ['__proto__']: { type: 'string' }, a: { type: 'number' } } });
  const parsed = JSON.parse('{"__proto__":"own","a":1}') as object;
  assert.equal(serialize(parsed), '{"__proto__":"own","a":1}');
  assert.equal(serialize({ a: 1 }), '{"a":1}'); // not Object.prototype
  assert.equal(serialize(Object.assign(Object.create(null), { a: 2 })), '{"a":2}');
});

test('class instances: declared getters are written, private state is not', () => {
  class Account {
    #balance = 100;
    constructor(readonly id: string, private readonly token: string) {}
    get display(): string { return `#${this.id} (${this.#balance})`; }
  }
  const serialize = compileSerializer({ type: 'object', properties: { id: { type: 'string' }, display: { type: 'string' } } });
  const out = serialize(new Account('a1', 'SECRET'));
  assert.equal(out, '{"id":"a1","display":"#a1 (100)"}');
  assert.ok(!out.includes('SECRET'));
});

// ---------------------------------------------------------------------------------------------
// Property-based cross-check against JSON.stringify

/** Deterministic PRNG (mulberry32), so that a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Arbitrary {
  schema: JsonSchema;
  /** A value that fits the schema, with undeclared extras, and the same value without them. */
  sample(): { value: unknown; clean: unknown };
}

const SECRET = 'SECRET';
const CHARS = ['a', 'b', 'z', ' ', '0', 'é', '中', '😀', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u007f', '\u2028', '\u2029', '\ud800', '\udfff', '\ud83d'];
const NAMES = ['id', 'name', 'a b', 'quo"te', 'new\nline', 'ünï', '😀', 'x-y', 'class', 'length', 'toJSON_', 'valueOf'];
const NUMBERS = [0, -0, 1, -1, 0.5, 1e21, 1e-7, -1e300, 5e-324, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, 2 ** 31];

function arbitrary(r: () => number, depth: number): Arbitrary {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const text = (): string => {
    const n = r() < 0.15 ? 16 + Math.floor(r() * 60) : Math.floor(r() * 12);
    let s = '';
    for (let i = 0; i < n; i++) s += r() < 0.6 ? pick(['a', 'b', 'c', 'x', ' ']) : pick(CHARS);
    return s;
  };
  const same = (v: unknown) => ({ value: v, clean: v });
  const nullable = (inner: Arbitrary, schema: JsonSchema): Arbitrary => ({
    schema,
    sample: () => (r() < 0.3 ? same(null) : inner.sample()),
  });
  const choice = depth <= 0 ? Math.floor(r() * 8) : Math.floor(r() * 13);
  switch (choice) {
    case 0: return { schema: { type: 'string' }, sample: () => same(text()) };
    case 1: return { schema: { type: 'number' }, sample: () => same(r() < 0.5 ? pick(NUMBERS) : (r() - 0.5) * 10 ** Math.floor(r() * 30)) };
    case 2: return { schema: { type: 'integer' }, sample: () => same(r() < 0.2 ? -0 : Math.floor((r() - 0.5) * 2 ** 40)) };
    case 3: return { schema: { type: 'boolean' }, sample: () => same(r() < 0.5) };
    case 4: return { schema: { type: 'null' }, sample: () => same(null) };
    case 5: return {
      schema: { type: 'string', format: 'date-time' },
      sample: () => same(r() < 0.5 ? new Date(Math.floor(r() * 4e12)) : new Date(Math.floor(r() * 4e12)).toISOString()),
    };
    case 6: return { schema: { enum: ['on', 'off', 1, null] }, sample: () => same(pick(['on', 'off', 1, null])) };
    case 7: {
      const inner = arbitrary(r, 0);
      const form = Math.floor(r() * 3);
      const base = inner.schema as { type: string };
      const schema: JsonSchema = form === 0 ? { ...base, type: [base.type ?? 'string', 'null'] } : form === 1 ? { anyOf: [inner.schema, { type: 'null' }] } : { ...base, nullable: true };
      if (base.type === undefined || base.type === 'null') return inner; // enum / null already allow null
      return nullable(inner, schema);
    }
    case 8: case 9: case 10: {
      // object: declared properties (some required), extras injected anywhere
      const count = Math.floor(r() * 6);
      const props: Array<{ name: string; arb: Arbitrary; required: boolean }> = [];
      const used = new Set<string>();
      for (let i = 0; i < count; i++) {
        const name = pick(NAMES);
        if (used.has(name)) continue;
        used.add(name);
        props.push({ name, arb: arbitrary(r, depth - 1), required: r() < 0.5 });
      }
      const schema: JsonSchema = {
        type: 'object',
        properties: Object.fromEntries(props.map((p) => [p.name, p.arb.schema])),
        required: props.filter((p) => p.required).map((p) => p.name),
        additionalProperties: r() < 0.5,
      };
      const arb: Arbitrary = {
        schema,
        sample: () => {
          const entries: Array<[string, unknown]> = [];
          const clean: Record<string, unknown> = {};
          for (const p of props) {
            const roll = r();
            if (!p.required && roll < 0.25) continue; // absent
            if (!p.required && roll < 0.4) {
              entries.push([p.name, undefined]); // present but undefined: omitted
              continue;
            }
            const { value, clean: c } = p.arb.sample();
            entries.push([p.name, value]);
            clean[p.name] = c;
          }
          // extras, at random places, some of them objects full of secrets
          const extras = Math.floor(r() * 3);
          for (let i = 0; i < extras; i++) {
            const extra: [string, unknown] = [`${SECRET}_${i}`, r() < 0.5 ? SECRET : { password: SECRET, nested: [SECRET] }];
            entries.splice(Math.floor(r() * (entries.length + 1)), 0, extra);
          }
          return { value: Object.fromEntries(entries), clean };
        },
      };
      return r() < 0.2 ? nullable(arb, { ...schema, type: ['object', 'null'] }) : arb;
    }
    case 11: {
      const items = arbitrary(r, depth - 1);
      return {
        schema: { type: 'array', items: items.schema },
        sample: () => {
          const n = Math.floor(r() * 5);
          const value: unknown[] = [];
          const clean: unknown[] = [];
          for (let i = 0; i < n; i++) {
            const s = items.sample();
            value.push(s.value);
            clean.push(s.clean);
          }
          return { value, clean };
        },
      };
    }
    default: {
      // a record of one value type: keys that match the pattern are written, others not
      const values = arbitrary(r, depth - 1);
      return {
        schema: { type: 'object', patternProperties: { '^k': values.schema } },
        sample: () => {
          const value: Record<string, unknown> = {};
          const clean: Record<string, unknown> = {};
          const n = Math.floor(r() * 4);
          for (let i = 0; i < n; i++) {
            const s = values.sample();
            value[`k${i}`] = s.value;
            clean[`k${i}`] = s.clean;
            if (r() < 0.5) value[`${SECRET}${i}`] = SECRET;
          }
          return { value, clean };
        },
      };
    }
  }
}

test('property-based: random schemas and values, extras never written, output equals JSON.stringify of the declared part', () => {
  const seed = Number(process.env.SERIALIZER_SEED ?? 0x5eed);
  const r = prng(seed);
  let checked = 0;
  for (let i = 0; i < 400; i++) {
    const arb = arbitrary(r, 4);
    const serialize = compileSerializer(arb.schema);
    for (let j = 0; j < 8; j++) {
      const { value, clean } = arb.sample();
      let out: string;
      try {
        out = serialize(value);
      } catch (error) {
        assert.fail(`seed ${seed}, schema ${JSON.stringify(arb.schema)}, value ${JSON.stringify(value)}: ${String(error)}`);
      }
      const expected = JSON.stringify(clean);
      assert.equal(out, expected, `seed ${seed}, schema ${JSON.stringify(arb.schema)}`);
      assert.ok(!out.includes(SECRET), 'an undeclared property was written');
      assert.deepEqual(JSON.parse(out), JSON.parse(expected));
      checked++;
    }
  }
  assert.equal(checked, 3200);
});

test('the same TypeBox schema and value give the same text as JSON.stringify when nothing is extra', () => {
  const serialize = compileSerializer(User);
  const value = {
    id: 1, name: 'n\u2028"', email: 'e', createdAt: '2024-01-01T00:00:00.000Z', score: -0.5,
    tags: ['😀', '\ud800'], address: { city: 'c', zip: 'z' }, role: 'member',
  };
  assert.equal(serialize(value), JSON.stringify(value));
});
