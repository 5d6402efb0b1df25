/**
 * Schema analysis for the serializer: which keywords shape the output, `$ref` resolution, `allOf`
 * merging, and the classification of each schema node (typed, union, reference, anything,
 * nothing) that the code generator works from. Also `conforms`, the structural check that picks
 * the branch of an overlapping anyOf/oneOf at run time.
 */
import type { JsonSchema, JsonSchemaObject } from './json-schema.js';

export type Class = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';
export const ALL_CLASSES: readonly Class[] = ['string', 'number', 'boolean', 'null', 'array', 'object'];

export type SchemaNode =
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
  'not', 'contains', 'minContains', 'maxContains', '$dynamicAnchor', '$recursiveAnchor', 'id',
]);

/**
 * Keywords whose sub-schemas could declare more output than this compiler would write (or
 * resolve references it cannot follow): a schema that uses them cannot be enforced.
 */
const UNSUPPORTED = new Set(['if', 'then', 'else', 'dependentSchemas', '$dynamicRef', '$recursiveRef']);

/**
 * A schema the serializer cannot enforce: compiling it is refused (fail closed) rather than
 * writing that part with JSON.stringify. `path` is a JSON Pointer into the value ('' for the root).
 */
export class UnsupportedSchemaError extends TypeError {
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string) {
    super(`Cannot compile a serializer for this schema${path === '' ? '' : ` at ${path}`}: ${reason}`);
    this.name = 'UnsupportedSchemaError';
    this.path = path;
    this.reason = reason;
  }
}

/** Thrown by the analysis without a path; the code generator adds where it was. */
const refuse = (reason: string): UnsupportedSchemaError => new UnsupportedSchemaError('', reason);

/** Keywords whose values are schemas: maps of them, lists of them, or one (or a list: `items`). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems', 'items']);
const SCHEMA_VALUES = new Set(['items', 'additionalProperties', 'additionalItems', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties']);

const TYPE_NAMES: Record<string, Class> = {
  string: 'string', number: 'number', integer: 'number', boolean: 'boolean', null: 'null', array: 'array', object: 'object',
};

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function isSchema(x: unknown): x is JsonSchema {
  return typeof x === 'boolean' || isObject(x);
}

/** A schema with nothing but ignored keywords (`{}`, `{ description }`) accepts anything. */
export function hasStructure(s: JsonSchemaObject): boolean {
  for (const key of Object.keys(s)) if (!IGNORED.has(key) && !key.startsWith('x-')) return true;
  return false;
}

/**
 * Refuses what this compiler cannot enforce: keywords that could declare more output, and
 * structural keywords of the wrong shape. Returns the first keyword it does not know (an
 * annotation as long as the schema has structure besides), or undefined.
 */
function check(s: JsonSchemaObject): string | undefined {
  let unknown: string | undefined;
  for (const key of Object.keys(s)) {
    if (STRUCTURAL.has(key) || IGNORED.has(key) || key.startsWith('x-')) continue;
    const value = s[key];
    if ((key === 'unevaluatedProperties' || key === 'unevaluatedItems') && typeof value === 'boolean') continue;
    if (key === 'dependencies' && isObject(value) && Object.values(value).every(Array.isArray)) continue; // draft-07 dependentRequired
    if (UNSUPPORTED.has(key) || key === 'unevaluatedProperties' || key === 'unevaluatedItems' || key === 'dependencies') {
      throw refuse(`the keyword "${key}" is not supported: its sub-schemas could declare output this serializer would not write as declared`);
    }
    unknown ??= key;
  }
  const malformed = (key: string, expected: string): UnsupportedSchemaError => refuse(`"${key}" must be ${expected}`);
  if (s.additionalProperties !== undefined && !isSchema(s.additionalProperties)) throw malformed('additionalProperties', 'a schema');
  if (s.additionalItems !== undefined && !isSchema(s.additionalItems)) throw malformed('additionalItems', 'a schema');
  if (s.properties !== undefined && !isObject(s.properties)) throw malformed('properties', 'an object of schemas');
  if (s.patternProperties !== undefined && !isObject(s.patternProperties)) throw malformed('patternProperties', 'an object of schemas');
  if (s.required !== undefined && !Array.isArray(s.required)) throw malformed('required', 'an array of names');
  if (s.items !== undefined && !isSchema(s.items) && !Array.isArray(s.items)) throw malformed('items', 'a schema or an array of schemas');
  if (s.prefixItems !== undefined && !Array.isArray(s.prefixItems)) throw malformed('prefixItems', 'an array of schemas');
  if (s.enum !== undefined && !Array.isArray(s.enum)) throw malformed('enum', 'an array');
  if (s.$ref !== undefined && typeof s.$ref !== 'string') throw malformed('$ref', 'a string');
  return unknown;
}

const MERGE_HINT = 'allOf members that cannot be merged into one shape (a union inside an allOf, conflicting keywords): write the merged schema out';

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

export function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Resolves `$ref`s and normalises schemas; shared by the compiler and by `conforms`. */
export class Resolver {
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
    if (!isObject(s)) throw refuse(`a schema must be an object or a boolean, got ${Array.isArray(s) ? 'an array' : typeof s}`);
    const unknown = check(s);
    if (typeof s.$ref === 'string') {
      if (this.resolve(s.$ref) === undefined) {
        throw refuse(`$ref ${JSON.stringify(s.$ref)} cannot be resolved: only "#/…" pointers and $id's within the same schema are followed`);
      }
      return { kind: 'ref', pointer: s.$ref };
    }
    if (depth > 16) throw refuse('allOf/anyOf/oneOf nested more than 16 deep');
    if (s.allOf !== undefined) {
      if (!Array.isArray(s.allOf)) throw refuse('"allOf" must be an array of schemas');
      const { allOf, ...rest } = s;
      let merged: JsonSchema | null = rest;
      for (const member of allOf) {
        merged = this.merge(merged, member, depth);
        if (merged === null) throw refuse(MERGE_HINT);
      }
      return this.analyse(merged, depth + 1);
    }
    if (s.anyOf !== undefined || s.oneOf !== undefined) {
      const list = s.anyOf ?? s.oneOf;
      if (s.anyOf !== undefined && s.oneOf !== undefined) throw refuse('"anyOf" and "oneOf" in one schema are not supported: nest one in the other');
      if (!Array.isArray(list)) throw refuse('"anyOf"/"oneOf" must be an array of schemas');
      const { anyOf: _a, oneOf: _o, ...rest } = s;
      const siblings = hasStructure(rest);
      const branches: JsonSchema[] = [];
      for (const branch of list as JsonSchema[]) {
        const b = siblings ? this.merge(rest, branch, depth) : branch;
        if (b === null) throw refuse(MERGE_HINT);
        branches.push(b);
      }
      return { kind: 'union', branches };
    }
    return this.typed(s, unknown);
  }

  private typed(s: JsonSchemaObject, unknown: string | undefined): SchemaNode {
    const classes = new Set<Class>();
    let integer = false;
    if (s.type !== undefined) {
      const names = typeof s.type === 'string' ? [s.type] : s.type;
      if (!Array.isArray(names)) throw refuse('"type" must be a type name or an array of them');
      for (const name of names) {
        const cls = typeof name === 'string' && Object.hasOwn(TYPE_NAMES, name) ? TYPE_NAMES[name] : undefined;
        if (cls === undefined) {
          // e.g. TypeBox's 'Date', 'Uint8Array'
          const hint = name === 'Date' ? ` (a Date is written as its ISO string under { type: 'string', format: 'date-time' })` : '';
          throw refuse(`type ${JSON.stringify(name)} is not a JSON type${hint}`);
        }
        classes.add(cls);
        if (name === 'integer' && names.length === 1) integer = true;
      }
    } else if (s.enum !== undefined || 'const' in s) {
      for (const value of s.enum ?? [s.const]) {
        if (value === null) classes.add('null');
        else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') classes.add(typeof value as Class);
        else throw refuse('enum/const members that are objects or arrays are not supported: declare their shape with properties/items');
      }
    } else {
      if (s.properties !== undefined || s.required !== undefined || s.patternProperties !== undefined || s.additionalProperties !== undefined) {
        classes.add('object');
      }
      if (s.items !== undefined || s.prefixItems !== undefined || s.additionalItems !== undefined) classes.add('array');
      if (classes.size === 0) {
        if (unknown !== undefined) {
          throw refuse(`the keyword ${JSON.stringify(unknown)} is unknown and nothing else says what may be written: declare a type, or {} for any JSON value; name custom annotations x-…`);
        }
        return { kind: 'any' };
      }
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
export function conforms(resolver: Resolver, schema: JsonSchema, value: unknown, depth = 0): boolean {
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
