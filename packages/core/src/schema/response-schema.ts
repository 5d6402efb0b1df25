/**
 * Response schemas as the serializer needs them: a JSON Schema is taken as it is; a Standard
 * Schema (Zod, Valibot, ArkType, …) is converted through its vendor's JSON Schema export, for
 * the output side; one that offers none is refused with a message saying what to do. Never a
 * pass-through: a response schema always limits what is written.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { JsonSchema } from './json-schema.js';
import type { StandardSchemaV1 } from './standard-schema.js';
import { isStandardSchema } from './validate.js';

/** The Standard JSON Schema extension of `~standard` (standardschema.dev/json-schema). */
interface JsonSchemaConverter {
  input(options: { target: string }): Record<string, unknown>;
  output(options: { target: string }): Record<string, unknown>;
}

type Convertible = StandardSchemaV1 & {
  readonly '~standard': { readonly jsonSchema?: Partial<JsonSchemaConverter> };
  /** Zod 4 */
  toJSONSchema?: (params?: { io?: 'input' | 'output' }) => unknown;
  /** ArkType 2 (`in`: the schema of what it accepts) */
  toJsonSchema?: () => unknown;
  in?: { toJsonSchema?: () => unknown };
};

/** Which side of a schema: what it accepts (a request) or what it produces (a response). */
export type SchemaSide = 'input' | 'output';

/** A package the app has installed, or undefined (looked up from Armature, then from the working directory). */
function optionalPackage(name: string): Record<string, unknown> | undefined {
  for (const from of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      return createRequire(from)(name) as Record<string, unknown>;
    } catch {
      // not installed there
    }
  }
  return undefined;
}

/**
 * The JSON Schema of a response schema (the output side of a Standard Schema). Throws a
 * TypeError that says what to do when there is no export or it fails (a Date, a transform…).
 */
export function responseJsonSchema(schema: unknown): JsonSchema {
  return jsonSchemaOf(schema, 'output');
}

/**
 * The JSON Schema of `schema`: a JSON Schema is returned as it is; a Standard Schema is converted
 * for `side` ('input': what it accepts, for request parameters and bodies; 'output': what it
 * produces) with, in this order: the Standard JSON Schema `~standard.jsonSchema`, Zod 4's
 * `toJSONSchema({ io })`, ArkType's `toJsonSchema()` (`.in` for the input side),
 * `@valibot/to-json-schema` when installed. Throws a TypeError that says what to do when there
 * is no export or it fails.
 */
export function jsonSchemaOf(schema: unknown, side: SchemaSide): JsonSchema {
  if (!isStandardSchema(schema)) return schema as JsonSchema;
  const s = schema as Convertible;
  const vendor = String(s['~standard'].vendor);
  const convert = (how: string, run: () => unknown): JsonSchema => {
    let out: unknown;
    try {
      out = run();
    } catch (error) {
      throw new TypeError(
        `the ${vendor} schema cannot be converted to JSON Schema (${how}): ${(error as Error).message}. ` +
          (side === 'output'
            ? 'A response schema must be expressible in JSON Schema: use JSON types (a string for a date, no transforms), or give a JSON Schema'
            : 'Use JSON types the export understands, or describe this part by hand'),
      );
    }
    if (typeof out !== 'object' || out === null) throw new TypeError(`the ${vendor} schema's ${how} did not give a JSON Schema object`);
    return out as JsonSchema;
  };
  const standard = s['~standard'].jsonSchema;
  if (standard !== undefined && typeof standard[side] === 'function') {
    return convert(`~standard.jsonSchema.${side}`, () => standard[side]!({ target: 'draft-2020-12' }));
  }
  if (vendor === 'zod' && typeof s.toJSONSchema === 'function') return convert('toJSONSchema', () => s.toJSONSchema!({ io: side }));
  if (vendor === 'arktype') {
    const source = side === 'input' && typeof s.in?.toJsonSchema === 'function' ? s.in : s;
    if (typeof source.toJsonSchema === 'function') return convert('toJsonSchema', () => source.toJsonSchema!());
  }
  if (vendor === 'valibot') {
    const toJsonSchema = optionalPackage('@valibot/to-json-schema')?.toJsonSchema;
    if (typeof toJsonSchema === 'function') return convert('@valibot/to-json-schema', () => toJsonSchema(s, { typeMode: side }));
  }
  if (side === 'input') throw new TypeError(`this ${vendor} schema has no JSON Schema export to describe it with. ${HINTS[vendor] ?? HINTS['']}`);
  throw new TypeError(`this ${vendor} schema cannot be a response schema: it has no JSON Schema export, and without one it could not limit what is written. ${HINTS[vendor] ?? HINTS['']}`);
}

const HINTS: Record<string, string> = {
  zod: 'Zod 4 has one (z.toJSONSchema): upgrade from Zod 3, or give a JSON Schema.',
  valibot: 'Install @valibot/to-json-schema (Armature then converts the schema), or give toJsonSchema(schema) from it.',
  '': 'Give a JSON Schema (by hand or from TypeBox) for the response, or leave the response schema out and shape the value in the handler.',
};
