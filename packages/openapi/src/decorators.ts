/**
 * NestJS-style documentation decorators (standard decorators, like core's): on controllers and
 * route methods, `@ApiTags`, `@ApiOperation`, `@ApiResponse`, `@ApiBody`, `@ApiSecurity`,
 * `@ApiBearerAuth`, `@ApiExcludeEndpoint`, `@ApiExcludeController`; on guards,
 * `@ApiSecurityScheme` (every route the guard protects then requires that scheme).
 */
import { excludedControllers, declaredSchemes, guardSchemes, operationOf, type OperationMetadata, type RequestBodyMetadata, type ResponseMetadata } from './metadata.js';
import type { SecuritySchemeObject } from './spec.js';

type ClassOrMethodDecorator = (value: Function, context: ClassDecoratorContext | ClassMethodDecoratorContext) => void;
type MethodDecorator = (value: Function, context: ClassMethodDecoratorContext) => void;
type ClassDecorator = (value: Function, context: ClassDecoratorContext) => void;

function check(name: string, context: unknown, kinds: readonly string[]): void {
  const kind = typeof context === 'object' && context !== null ? (context as { kind?: unknown }).kind : undefined;
  if (typeof kind !== 'string') {
    throw new TypeError(`@${name}() was called as a legacy decorator: remove "experimentalDecorators" from tsconfig.json (Armature uses standard decorators)`);
  }
  if (!kinds.includes(kind) || (kind === 'method' && ((context as ClassMethodDecoratorContext).static || (context as ClassMethodDecoratorContext).private))) {
    throw new TypeError(`@${name}() goes on ${kinds.includes('class') ? 'a controller class or ' : ''}a public route method, not on a ${kind}`);
  }
}

/** Tags of the controller's routes (default: the controller's name without "Controller"), or of one route. */
export function ApiTags(...tags: string[]): ClassOrMethodDecorator {
  for (const tag of tags) if (typeof tag !== 'string' || tag === '') throw new TypeError('@ApiTags() takes non-empty strings');
  return (value, context) => {
    check('ApiTags', context, ['class', 'method']);
    const meta = operationOf(value);
    meta.tags = [...tags, ...(meta.tags ?? [])];
  };
}

/** Summary, description, operationId and deprecation of a route. */
export function ApiOperation(operation: Pick<OperationMetadata, 'summary' | 'description' | 'operationId' | 'deprecated' | 'extensions'>): MethodDecorator {
  if (typeof operation !== 'object' || operation === null) throw new TypeError('@ApiOperation() takes an object: { summary, description, operationId, deprecated }');
  return (value, context) => {
    check('ApiOperation', context, ['method']);
    Object.assign(operationOf(value), operation);
  };
}

/** Documents an answer of a route (or of every route of a controller): `@ApiResponse({ status: 404, description: 'No such user' })`. */
export function ApiResponse(response: ResponseMetadata & { status: number | 'default' }): ClassOrMethodDecorator {
  const { status, ...rest } = response ?? ({} as never);
  if (status !== 'default' && !(Number.isInteger(status) && status >= 100 && status <= 599)) {
    throw new TypeError(`@ApiResponse() needs a status between 100 and 599 or 'default', got ${String(status)}`);
  }
  return (value, context) => {
    check('ApiResponse', context, ['class', 'method']);
    const meta = operationOf(value);
    const responses = (meta.responses ??= {});
    // decorators apply bottom-up: the upper one wins, as it reads
    (responses as Record<string, ResponseMetadata>)[status] = { ...rest, ...(responses as Record<string, ResponseMetadata>)[status] };
  };
}

/** Documents the request body: description, examples (its schema comes from the route's `schema.body`). */
export function ApiBody(body: RequestBodyMetadata): MethodDecorator {
  if (typeof body !== 'object' || body === null) throw new TypeError('@ApiBody() takes an object: { description, example, examples }');
  return (value, context) => {
    check('ApiBody', context, ['method']);
    operationOf(value).requestBody = { ...body };
  };
}

/** The route (or every route of the controller) requires scheme `name` (with `scopes`); each use adds an alternative. */
export function ApiSecurity(name: string, scopes: string[] = []): ClassOrMethodDecorator {
  if (typeof name !== 'string' || name === '') throw new TypeError('@ApiSecurity() takes the name of a security scheme');
  return (value, context) => {
    check('ApiSecurity', context, ['class', 'method']);
    const meta = operationOf(value);
    meta.security = [{ [name]: [...scopes] }, ...(meta.security ?? [])];
  };
}

/** `@ApiSecurity(name)` for an HTTP bearer scheme, declared in the document under `name` (default "bearer"). */
export function ApiBearerAuth(name = 'bearer', bearerFormat?: string): ClassOrMethodDecorator {
  declaredSchemes.set(name, { type: 'http', scheme: 'bearer', ...(bearerFormat === undefined ? {} : { bearerFormat }) });
  const inner = ApiSecurity(name);
  return (value, context) => {
    check('ApiBearerAuth', context, ['class', 'method']);
    inner(value, context);
  };
}

/** Leaves the route out of the document. */
export function ApiExcludeEndpoint(): MethodDecorator {
  return (value, context) => {
    check('ApiExcludeEndpoint', context, ['method']);
    operationOf(value).hidden = true;
  };
}

/** Leaves every route of the controller out of the document. */
export function ApiExcludeController(): ClassDecorator {
  return (value, context) => {
    check('ApiExcludeController', context, ['class']);
    excludedControllers.add(value);
  };
}

/**
 * On a guard class: the security scheme it enforces. Every route the guard protects (globally,
 * on its controller or on the method) requires it in the document, and the scheme is declared
 * under `components.securitySchemes[name]`.
 */
export function ApiSecurityScheme(name: string, scheme: SecuritySchemeObject, scopes: string[] = []): ClassDecorator {
  checkScheme(name, scheme);
  return (value, context) => {
    check('ApiSecurityScheme', context, ['class']);
    guardSchemes.set(value, { name, scheme, scopes });
  };
}

function checkScheme(name: string, scheme: SecuritySchemeObject): void {
  if (typeof name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(name)) throw new TypeError(`A security scheme name is letters, digits, ".", "_" or "-": got ${JSON.stringify(name)}`);
  const types = ['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'];
  if (typeof scheme !== 'object' || scheme === null || !types.includes(scheme.type)) {
    throw new TypeError(`Security scheme "${name}": type must be one of ${types.join(', ')}`);
  }
}
