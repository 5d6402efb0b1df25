/**
 * Schemas into the document: Standard Schemas through their vendor's JSON Schema export (core's
 * `jsonSchemaOf`), then made to fit inside an OpenAPI document — `$schema` dropped, local
 * definitions (`$defs`, `definitions`, a recursive `#`) moved to `components.schemas` with their
 * `$ref`s rewritten, since a `$ref` inside the document resolves against the document's root.
 */
import { jsonSchemaOf, type SchemaSide } from '@armature/core';
import type { SchemaObject } from './spec.js';

/** The document's `components.schemas`, with names kept unique. */
export class SchemaRegistry {
  readonly schemas: Record<string, SchemaObject> = {};
  /** Conversions by schema object, per side: a schema used by many routes is converted once. */
  private readonly seen = { input: new Map<object, SchemaObject>(), output: new Map<object, SchemaObject>() };

  /** A name not taken yet, from `wanted`. */
  private claim(wanted: string): string {
    const base = wanted.replace(/[^A-Za-z0-9._-]/g, '_') || 'Schema';
    let name = base;
    for (let i = 2; name in this.schemas; i++) name = `${base}${i}`;
    this.schemas[name] = {};
    return name;
  }

  /** Registers a named schema (e.g. ProblemDetails) and returns its `$ref`. */
  define(name: string, schema: SchemaObject): { $ref: string } {
    if (!(name in this.schemas)) this.schemas[name] = schema;
    return { $ref: `#/components/schemas/${name}` };
  }

  /** The OpenAPI Schema Object of a route schema, for `side`. Throws with `where` in the message. */
  convert(schema: unknown, side: SchemaSide, where: string): SchemaObject {
    const key = (typeof schema === 'object' || typeof schema === 'function') && schema !== null ? schema : null;
    const known = key === null ? undefined : this.seen[side].get(key);
    if (known !== undefined) return known;
    let json: SchemaObject;
    try {
      json = jsonSchemaOf(schema, side) as SchemaObject;
    } catch (error) {
      throw new TypeError(`OpenAPI: the schema of ${where} cannot be described: ${(error as Error).message}`);
    }
    const out = this.embed(json);
    if (key !== null) this.seen[side].set(key, out);
    return out;
  }

  /** Moves a JSON Schema's local definitions into components and rewrites the references to them. */
  embed(json: SchemaObject): SchemaObject {
    if (typeof json !== 'object' || json === null) return json;
    const { $schema: _schema, $defs, definitions, ...root } = json as Record<string, unknown>;
    const names = new Map<string, string>();
    const local = { ...(definitions as Record<string, SchemaObject> | undefined), ...($defs as Record<string, SchemaObject> | undefined) };
    for (const name of Object.keys(local)) names.set(name, this.claim(name));
    let selfName: string | null = null;
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (typeof value !== 'object' || value === null) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (k === '$ref' && typeof v === 'string') out[k] = this.target(v, names, () => (selfName ??= this.claim('Schema')));
        else out[k] = rewrite(v);
      }
      return out;
    };
    for (const [name, def] of Object.entries(local)) this.schemas[names.get(name)!] = rewrite(def) as SchemaObject;
    const body = rewrite(root) as SchemaObject;
    if (selfName === null) return body;
    this.schemas[selfName] = body;
    return { $ref: `#/components/schemas/${selfName}` };
  }

  private target(ref: string, names: Map<string, string>, self: () => string): string {
    if (ref === '#') return `#/components/schemas/${self()}`;
    const m = /^#\/(?:\$defs|definitions)\/([^/]+)(.*)$/.exec(ref);
    if (m === null) return ref;
    const name = names.get(decodeURIComponent(m[1]!.replace(/~1/g, '/').replace(/~0/g, '~')));
    return name === undefined ? ref : `#/components/schemas/${name}${m[2]}`;
  }
}
