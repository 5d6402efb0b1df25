/**
 * What a route says about itself for the document: the `meta.openapi` route option of functional
 * routes, and what the decorators record on controllers, their methods and guards. Decorators
 * store into WeakMaps keyed by the class or the method's function (as core's route decorators
 * do), so nothing is added to the classes.
 */
import type { JsonSchema, StandardSchemaV1 } from '@armature/core';
import type { ExampleObject, ParameterObject, SecurityRequirement, SecuritySchemeObject } from './spec.js';

/** A documented answer: its description, and optionally its body's schema and examples. */
export interface ResponseMetadata {
  description?: string;
  /** A JSON Schema, or a Standard Schema with a JSON Schema export (Zod 4, ArkType, Valibot). */
  schema?: JsonSchema | StandardSchemaV1;
  /** Media type of the body (default application/json; application/problem+json for 4xx/5xx without a schema). */
  contentType?: string;
  example?: unknown;
  examples?: Record<string, ExampleObject>;
  headers?: Record<string, { description?: string; schema?: JsonSchema }>;
}

/** Documentation of the request body, beside its schema (which comes from the route's `schema.body`). */
export interface RequestBodyMetadata {
  description?: string;
  contentType?: string;
  example?: unknown;
  examples?: Record<string, ExampleObject>;
  /** A schema for a body the route reads itself (no `schema.body`). */
  schema?: JsonSchema | StandardSchemaV1;
  required?: boolean;
}

/**
 * `meta.openapi` of a route (`app.get(path, { meta: { openapi: { … } } }, handler)`), and what
 * the decorators gather for a controller method.
 */
export interface OperationMetadata {
  summary?: string;
  description?: string;
  /** Default: `Controller_method` for controller routes, the method and path (`getUsersById`) otherwise. */
  operationId?: string;
  /** Default: the controller's name without "Controller" for controller routes. */
  tags?: string[];
  deprecated?: boolean;
  /** Leave the route out of the document. */
  hidden?: boolean;
  /**
   * Who may call it: scheme names (`'bearer'`) or requirement objects, each an alternative.
   * Replaces what the route's guards declare; `[]` marks a public route.
   */
  security?: Array<string | SecurityRequirement>;
  /** Answers by status (or 'default'); merged over those derived from the schemas. */
  responses?: { [status: number]: ResponseMetadata; default?: ResponseMetadata };
  requestBody?: RequestBodyMetadata;
  /** More about parameters: merged by name and place with those derived from the path and schemas. */
  parameters?: Array<Partial<ParameterObject> & Pick<ParameterObject, 'name' | 'in'>>;
  /** `x-` extensions of the operation. */
  extensions?: Record<`x-${string}`, unknown>;
}

declare module '@armature/core' {
  interface RouteMetadata {
    /** The route's OpenAPI operation (read by `@armature/openapi`). */
    openapi?: OperationMetadata;
  }
}

/** A security scheme a guard enforces, and the scopes it asks for. */
export interface GuardScheme {
  readonly name: string;
  readonly scheme: SecuritySchemeObject;
  readonly scopes: readonly string[];
}

/** Controller classes and method functions → what their decorators said. */
export const operations = new WeakMap<Function, OperationMetadata>();
/** Controller classes left out of the document. */
export const excludedControllers = new WeakSet<Function>();
/** Guard classes, instances or functions → the scheme they enforce. */
export const guardSchemes = new WeakMap<object, GuardScheme>();
/** Schemes declared by a decorator without a guard (`@ApiBearerAuth()`), by name. */
export const declaredSchemes = new Map<string, SecuritySchemeObject>();

/** The record of a class or method, created on first use. */
export function operationOf(key: Function): OperationMetadata {
  let meta = operations.get(key);
  if (meta === undefined) operations.set(key, (meta = {}));
  return meta;
}

/** The scheme a guard (class, instance or function) declares, looked up on the instance, then its class chain. */
export function schemeOfGuard(guard: unknown): GuardScheme | undefined {
  if ((typeof guard !== 'object' && typeof guard !== 'function') || guard === null) return undefined;
  const own = guardSchemes.get(guard);
  if (own !== undefined) return own;
  let c: unknown = typeof guard === 'function' ? Object.getPrototypeOf(guard) : (guard as object).constructor;
  for (; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const found = guardSchemes.get(c as Function);
    if (found !== undefined) return found;
  }
  return undefined;
}
