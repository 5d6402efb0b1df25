/** The JSON Schema type the serializer compiles: the subset of draft-07 / 2019-09 / 2020-12 it reads. */

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
