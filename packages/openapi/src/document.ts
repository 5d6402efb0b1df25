/**
 * The OpenAPI 3.1 document of an app, built from its route table (`app.routeTable()`): one
 * operation per route — parameters from the path pattern and the params/query/headers schemas,
 * the request body from the body schema, answers from the response schemas and the decorators,
 * problem+json answers for what the framework itself refuses (validation, guards), security from
 * the guards, tags and operation ids from the controllers.
 */
import type { RouteTableEntry } from '@armature/core';
import { parsePattern, type PatternToken } from '@armature/core/router';
import { excludedControllers, declaredSchemes, operations, schemeOfGuard, type OperationMetadata, type ResponseMetadata } from './metadata.js';
import { SchemaRegistry } from './schemas.js';
import type {
  InfoObject, OpenApiDocument, OperationObject, ParameterObject, PathItemObject, ResponseObject, SchemaObject,
  SecurityRequirement, SecuritySchemeObject, ServerObject, TagObject,
} from './spec.js';

export interface DocumentOptions {
  /** Title, version (defaults "API" and "1.0.0"), description… */
  info?: Partial<InfoObject>;
  servers?: ServerObject[];
  /** Descriptions of tags (tags used by routes are listed anyway, in order of first use). */
  tags?: TagObject[];
  /** Security schemes beside those declared on guards and by `@ApiBearerAuth()`. */
  securitySchemes?: Record<string, SecuritySchemeObject>;
  /** Requirements of every operation that states none of its own. */
  security?: SecurityRequirement[];
  /** Document the problem+json answers of validation (400) and guards (401, 403). Default true. */
  problemResponses?: boolean;
  /** Which routes to describe (default: all but those marked hidden). */
  include?: (route: RouteTableEntry) => boolean;
}

/** What a document is built from: an App (anything with its route table). */
export interface RouteTableSource {
  routeTable(): readonly RouteTableEntry[];
}

/** An app, or anything that holds one (`Armature`, the testing module). */
export type DocumentSource = RouteTableSource | { readonly app: RouteTableSource };

/** The app of a DocumentSource. */
export function appOf(source: DocumentSource): RouteTableSource {
  const s = source as { routeTable?: unknown; app?: unknown };
  if (typeof s.routeTable === 'function') return source as RouteTableSource;
  if (typeof s.app === 'object' && s.app !== null && typeof (s.app as { routeTable?: unknown }).routeTable === 'function') return s.app as RouteTableSource;
  throw new TypeError('createDocument() takes an App (createApp()) or an Armature application (Armature.create())');
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const PROBLEM = 'application/problem+json';
const STATUS_DESCRIPTION: Record<string, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 410: 'Gone', 413: 'Content Too Large',
  415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
  default: 'Error',
};

/** The OpenAPI path of a route pattern (`/users/:id<int>` → `/users/{id}`) and its path parameters. */
export function openApiPath(pattern: string): { path: string; params: ParameterObject[] } {
  const tokens: PatternToken[] = parsePattern(pattern, { lowercase: false, trimTrailingSlash: false });
  let path = '';
  const params: ParameterObject[] = [];
  for (const t of tokens) {
    if (t.kind === 'static') path += decodeURI(t.text);
    else if (t.kind === 'wildcard') {
      path += '{*}';
      params.push({ name: '*', in: 'path', required: true, description: 'The rest of the path', schema: { type: 'string' } });
    } else {
      path += `{${t.name}}`;
      const c = t.constraint;
      const schema: SchemaObject = c === null ? { type: 'string' } : c.type === 'int' ? { type: 'integer' } : c.type === 'uuid' ? { type: 'string', format: 'uuid' } : { type: 'string', pattern: `^(?:${c.source.slice(1, -1)})$` };
      params.push({ name: t.name, in: 'path', required: true, schema });
    }
  }
  return { path, params };
}

/** `getUsersById` for GET /users/{id}. */
function defaultOperationId(method: string, path: string): string {
  const byParam = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const statics = path.replace(/\{[^}]+\}/g, '').split(/[^A-Za-z0-9]+/).filter(Boolean);
  const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
  let id = method.toLowerCase() + (statics.length === 0 && byParam.length === 0 ? 'Root' : statics.map(cap).join(''));
  if (byParam.length > 0) id += 'By' + byParam.map((p) => cap(p === '*' ? 'path' : p.replace(/[^A-Za-z0-9]/g, ''))).join('And');
  return id;
}

/** The OpenAPI metadata of a route: its decorators (class, then method) and its `meta.openapi`. */
function metadataOf(route: RouteTableEntry): OperationMetadata | null {
  const declared = route.declaredBy;
  const own = route.meta?.openapi;
  if (declared === undefined) return own ?? {};
  if (excludedControllers.has(declared.controller)) return null;
  const proto = (declared.controller as unknown as { prototype: Record<string, unknown> }).prototype;
  const fn = proto[declared.handlerName];
  const onClass = operations.get(declared.controller) ?? {};
  const onMethod = (typeof fn === 'function' ? operations.get(fn) : undefined) ?? {};
  return {
    ...onClass,
    ...onMethod,
    ...own,
    tags: own?.tags ?? [...(onClass.tags ?? []), ...(onMethod.tags ?? [])],
    security: own?.security ?? (onMethod.security !== undefined || onClass.security !== undefined ? [...(onMethod.security ?? []), ...(onClass.security ?? [])] : undefined),
    responses: { ...onClass.responses, ...onMethod.responses, ...own?.responses },
  };
}

function problemRef(registry: SchemaRegistry): { $ref: string } {
  return registry.define('ProblemDetails', {
    type: 'object',
    description: 'An RFC 9457 problem document',
    properties: {
      type: { type: 'string', format: 'uri-reference', default: 'about:blank' },
      title: { type: 'string' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: { type: 'string' },
      instance: { type: 'string', format: 'uri-reference' },
    },
    required: ['type', 'title', 'status'],
    additionalProperties: true,
  });
}

function validationProblemRef(registry: SchemaRegistry): { $ref: string } {
  return registry.define('ValidationProblem', {
    description: 'A 400 problem document listing every validation issue',
    allOf: [
      problemRef(registry),
      {
        type: 'object',
        properties: {
          issues: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                in: { type: 'string', enum: ['params', 'query', 'headers', 'body'] },
                path: { type: 'string', description: 'A JSON Pointer into that part of the request' },
                message: { type: 'string' },
              },
              required: ['in', 'path', 'message'],
            },
          },
        },
        required: ['issues'],
      },
    ],
  });
}

/** Properties of an object JSON Schema as parameters (query, header). */
function objectParameters(schema: SchemaObject, where: 'query' | 'header' | 'path'): ParameterObject[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const out: ParameterObject[] = [];
  for (const [name, prop] of Object.entries(props)) {
    if (where === 'header' && ['accept', 'content-type', 'authorization'].includes(name.toLowerCase())) continue;
    const p: ParameterObject = { name, in: where, required: where === 'path' || required.has(name), schema: prop };
    if (typeof prop === 'object' && typeof prop.description === 'string') p.description = prop.description;
    out.push(p);
  }
  return out;
}

function response(description: string, meta: ResponseMetadata | undefined, schema: SchemaObject | undefined, contentType: string): ResponseObject {
  const out: ResponseObject = { description: meta?.description ?? description };
  if (schema !== undefined || meta?.example !== undefined || meta?.examples !== undefined) {
    const media: Record<string, unknown> = {};
    if (schema !== undefined) media.schema = schema;
    if (meta?.example !== undefined) media.example = meta.example;
    if (meta?.examples !== undefined) media.examples = meta.examples;
    out.content = { [meta?.contentType ?? contentType]: media };
  }
  if (meta?.headers !== undefined) out.headers = meta.headers as ResponseObject['headers'];
  return out;
}

/** An answer the schemas described, with the description, headers and examples a decorator adds. */
function withDocs(existing: ResponseObject, m: ResponseMetadata): ResponseObject {
  const out: ResponseObject = { ...existing, description: m.description ?? existing.description };
  if (m.headers !== undefined) out.headers = m.headers as ResponseObject['headers'];
  if (m.example !== undefined || m.examples !== undefined) {
    const content = { ...(existing.content ?? { [m.contentType ?? 'application/json']: {} }) };
    for (const type of Object.keys(content)) {
      content[type] = { ...content[type], ...(m.example === undefined ? {} : { example: m.example }), ...(m.examples === undefined ? {} : { examples: m.examples }) };
    }
    out.content = content;
  }
  return out;
}

/** Builds the document from the app's routes as they are registered now. */
export function createDocument(source: DocumentSource, options: DocumentOptions = {}): OpenApiDocument {
  const app = appOf(source);
  const registry = new SchemaRegistry();
  const schemes: Record<string, SecuritySchemeObject> = {};
  const paths: Record<string, PathItemObject> = {};
  const tagsUsed: string[] = [];
  const ids = new Set<string>();
  const problems = options.problemResponses !== false;
  const routes = app.routeTable();
  const hasGet = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.path));

  for (const route of routes) {
    const method = route.method.toLowerCase();
    if (!METHODS.has(method)) continue;
    if (method === 'head' && hasGet.has(route.path)) continue;
    if (options.include !== undefined && !options.include(route)) continue;
    const meta = metadataOf(route);
    if (meta === null || meta.hidden === true) continue;
    const where = `${route.method} ${route.path}`;
    const { path, params } = openApiPath(route.path);
    const schema = route.schema ?? {};
    const op: OperationObject = { responses: {} };

    // identity
    const controller = route.declaredBy;
    let id = meta.operationId ?? (controller !== undefined ? `${controller.controller.name}_${controller.handlerName}` : defaultOperationId(method, path));
    if (ids.has(id)) {
      if (meta.operationId !== undefined) throw new Error(`OpenAPI: operationId "${id}" of ${where} is used twice`);
      let n = 2;
      while (ids.has(`${id}${n}`)) n++;
      id = `${id}${n}`;
    }
    ids.add(id);
    op.operationId = id;
    if (meta.summary !== undefined) op.summary = meta.summary;
    if (meta.description !== undefined) op.description = meta.description;
    let tags = meta.tags ?? [];
    if (tags.length === 0 && controller !== undefined) tags = [controller.controller.name.replace(/Controller$/, '') || controller.controller.name];
    if (tags.length > 0) {
      op.tags = [...new Set(tags)];
      for (const t of op.tags) if (!tagsUsed.includes(t)) tagsUsed.push(t);
    }
    if (meta.deprecated === true) op.deprecated = true;

    // parameters
    let parameters: ParameterObject[] = params;
    if (schema.params !== undefined) {
      const fromSchema = objectParameters(registry.convert(schema.params, 'input', `${where} (params)`), 'path');
      parameters = params.map((p) => fromSchema.find((s) => s.name === p.name) ?? p);
    }
    if (schema.query !== undefined) parameters = parameters.concat(objectParameters(registry.convert(schema.query, 'input', `${where} (query)`), 'query'));
    if (schema.headers !== undefined) parameters = parameters.concat(objectParameters(registry.convert(schema.headers, 'input', `${where} (headers)`), 'header'));
    for (const extra of meta.parameters ?? []) {
      const i = parameters.findIndex((p) => p.name === extra.name && p.in === extra.in);
      if (i === -1) parameters.push({ required: extra.in === 'path', schema: { type: 'string' }, ...extra } as ParameterObject);
      else parameters[i] = { ...parameters[i]!, ...extra };
    }
    if (parameters.length > 0) op.parameters = parameters;

    // request body
    const bodyMeta = meta.requestBody;
    const bodySchema = schema.body ?? bodyMeta?.schema;
    if (bodySchema !== undefined || bodyMeta !== undefined) {
      const media: Record<string, unknown> = {};
      if (bodySchema !== undefined) media.schema = registry.convert(bodySchema, 'input', `${where} (body)`);
      if (bodyMeta?.example !== undefined) media.example = bodyMeta.example;
      if (bodyMeta?.examples !== undefined) media.examples = bodyMeta.examples;
      op.requestBody = { required: bodyMeta?.required ?? true, content: { [bodyMeta?.contentType ?? 'application/json']: media } };
      if (bodyMeta?.description !== undefined) op.requestBody.description = bodyMeta.description;
    }

    // answers
    const declared = schema.response ?? {};
    for (const status of Object.keys(declared)) {
      const converted = registry.convert(declared[status as unknown as number], 'output', `${where} (response ${status})`);
      op.responses[status] = response(STATUS_DESCRIPTION[status] ?? `Status ${status}`, meta.responses?.[status as unknown as number], converted, 'application/json');
    }
    const success = String(controller?.status ?? 200);
    if (!Object.keys(op.responses).some((s) => s.startsWith('2') || s.startsWith('3'))) {
      const m = meta.responses?.[success as unknown as number];
      op.responses[success] = response(STATUS_DESCRIPTION[success] ?? 'Success', m, m?.schema === undefined ? undefined : registry.convert(m.schema, 'output', `${where} (response ${success})`), 'application/json');
    }

    // security: what the route states, else what its guards enforce, else the document's
    let security: SecurityRequirement[] | undefined;
    if (meta.security !== undefined) {
      security = meta.security.map((s) => (typeof s === 'string' ? { [s]: [] } : s));
    } else if (controller !== undefined) {
      const all: SecurityRequirement = {};
      for (const guard of controller.guards) {
        const found = schemeOfGuard(guard);
        if (found === undefined) continue;
        schemes[found.name] ??= found.scheme;
        all[found.name] = [...new Set([...(all[found.name] ?? []), ...found.scopes])];
      }
      if (Object.keys(all).length > 0) security = [all];
    }
    if (security !== undefined) op.security = security;
    const secured = (security ?? options.security ?? []).some((r) => Object.keys(r).length > 0);

    if (problems) {
      const validated = schema.params !== undefined || schema.query !== undefined || schema.headers !== undefined || schema.body !== undefined;
      if (validated && op.responses['400'] === undefined) {
        op.responses['400'] = { description: 'The request failed validation', content: { [PROBLEM]: { schema: validationProblemRef(registry) } } };
      }
      if (secured && op.responses['401'] === undefined) op.responses['401'] = { description: 'Missing or invalid credentials', content: { [PROBLEM]: { schema: problemRef(registry) } } };
      if ((secured || (controller?.guards.length ?? 0) > 0) && op.responses['403'] === undefined) {
        op.responses['403'] = { description: 'A guard refused the request', content: { [PROBLEM]: { schema: problemRef(registry) } } };
      }
    }
    // documented answers: more about those the schemas gave, or new ones (errors default to problem+json)
    for (const [status, m] of Object.entries(meta.responses ?? {})) {
      const existing = op.responses[status];
      if (existing !== undefined && m.schema === undefined) {
        op.responses[status] = withDocs(existing, m);
        continue;
      }
      const isError = status === 'default' || Number(status) >= 400;
      const s = m.schema !== undefined ? registry.convert(m.schema, 'output', `${where} (response ${status})`) : isError ? problemRef(registry) : undefined;
      op.responses[status] = response(STATUS_DESCRIPTION[status] ?? `Status ${status}`, m, s, isError && m.schema === undefined ? PROBLEM : 'application/json');
    }
    if (meta.extensions !== undefined) Object.assign(op, meta.extensions);

    const item = (paths[path] ??= {});
    if (item[method as 'get'] !== undefined) continue; // the same route twice under another param name: the router refuses it anyway
    item[method as 'get'] = op;
  }

  // schemes named by requirements must be declared
  const named = new Set<string>();
  for (const item of Object.values(paths)) for (const op of Object.values(item)) for (const r of (op as OperationObject).security ?? []) for (const k of Object.keys(r)) named.add(k);
  for (const r of options.security ?? []) for (const k of Object.keys(r)) named.add(k);
  for (const name of named) {
    const scheme = options.securitySchemes?.[name] ?? schemes[name] ?? declaredSchemes.get(name);
    if (scheme === undefined) throw new Error(`OpenAPI: security scheme "${name}" is required by a route but declared nowhere: declare it with @ApiSecurityScheme on a guard, or in createDocument({ securitySchemes })`);
    schemes[name] = scheme;
  }
  Object.assign(schemes, options.securitySchemes);

  const described = new Map((options.tags ?? []).map((t) => [t.name, t]));
  const tags: TagObject[] = [...tagsUsed.map((name) => described.get(name) ?? { name }), ...(options.tags ?? []).filter((t) => !tagsUsed.includes(t.name))];

  const doc: OpenApiDocument = {
    openapi: '3.1.1',
    info: { title: 'API', version: '1.0.0', ...options.info },
    paths,
  };
  if (options.servers !== undefined) doc.servers = options.servers;
  const components: NonNullable<OpenApiDocument['components']> = {};
  if (Object.keys(registry.schemas).length > 0) components.schemas = registry.schemas;
  if (Object.keys(schemes).length > 0) components.securitySchemes = schemes;
  if (Object.keys(components).length > 0) doc.components = components;
  if (options.security !== undefined) doc.security = options.security;
  if (tags.length > 0) doc.tags = tags;
  return doc;
}
