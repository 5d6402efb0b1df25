/**
 * A JSON serializer compiled from a JSON Schema: `compileSerializer(schema)` generates, once,
 * a function that writes a value as JSON text — only the properties the schema declares, each
 * through code specialised for its type — and is faster than JSON.stringify on typical
 * response objects.
 *
 * Guarantees:
 *  - Only declared data is written. Properties the schema does not list are never written, at
 *    any depth; elements past a tuple's declared positions neither. Keys are written for
 *    `properties` and for the patterns of `patternProperties` (and for every key when
 *    `additionalProperties` is a schema with a type or other constraints: a map/record).
 *  - The output is what JSON.stringify would write for the declared part of the value: same
 *    string escaping (lone surrogates as \udXXX), NaN and ±Infinity as null, toJSON() honoured
 *    (a Date becomes its ISO string), undefined optional properties omitted.
 *  - A value that breaks the schema's contract — a required property missing, a string where
 *    a number is declared, null where null is not allowed — throws a SerializationError naming
 *    the path (a JSON Pointer into the value). The app answers it with a 500: the handler broke
 *    its response contract.
 *
 * Not checked (they are validation, not shape): enum/const membership, string formats and
 * lengths, number ranges, whether an `integer` is integral (numbers are written as they are).
 *
 * Falls back to JSON.stringify, for that subtree only: a schema with no type information
 * (`{}`, `true`, only annotations), a keyword this compiler does not know (`not`, `if`/`then`,
 * `contains`, `dependentSchemas`, …), a type name that is not a JSON type (TypeBox's `Date`,
 * `Uint8Array`), a `$ref` it cannot resolve, an `allOf` it cannot merge. JSON.stringify writes
 * the whole subtree, so the declared-only guarantee holds only outside such subtrees.
 *
 * Generated code never contains a string from the schema: property names are embedded as
 * JSON.stringify'd literals, everything else (patterns, sub-schemas, names) is passed in as
 * constants.
 */

/** A JSON Schema (draft-07 / 2019-09 / 2020-12 subset), as TypeBox builds them or by hand. */
export type JsonSchema = boolean | JsonSchemaObject;

export interface JsonSchemaObject {
  type?: string | readonly string[];
  properties?: { readonly [name: string]: JsonSchema };
  required?: readonly string[];
  additionalProperties?: JsonSchema;
  patternProperties?: { readonly [pattern: string]: JsonSchema };
  items?: JsonSchema | readonly JsonSchema[];
  prefixItems?: readonly JsonSchema[];
  additionalItems?: JsonSchema;
  enum?: readonly unknown[];
  const?: unknown;
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  allOf?: readonly JsonSchema[];
  $ref?: string;
  $id?: string;
  $defs?: { readonly [name: string]: JsonSchema };
  definitions?: { readonly [name: string]: JsonSchema };
  /** OpenAPI 3.0 style: null is allowed as well as `type`. */
  nullable?: boolean;
  format?: string;
  [keyword: string]: unknown;
}

/** Thrown when a value does not fit the schema it is serialized with. */
export class SerializationError extends Error {
  /** A JSON Pointer to the offending value: '' for the root, '/user/tags/2'. */
  readonly path: string;
  /** What is wrong, e.g. `required property "email" is missing`. */
  readonly reason: string;
  constructor(path: string, reason: string) {
    super(`Cannot serialize ${path === '' ? 'the value' : path}: ${reason}`);
    this.name = 'SerializationError';
    this.path = path;
    this.reason = reason;
  }
}

/** A compiled serializer; `source` is the generated code, for debugging. */
export interface Serializer {
  (value: unknown): string;
  readonly source: string;
}

/** Compiles `schema` into a function that writes a value of that shape as JSON text. */
export function compileSerializer(schema: JsonSchema): Serializer {
  const compiler = new Compiler(schema);
  const body = compiler.compileRoot();
  const factory = new Function('h', 'c', body) as (h: typeof helpers, c: unknown[]) => (value: unknown) => string;
  const fn = factory(helpers, compiler.constants);
  return Object.assign(fn, { source: body }) as Serializer;
}

// -----------------------------------------------------------------------------------------------
// Runtime helpers, shared by every generated serializer.

const ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** A string as a JSON string literal, exactly as JSON.stringify writes it. */
function str(s: string): string {
  const n = s.length;
  if (n < 16) {
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
    }
    return '"' + s + '"';
  }
  return ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

/** An untyped subtree: whatever JSON.stringify writes (undefined for undefined/functions/symbols). */
function any(v: unknown): string | undefined {
  return JSON.stringify(v);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return typeof v;
}

function mismatch(v: unknown, expected: string, path: string): SerializationError {
  return new SerializationError(path, `expected ${expected}, got ${kindOf(v)}`);
}

function missing(name: string, path: string): SerializationError {
  return new SerializationError(path, `required property ${JSON.stringify(name)} is missing`);
}

/** Re-throws an error from a $ref function with the path of the call site in front. */
function rebase(e: unknown, prefix: string): unknown {
  return e instanceof SerializationError ? new SerializationError(prefix + e.path, e.reason) : e;
}

const helpers = { str, any, mismatch, missing, rebase, conforms, hasOwn: Object.hasOwn, SerializationError };

// -----------------------------------------------------------------------------------------------
// Schema analysis.

type Class = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';
const ALL_CLASSES: readonly Class[] = ['string', 'number', 'boolean', 'null', 'array', 'object'];

type SchemaNode =
  | { kind: 'any' }
  | { kind: 'never' }
  | { kind: 'ref'; pointer: string }
  | { kind: 'union'; branches: JsonSchema[] }
  | { kind: 'typed'; classes: Class[]; integer: boolean; schema: JsonSchemaObject };

/** Keywords that shape the output and that this compiler understands. */
const STRUCTURAL = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'patternProperties', 'items', 'prefixItems',
  'additionalItems', 'enum', 'const', 'anyOf', 'oneOf', 'allOf', '$ref', 'nullable',
]);

/** Keywords that annotate or validate without changing what is written: ignored. */
const IGNORED = new Set([
  '$id', '$schema', '$comment', '$anchor', '$vocabulary', '$defs', 'definitions', 'title', 'description',
  'default', 'examples', 'example', 'deprecated', 'readOnly', 'writeOnly', 'format', 'minLength', 'maxLength',
  'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems',
  'uniqueItems', 'minProperties', 'maxProperties', 'propertyNames', 'dependentRequired', 'contentEncoding',
  'contentMediaType', 'contentSchema', 'discriminator', 'xml', 'externalDocs', 'errorMessage',
]);

/** Keywords whose values are schemas: maps of them, lists of them, or one (or a list: `items`). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems', 'items']);
const SCHEMA_VALUES = new Set(['items', 'additionalProperties', 'additionalItems', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties']);

const TYPE_NAMES: Record<string, Class> = {
  string: 'string', number: 'number', integer: 'number', boolean: 'boolean', null: 'null', array: 'array', object: 'object',
};

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isSchema(x: unknown): x is JsonSchema {
  return typeof x === 'boolean' || isObject(x);
}

/** A schema with nothing but ignored keywords (`{}`, `{ description }`) accepts anything. */
function hasStructure(s: JsonSchemaObject): boolean {
  for (const key of Object.keys(s)) if (!IGNORED.has(key) && !key.startsWith('x-')) return true;
  return false;
}

function unsupported(s: JsonSchemaObject): boolean {
  for (const key of Object.keys(s)) {
    if (STRUCTURAL.has(key) || IGNORED.has(key) || key.startsWith('x-')) continue;
    if (key === 'unevaluatedProperties' && typeof s[key] === 'boolean') continue;
    return true;
  }
  if (s.additionalProperties !== undefined && !isSchema(s.additionalProperties)) return true;
  if (s.additionalItems !== undefined && !isSchema(s.additionalItems)) return true;
  if (s.properties !== undefined && !isObject(s.properties)) return true;
  if (s.patternProperties !== undefined && !isObject(s.patternProperties)) return true;
  if (s.required !== undefined && !Array.isArray(s.required)) return true;
  if (s.items !== undefined && !isSchema(s.items) && !Array.isArray(s.items)) return true;
  if (s.prefixItems !== undefined && !Array.isArray(s.prefixItems)) return true;
  if (s.enum !== undefined && !Array.isArray(s.enum)) return true;
  return false;
}

/** Decodes a JSON Pointer fragment ('#/$defs/User') into its segments; null if it is not one. */
function pointerSegments(ref: string): string[] | null {
  if (!ref.startsWith('#')) return null;
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    return null;
  }
  if (fragment === '') return [];
  if (!fragment.startsWith('/')) return null;
  return fragment.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Resolves `$ref`s and normalises schemas; shared by the compiler and by `conforms`. */
class Resolver {
  private readonly ids = new Map<string, JsonSchema>();
  private readonly cache = new Map<JsonSchema, SchemaNode>();

  constructor(readonly root: JsonSchema) {
    this.collectIds(root, new Set());
  }

  /** Finds the `$id`s of the document's schemas (not of data: enum, default, examples). */
  private collectIds(s: unknown, seen: Set<unknown>): void {
    if (!isObject(s) || seen.has(s)) return;
    seen.add(s);
    if (typeof s.$id === 'string' && !this.ids.has(s.$id)) this.ids.set(s.$id, s as JsonSchemaObject);
    for (const [key, value] of Object.entries(s)) {
      if (SCHEMA_MAPS.has(key) && isObject(value)) for (const sub of Object.values(value)) this.collectIds(sub, seen);
      else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) for (const sub of value) this.collectIds(sub, seen);
      else if (SCHEMA_VALUES.has(key)) this.collectIds(value, seen);
    }
  }

  /** The schema a `$ref` names, or undefined when it cannot be resolved. */
  resolve(ref: string): JsonSchema | undefined {
    const byId = this.ids.get(ref);
    if (byId !== undefined) return byId;
    const segments = pointerSegments(ref);
    if (segments === null) return undefined;
    let at: unknown = this.root;
    for (const segment of segments) {
      if (typeof at !== 'object' || at === null || !Object.hasOwn(at, segment)) return undefined;
      at = (at as Record<string, unknown>)[segment];
    }
    return isSchema(at) ? at : undefined;
  }

  node(s: JsonSchema): SchemaNode {
    let node = this.cache.get(s);
    if (node === undefined) {
      node = this.analyse(s, 0);
      this.cache.set(s, node);
    }
    return node;
  }

  private analyse(s: JsonSchema, depth: number): SchemaNode {
    if (s === true) return { kind: 'any' };
    if (s === false) return { kind: 'never' };
    if (!isObject(s)) return { kind: 'any' };
    if (typeof s.$ref === 'string') {
      return this.resolve(s.$ref) === undefined ? { kind: 'any' } : { kind: 'ref', pointer: s.$ref };
    }
    if (s.$ref !== undefined || unsupported(s)) return { kind: 'any' };
    if (s.allOf !== undefined) {
      if (!Array.isArray(s.allOf) || depth > 16) return { kind: 'any' };
      const { allOf, ...rest } = s;
      let merged: JsonSchema | null = rest;
      for (const member of allOf) {
        merged = this.merge(merged, member, depth);
        if (merged === null) return { kind: 'any' };
      }
      return this.analyse(merged, depth + 1);
    }
    if (s.anyOf !== undefined || s.oneOf !== undefined) {
      const list = s.anyOf ?? s.oneOf;
      if ((s.anyOf !== undefined && s.oneOf !== undefined) || !Array.isArray(list) || depth > 16) return { kind: 'any' };
      const { anyOf: _a, oneOf: _o, ...rest } = s;
      const siblings = hasStructure(rest);
      const branches: JsonSchema[] = [];
      for (const branch of list as JsonSchema[]) {
        const b = siblings ? this.merge(rest, branch, depth) : branch;
        if (b === null) return { kind: 'any' };
        branches.push(b);
      }
      return { kind: 'union', branches };
    }
    return this.typed(s);
  }

  private typed(s: JsonSchemaObject): SchemaNode {
    const classes = new Set<Class>();
    let integer = false;
    if (s.type !== undefined) {
      const names = typeof s.type === 'string' ? [s.type] : s.type;
      if (!Array.isArray(names)) return { kind: 'any' };
      for (const name of names) {
        const cls = typeof name === 'string' && Object.hasOwn(TYPE_NAMES, name) ? TYPE_NAMES[name] : undefined;
        if (cls === undefined) return { kind: 'any' }; // e.g. TypeBox's 'Date', 'Uint8Array'
        classes.add(cls);
        if (name === 'integer' && names.length === 1) integer = true;
      }
    } else if (s.enum !== undefined || 'const' in s) {
      for (const value of s.enum ?? [s.const]) {
        if (value === null) classes.add('null');
        else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') classes.add(typeof value as Class);
        else return { kind: 'any' }; // objects or arrays in an enum: written as they are
      }
    } else {
      if (s.properties !== undefined || s.required !== undefined || s.patternProperties !== undefined || s.additionalProperties !== undefined) {
        classes.add('object');
      }
      if (s.items !== undefined || s.prefixItems !== undefined || s.additionalItems !== undefined) classes.add('array');
      if (classes.size === 0) return { kind: 'any' };
    }
    if (s.nullable === true) classes.add('null');
    if (classes.size === 0) return { kind: 'never' };
    // fixed order: cheap typeof tests first, null before object
    return { kind: 'typed', classes: ALL_CLASSES.filter((c) => classes.has(c)), integer, schema: s };
  }

  /** Merges two schemas that must both hold (allOf); null when they cannot be merged simply. */
  private merge(a: JsonSchema, b: JsonSchema, depth: number): JsonSchema | null {
    if (depth > 16) return null;
    if (a === true) return b;
    if (b === true) return a;
    if (a === false || b === false) return false;
    if (!isObject(a) || !isObject(b)) return null;
    if (typeof b.$ref === 'string') {
      const target = this.resolve(b.$ref);
      return target === undefined ? null : this.merge(a, target, depth + 1);
    }
    if (typeof a.$ref === 'string') {
      const target = this.resolve(a.$ref);
      return target === undefined ? null : this.merge(target, b, depth + 1);
    }
    if (b.allOf !== undefined) {
      if (!Array.isArray(b.allOf)) return null;
      const { allOf, ...rest } = b;
      let merged: JsonSchema | null = this.merge(a, rest, depth + 1);
      for (const member of allOf) {
        if (merged === null) return null;
        merged = this.merge(merged, member, depth + 1);
      }
      return merged;
    }
    const out: JsonSchemaObject = { ...a };
    for (const [key, value] of Object.entries(b)) {
      const mine = out[key];
      if (mine === undefined) {
        out[key] = value;
      } else if (key === 'type') {
        const left = typeof mine === 'string' ? [mine] : (mine as string[]);
        const right = typeof value === 'string' ? [value] : (value as string[]);
        if (!Array.isArray(left) || !Array.isArray(right)) return null;
        const both = left.filter((t) => right.includes(t));
        if (left.includes('number') && right.includes('integer')) both.push('integer');
        if (right.includes('number') && left.includes('integer')) both.push('integer');
        out.type = [...new Set(both)];
      } else if (key === 'properties') {
        if (!isObject(mine) || !isObject(value)) return null;
        const props: Record<string, JsonSchema> = { ...(mine as Record<string, JsonSchema>) };
        for (const [name, sub] of Object.entries(value as Record<string, JsonSchema>)) {
          props[name] = Object.hasOwn(props, name) ? { allOf: [props[name]!, sub] } : sub;
        }
        out.properties = props;
      } else if (key === 'required') {
        if (!Array.isArray(mine) || !Array.isArray(value)) return null;
        out.required = [...new Set([...(mine as string[]), ...(value as string[])])];
      } else if (key === 'items' && isSchema(mine) && isSchema(value)) {
        out.items = { allOf: [mine, value] };
      } else if (key === 'anyOf' || key === 'oneOf') {
        return null;
      } else if (STRUCTURAL.has(key) && !sameJson(mine, value)) {
        return null;
      } // annotations and validation keywords: the first one stays
    }
    return out;
  }
}

/**
 * Whether `value` fits `schema`, structurally: types, required properties, enum/const, and
 * the same recursively for declared properties and items. Picks the branch of an anyOf/oneOf
 * whose types overlap (the first that fits). Keywords it does not know are taken as satisfied.
 */
function conforms(resolver: Resolver, schema: JsonSchema, value: unknown, depth = 0): boolean {
  if (depth > 200) return false;
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(key: string): unknown }).toJSON('');
  }
  if (schema === true) return true;
  if (schema === false) return false;
  if (!isObject(schema)) return true;
  const s = schema;
  if (typeof s.$ref === 'string') {
    const target = resolver.resolve(s.$ref);
    return target === undefined ? true : conforms(resolver, target, value, depth + 1);
  }
  if (s.enum !== undefined && Array.isArray(s.enum) && !s.enum.some((e) => sameJson(e, value))) return false;
  if ('const' in s && !sameJson(s.const, value)) return false;
  if (s.type !== undefined) {
    const names = typeof s.type === 'string' ? [s.type] : s.type;
    const ok = (Array.isArray(names) ? names : []).some((name) => {
      switch (name) {
        case 'string': return typeof value === 'string';
        case 'number': return typeof value === 'number';
        case 'integer': return Number.isInteger(value);
        case 'boolean': return typeof value === 'boolean';
        case 'null': return value === null;
        case 'array': return Array.isArray(value);
        case 'object': return isObject(value);
        default: return true;
      }
    });
    if (!ok && !(s.nullable === true && value === null)) return false;
  }
  if (Array.isArray(s.allOf) && !s.allOf.every((x) => conforms(resolver, x as JsonSchema, value, depth + 1))) return false;
  if (Array.isArray(s.anyOf) && !s.anyOf.some((x) => conforms(resolver, x as JsonSchema, value, depth + 1))) return false;
  if (Array.isArray(s.oneOf) && !s.oneOf.some((x) => conforms(resolver, x as JsonSchema, value, depth + 1))) return false;
  if (isObject(value)) {
    if (Array.isArray(s.required)) for (const name of s.required) if (readProperty(value, name) === undefined) return false;
    if (isObject(s.properties)) {
      for (const [name, sub] of Object.entries(s.properties)) {
        const v = readProperty(value, name);
        if (v !== undefined && !conforms(resolver, sub, v, depth + 1)) return false;
      }
    }
  } else if (Array.isArray(value)) {
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
    const rest = Array.isArray(s.prefixItems) ? s.items : Array.isArray(s.items) ? s.additionalItems : s.items;
    for (let i = 0; i < value.length; i++) {
      const sub = i < prefix.length ? prefix[i] : rest;
      if (isSchema(sub) && !conforms(resolver, sub, value[i], depth + 1)) return false;
    }
  }
  return true;
}

function readProperty(o: Record<string, unknown>, name: string): unknown {
  return name in Object.prototype && !Object.hasOwn(o, name) ? undefined : o[name];
}

// -----------------------------------------------------------------------------------------------
// Code generation. The generated function appends to a local `json` string; every schema node
// becomes inline code working on a local variable, except `$ref` targets, which become
// functions (so that recursive schemas work). A path into the value is built only where an
// error is thrown.

/** A path into the value: static pieces (already JSON-Pointer-escaped) and loop indexes. */
type Path = ReadonlyArray<{ text: string } | { code: string }>;

const JS = (s: string): string => JSON.stringify(s);

function pathCode(path: Path): string {
  const parts: string[] = [];
  let text = '';
  for (const piece of path) {
    if ('text' in piece) {
      text += piece.text;
    } else {
      parts.push(JS(text + '/'), piece.code);
      text = '';
    }
  }
  if (text !== '' || parts.length === 0) parts.push(JS(text));
  return parts.join(' + ');
}

function pointerPiece(name: string): { text: string } {
  return { text: '/' + name.replaceAll('~', '~0').replaceAll('/', '~1') };
}

const TESTS: Record<Class, (v: string) => string> = {
  string: (v) => `typeof ${v} === 'string'`,
  number: (v) => `typeof ${v} === 'number'`,
  boolean: (v) => `typeof ${v} === 'boolean'`,
  null: (v) => `${v} === null`,
  array: (v) => `Array.isArray(${v})`,
  object: (v) => `(typeof ${v} === 'object' && ${v} !== null && !Array.isArray(${v}))`,
};

class Compiler {
  readonly constants: unknown[] = [];
  private readonly resolver: Resolver;
  private readonly refNames = new Map<string, string>();
  private readonly functions: string[] = [];
  private counter = 0;

  constructor(private readonly root: JsonSchema) {
    this.resolver = new Resolver(root);
  }

  compileRoot(): string {
    const main = this.emit(this.root, 'v', JS(''), [], 'root', false);
    return [
      `'use strict';`,
      `const str = h.str, any = h.any, mismatch = h.mismatch, missing = h.missing, rebase = h.rebase, conforms = h.conforms, hasOwn = h.hasOwn;`,
      ...this.functions,
      `return function serialize(v) {\nlet json = '';\n${main}return json;\n};`,
    ].join('\n');
  }

  private name(prefix: string): string {
    return prefix + ++this.counter;
  }

  private constant(value: unknown): string {
    this.constants.push(value);
    return `c[${this.constants.length - 1}]`;
  }

  /**
   * Code that appends `schema`'s serialization of the value in variable `v` (a `let`, which
   * it may reassign) to `json`. `key` is code for the key toJSON gets; `where` says what an
   * undefined/unserializable value means for the untyped fallback ('element': null; 'root':
   * an error).
   */
  private emit(schema: JsonSchema, v: string, key: string, path: Path, where: 'root' | 'element', skipToJSON: boolean): string {
    const node = this.resolver.node(schema);
    switch (node.kind) {
      case 'any': {
        const s = this.name('s');
        const otherwise = where === 'element' ? `json += 'null';` : `throw mismatch(${v}, 'a JSON value', ${pathCode(path)});`;
        return `const ${s} = any(${v});\nif (${s} !== undefined) json += ${s}; else ${otherwise}\n`;
      }
      case 'never':
        return `throw new h.SerializationError(${pathCode(path)}, 'no value is allowed here');\n`;
      case 'ref':
        return `try { json += ${this.refFunction(node.pointer)}(${v}, ${key}); } catch (e) { throw rebase(e, ${pathCode(path)}); }\n`;
      case 'union':
        return this.emitUnion(node.branches, v, key, path, skipToJSON);
      case 'typed':
        return this.emitTyped(node, v, key, path, skipToJSON);
    }
  }

  private refFunction(pointer: string): string {
    let name = this.refNames.get(pointer);
    if (name === undefined) {
      name = this.name('ref');
      this.refNames.set(pointer, name);
      const target = this.resolver.resolve(pointer)!;
      const body = this.emit(target, 'v', 'k', [], 'root', false);
      this.functions.push(`function ${name}(v, k) {\nlet json = '';\n${body}return json;\n}`);
    }
    return name;
  }

  private toJSON(v: string, key: string): string {
    return `if (typeof ${v} === 'object' && ${v} !== null && typeof ${v}.toJSON === 'function') ${v} = ${v}.toJSON(${key});\n`;
  }

  private emitTyped(node: Extract<SchemaNode, { kind: 'typed' }>, v: string, key: string, path: Path, skipToJSON: boolean): string {
    const expected = node.classes.map((c) => (c === 'number' && node.integer ? 'integer' : c)).join(' or ');
    const fail = `throw mismatch(${v}, ${JS(expected)}, ${pathCode(path)});\n`;
    const branch = (c: Class): string => {
      switch (c) {
        case 'string': return `json += str(${v});\n`;
        case 'number': return `json += Number.isFinite(${v}) ? '' + ${v} : 'null';\n`;
        case 'boolean': return `json += ${v} ? 'true' : 'false';\n`;
        case 'null': return `json += 'null';\n`;
        case 'array': return this.emitArray(node.schema, v, path);
        case 'object': return this.emitObject(node.schema, v, path);
      }
    };
    const chain = (otherwise: string): string => {
      let code = '';
      for (const c of node.classes) {
        // once null is ruled out, an object test needs no null check
        const test = c === 'object' && node.classes.includes('null') ? `typeof ${v} === 'object' && !Array.isArray(${v})` : TESTS[c](v);
        code += `${code === '' ? '' : 'else '}if (${test}) {\n${branch(c)}}\n`;
      }
      return `${code}else {\n${otherwise}}\n`;
    };
    if (skipToJSON) return chain(fail);
    const composite = node.classes.includes('object') || node.classes.includes('array');
    // Primitives: test the type first and look for toJSON only when it does not match.
    return composite ? this.toJSON(v, key) + chain(fail) : chain(this.toJSON(v, key) + chain(fail));
  }

  private emitUnion(branches: JsonSchema[], v: string, key: string, path: Path, skipToJSON: boolean): string {
    let code = skipToJSON ? '' : this.toJSON(v, key);
    // Branches that are primitive types only are written the same whatever branch a value
    // matches (by its type: enum/const members are not checked), so they form one group.
    const primitives = new Set<Class>();
    const groups: Array<{ classes: Class[]; emit: () => string }> = [];
    const others: JsonSchema[] = [];
    for (const b of branches) {
      const node = this.resolver.node(b);
      if (node.kind === 'never') continue;
      if (node.kind === 'typed' && !node.classes.includes('object') && !node.classes.includes('array')) {
        for (const c of node.classes) primitives.add(c);
      } else {
        others.push(b);
      }
    }
    if (primitives.size > 0) {
      const classes = ALL_CLASSES.filter((c) => primitives.has(c));
      const node = { kind: 'typed', classes, integer: false, schema: {} } as const;
      groups.push({ classes, emit: () => this.emitTyped(node, v, key, path, true) });
    }
    for (const b of others) groups.push({ classes: this.classesOf(b, new Set()), emit: () => this.emit(b, v, key, path, 'root', true) });
    const disjoint = groups.every((g, i) => groups.every((other, j) => j <= i || !g.classes.some((c) => other.classes.includes(c))));
    if (disjoint) {
      // each type goes to exactly one group: dispatch on the type
      groups.forEach((g, i) => {
        const test = g.classes.map((c) => TESTS[c](v)).join(' || ');
        code += `${i === 0 ? '' : 'else '}if (${test}) {\n${g.emit()}}\n`;
      });
    } else {
      // composite branches overlap: take the first the value conforms to
      const live = branches.filter((b) => this.resolver.node(b).kind !== 'never');
      live.forEach((b, i) => {
        code += `${i === 0 ? '' : 'else '}if (conforms(${this.constant(this.resolver)}, ${this.constant(b)}, ${v})) {\n${this.emit(b, v, key, path, 'root', true)}}\n`;
      });
    }
    const expected = disjoint ? [...new Set(groups.flatMap((g) => g.classes))].join(' or ') : 'a value matching one of the anyOf/oneOf schemas';
    code += `${groups.length === 0 ? '' : 'else '}{\nthrow mismatch(${v}, ${JS(expected || 'nothing')}, ${pathCode(path)});\n}\n`;
    return code;
  }

  /** The types a schema accepts, as far as the code generator sees them. */
  private classesOf(schema: JsonSchema, seen: Set<string>): Class[] {
    const node = this.resolver.node(schema);
    switch (node.kind) {
      case 'any': return [...ALL_CLASSES];
      case 'never': return [];
      case 'typed': return node.classes;
      case 'union': return [...new Set(node.branches.flatMap((b) => this.classesOf(b, seen)))];
      case 'ref': {
        if (seen.has(node.pointer)) return [...ALL_CLASSES];
        seen.add(node.pointer);
        return this.classesOf(this.resolver.resolve(node.pointer)!, seen);
      }
    }
  }

  private emitArray(s: JsonSchemaObject, v: string, path: Path): string {
    const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? (s.items as JsonSchema[]) : null;
    const rest: JsonSchema | undefined = Array.isArray(s.prefixItems)
      ? (s.items as JsonSchema | undefined)
      : Array.isArray(s.items) ? s.additionalItems : (s.items as JsonSchema | undefined) ?? true;
    let code = `json += '[';\n`;
    const n = this.name('n');
    code += `const ${n} = ${v}.length;\n`;
    const start = tuple === null ? 0 : tuple.length;
    if (tuple !== null) {
      // positions declared one by one; an array may be shorter than the tuple
      tuple.forEach((sub, i) => {
        const e = this.name('e');
        code += `if (${n} > ${i}) {\n${i === 0 ? '' : `json += ',';\n`}let ${e} = ${v}[${i}];\n`;
        code += this.emit(sub, e, JS(String(i)), [...path, { text: '/' + i }], 'element', false);
        code += `}\n`;
      });
    }
    // elements past a tuple are written only if a schema declares them (items / additionalItems)
    if (rest !== undefined && rest !== false) {
      const i = this.name('i');
      const e = this.name('e');
      code += `for (let ${i} = ${start}; ${i} < ${n}; ${i}++) {\n`;
      code += `${start === 0 ? `if (${i} !== 0) ` : ''}json += ',';\nlet ${e} = ${v}[${i}];\n`;
      code += this.emit(rest, e, `'' + ${i}`, [...path, { code: i }], 'element', false);
      code += `}\n`;
    }
    return code + `json += ']';\n`;
  }

  private emitObject(s: JsonSchemaObject, v: string, path: Path): string {
    const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set(Array.isArray(s.required) ? s.required : []);
    const names = Object.keys(properties);
    for (const name of required) if (!Object.hasOwn(properties, name)) names.push(name); // required, untyped
    const patterns = isObject(s.patternProperties) ? Object.entries(s.patternProperties as Record<string, JsonSchema>) : [];
    const extra = isObject(s.additionalProperties) && hasStructure(s.additionalProperties as JsonSchemaObject)
      ? (s.additionalProperties as JsonSchema) : undefined;

    let code = `json += '{';\n`;
    // Commas: before anything is surely written, a runtime flag says whether one is needed.
    const comma: { state: 'empty' | 'flag' | 'written' } = { state: 'empty' };
    const flag = this.name('c');
    let flagDeclared = false;
    const declareFlag = (): void => {
      flagDeclared = true; // declared at the top, below
    };
    const separator = (literalKey: string, isRequired: boolean): string => {
      if (comma.state === 'written') return `json += ${JS(',' + literalKey)};\n`;
      if (comma.state === 'empty') {
        if (isRequired) {
          comma.state = 'written';
          return `json += ${JS(literalKey)};\n`;
        }
        declareFlag();
        comma.state = 'flag';
        return `json += ${JS(literalKey)};\n${flag} = true;\n`;
      }
      // flag
      const out = `json += ${flag} ? ${JS(',' + literalKey)} : ${JS(literalKey)};\n${isRequired ? '' : `${flag} = true;\n`}`;
      if (isRequired) comma.state = 'written';
      return out;
    };

    for (const name of names) {
      const sub: JsonSchema = Object.hasOwn(properties, name) ? properties[name]! : true;
      const isRequired = required.has(name);
      const p = this.name('p');
      const k = JS(name);
      const read = name in Object.prototype ? `(hasOwn(${v}, ${k}) ? ${v}[${k}] : undefined)` : `${v}[${k}]`;
      const literalKey = JSON.stringify(name) + ':';
      const here = [...path, pointerPiece(name)];
      code += `let ${p} = ${read};\n`;
      const node = this.resolver.node(sub);
      if (node.kind === 'any') {
        // JSON.stringify omits undefined, functions and symbols
        const sv = this.name('s');
        code += `const ${sv} = ${p} === undefined ? undefined : any(${p});\n`;
        // a required one must be there, but may still be left out (a function): never 'written'
        const missingCode = isRequired ? `else if (${p} === undefined) throw missing(${k}, ${pathCode(here)});\n` : '';
        const sep = separator(literalKey, false);
        code += `if (${sv} !== undefined) {\n${sep}json += ${sv};\n}\n${missingCode}`;
        continue;
      }
      if (isRequired) {
        code += `if (${p} === undefined) throw missing(${k}, ${pathCode(here)});\n`;
        code += separator(literalKey, true);
        code += this.emit(sub, p, k, here, 'root', false);
      } else {
        code += `if (${p} !== undefined) {\n`;
        code += separator(literalKey, false);
        code += this.emit(sub, p, k, here, 'root', false);
        code += `}\n`;
      }
    }

    if (patterns.length > 0 || extra !== undefined) {
      // a map/record: every own key that a pattern (or additionalProperties) declares
      if (comma.state !== 'written') declareFlag();
      const keys = this.name('keys');
      const i = this.name('i');
      const k = this.name('k');
      const p = this.name('p');
      const declared = names.length > 0 ? this.constant(new Set(names)) : null;
      code += `const ${keys} = Object.keys(${v});\nfor (let ${i} = 0; ${i} < ${keys}.length; ${i}++) {\n`;
      code += `const ${k} = ${keys}[${i}];\n${declared === null ? '' : `if (${declared}.has(${k})) continue;\n`}`;
      code += `let ${p} = ${v}[${k}];\nif (${p} === undefined) continue;\n`;
      const here: Path = [...path, { code: `${k}.replaceAll('~', '~0').replaceAll('/', '~1')` }];
      const sep = comma.state === 'written' ? `json += ',';\n` : `if (${flag}) json += ','; else ${flag} = true;\n`;
      const write = (sub: JsonSchema): string => {
        const node = this.resolver.node(sub);
        if (node.kind === 'any') {
          const sv = this.name('s');
          return `const ${sv} = any(${p});\nif (${sv} !== undefined) {\n${sep}json += str(${k}) + ':' + ${sv};\n}\n`;
        }
        return `${sep}json += str(${k}) + ':';\n${this.emit(sub, p, k, here, 'root', false)}`;
      };
      patterns.forEach(([pattern, sub], index) => {
        const re = this.constant(new RegExp(pattern, 'u'));
        code += `${index === 0 ? '' : 'else '}if (${re}.test(${k})) {\n${write(sub)}}\n`;
      });
      if (extra !== undefined) code += `${patterns.length === 0 ? '' : 'else '}{\n${write(extra)}}\n`;
      code += `}\n`;
    }
    return (flagDeclared ? `let ${flag} = false;\n` : '') + code + `json += '}';\n`;
  }
}
