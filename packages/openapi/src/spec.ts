/**
 * The parts of an OpenAPI 3.1 document this package writes, typed loosely enough to take any
 * valid addition (`x-` extensions, fields it does not set itself).
 */
import type { JsonSchemaObject } from '@armature/core';

/** A Schema Object: JSON Schema 2020-12 (OpenAPI 3.1). */
export type SchemaObject = JsonSchemaObject | boolean;

export interface ExampleObject {
  summary?: string;
  description?: string;
  value?: unknown;
  [extension: `x-${string}`]: unknown;
}

export interface MediaTypeObject {
  schema?: SchemaObject;
  example?: unknown;
  examples?: Record<string, ExampleObject>;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, { description?: string; schema?: SchemaObject; required?: boolean }>;
  content?: Record<string, MediaTypeObject>;
  [extension: `x-${string}`]: unknown;
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  description?: string;
  required?: boolean;
  deprecated?: boolean;
  schema?: SchemaObject;
  example?: unknown;
  style?: string;
  explode?: boolean;
}

export interface RequestBodyObject {
  description?: string;
  required?: boolean;
  content: Record<string, MediaTypeObject>;
}

/** Scheme name → scopes (empty for schemes without scopes). All of one object apply together. */
export type SecurityRequirement = Record<string, string[]>;

export interface SecuritySchemeObject {
  type: 'apiKey' | 'http' | 'mutualTLS' | 'oauth2' | 'openIdConnect';
  description?: string;
  name?: string;
  in?: 'query' | 'header' | 'cookie';
  scheme?: string;
  bearerFormat?: string;
  flows?: Record<string, unknown>;
  openIdConnectUrl?: string;
}

export interface OperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject>;
  security?: SecurityRequirement[];
  [extension: `x-${string}`]: unknown;
}

export type PathItemObject = Partial<Record<'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace', OperationObject>> & {
  summary?: string;
  description?: string;
  parameters?: ParameterObject[];
};

export interface TagObject {
  name: string;
  description?: string;
  externalDocs?: { url: string; description?: string };
}

export interface InfoObject {
  title: string;
  version: string;
  summary?: string;
  description?: string;
  termsOfService?: string;
  contact?: { name?: string; url?: string; email?: string };
  license?: { name: string; identifier?: string; url?: string };
}

export interface ServerObject {
  url: string;
  description?: string;
  variables?: Record<string, { default: string; enum?: string[]; description?: string }>;
}

/** An OpenAPI 3.1 document. */
export interface OpenApiDocument {
  openapi: string;
  info: InfoObject;
  jsonSchemaDialect?: string;
  servers?: ServerObject[];
  paths: Record<string, PathItemObject>;
  components?: {
    schemas?: Record<string, SchemaObject>;
    securitySchemes?: Record<string, SecuritySchemeObject>;
    [kind: string]: Record<string, unknown> | undefined;
  };
  security?: SecurityRequirement[];
  tags?: TagObject[];
  externalDocs?: { url: string; description?: string };
  [extension: `x-${string}`]: unknown;
}
