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
 * Writes with JSON.stringify only where the schema says "any JSON value": `{}`, `true`, or
 * annotations and validation keywords alone (`{ description }`, `{ not: … }`).
 *
 * Fails closed: what it cannot enforce is refused when compiling, with an
 * `UnsupportedSchemaError` that names the place and the reason — `if`/`then`/`else`,
 * `dependentSchemas`, `unevaluatedProperties`/`unevaluatedItems` schemas, a type name that is not
 * a JSON type (TypeBox's `Date`, `Uint8Array`), a `$ref` it cannot resolve, an `allOf` it cannot
 * merge, enum members that are objects, a keyword it does not know standing alone. Unknown
 * keywords beside a known shape are annotations (they cannot widen what is written).
 *
 * Generated code never contains a string from the schema: property names are embedded as
 * JSON.stringify'd literals, everything else (patterns, sub-schemas, names) is passed in as
 * constants.
 */
import type { JsonSchema } from './json-schema.js';
import { Compiler } from './serializer-codegen.js';
import { helpers, type Helpers } from './serializer-runtime.js';

export type { JsonSchema, JsonSchemaObject } from './json-schema.js';
export { SerializationError } from './serializer-runtime.js';
export { UnsupportedSchemaError } from './schema-analysis.js';

/** A compiled serializer; `source` is the generated code, for debugging. */
export interface Serializer {
  (value: unknown): string;
  readonly source: string;
}

/** Compiles `schema` into a function that writes a value of that shape as JSON text. */
export function compileSerializer(schema: JsonSchema): Serializer {
  const compiler = new Compiler(schema);
  const body = compiler.compileRoot();
  const factory = new Function('h', 'c', body) as (h: Helpers, c: unknown[]) => (value: unknown) => string;
  const fn = factory(helpers, compiler.constants);
  return Object.assign(fn, { source: body }) as Serializer;
}
