/**
 * The shapes of middleware, hooks, error handlers and route options, and the context types a
 * route's schemas produce.
 */
import type { RouteParams } from '../router/index.js';
import type { JsonSchema } from '../schema/serializer.js';
import type { InferOutput, StandardSchemaV1 } from '../schema/standard-schema.js';
import type { Step } from './compose.js';
import type { Context, HeaderRecord, QueryRecord } from './context.js';

/**
 * Runs the rest of the chain (further middleware, validation, preHandler hooks, the handler)
 * and returns its result — a value or a promise of one: `await` it.
 */
export type Next = () => unknown;

// Method-style signatures make the context parameter bivariant, so that a middleware written for
// any Context (e.g. `Middleware`) fits a route whose context is more specific.

/**
 * Koa-style "around" middleware. Call `next()` to run the rest and get its result; return a
 * value to answer with it instead (returning nothing keeps what `next()` produced); skip
 * `next()` and return a value (or throw) to answer early.
 */
export type Middleware<C = Context> = { bivarianceHack(ctx: C, next: Next): unknown }['bivarianceHack'];

/** `onRequest` / `preHandler`: return nothing to go on, or a value (or a promise of one) to answer with it. */
export type Hook<C = Context> = { bivarianceHack(ctx: C): unknown }['bivarianceHack'];

/**
 * The key under which a middleware that only acts before the rest of the chain carries that
 * action as a Hook (see hookMiddleware): the chain runs the hook in the middleware's place, with
 * no layer of its own (no `next` function made per request).
 */
export const MIDDLEWARE_HOOK: unique symbol = Symbol.for('armature.middleware.hook');

/** A middleware that is a Hook run before the rest of the chain (see hookMiddleware). */
export type HookMiddleware<C = Context> = Middleware<C> & { readonly [MIDDLEWARE_HOOK]: Hook<C> };

/** `onResponse`: after the response is sent; errors are reported, not sent. */
export type OnResponseHook<C = Context> = { bivarianceHack(ctx: C): unknown }['bivarianceHack'];

/** `onError`: sees every error of the request; return a value (or Response) to answer instead of the default. */
export type OnErrorHook<C = Context> = { bivarianceHack(error: unknown, ctx: C): unknown }['bivarianceHack'];

/** The scope's error handler: return a value to answer with (undefined → the default problem answer). */
export type ErrorHandler<C = Context> = { bivarianceHack(error: unknown, ctx: C): unknown }['bivarianceHack'];

/** Answers requests that match no route (returning a value or throwing, like a handler). */
export type NotFoundHandler<C = Context> = { bivarianceHack(ctx: C): unknown }['bivarianceHack'];

export type HookName = 'onRequest' | 'preHandler' | 'onResponse' | 'onError';

export interface HookTypes<C> {
  onRequest: Hook<C>;
  preHandler: Hook<C>;
  onResponse: OnResponseHook<C>;
  onError: OnErrorHook<C>;
}

/**
 * Schemas of a route. params/query/headers/body: Standard Schema validators (Zod, Valibot,
 * ArkType, …), checked before preHandler hooks, their outputs replacing `ctx.params`,
 * `ctx.query`, `ctx.headers` and `ctx.body` (the body is read as JSON). response: by status
 * code, JSON Schemas or Standard Schemas with a JSON Schema export (Zod 4, ArkType, Valibot with
 * `@valibot/to-json-schema`), compiled at start-up into serializers that write only what is
 * declared; a schema that cannot be enforced is a start-up error.
 */
export interface RouteSchema {
  params?: StandardSchemaV1;
  query?: StandardSchemaV1;
  headers?: StandardSchemaV1;
  body?: StandardSchemaV1;
  response?: Record<number, JsonSchema | StandardSchemaV1>;
}

type Output<S, K extends 'params' | 'query' | 'headers' | 'body', Fallback> = S extends { [P in K]: infer T }
  ? T extends StandardSchemaV1
    ? InferOutput<T>
    : Fallback
  : Fallback;

/** The context of a handler for `Path` with schemas `S`: validated types where schemas are given. */
export type RouteContext<Path extends string, S = {}> = Context<
  Output<S, 'params', RouteParams<Path>>,
  Output<S, 'query', QueryRecord>,
  Output<S, 'body', unknown>,
  Output<S, 'headers', HeaderRecord>
>;

/** A route handler; `ctx.params` is typed from the path literal (or the params schema). `R`: what it returns. */
export type Handler<Path extends string = string, S = {}, R = unknown> = (ctx: RouteContext<Path, S>) => R;

type OneOrMany<T> = T | readonly T[];

/**
 * Per-route options (`app.get(path, options, handler)`). Hooks and middleware given here run
 * after those of the app and the groups the route is in. onRequest and middleware run before
 * validation, so they see the raw params/query; preHandler hooks see the validated ones.
 */
export interface RouteOptions<Path extends string = string, S extends RouteSchema = RouteSchema> {
  schema?: S;
  onRequest?: OneOrMany<Hook<Context<RouteParams<Path>>>>;
  middleware?: ReadonlyArray<Middleware<Context<RouteParams<Path>>>>;
  preHandler?: OneOrMany<Hook<RouteContext<Path, S>>>;
  onResponse?: OneOrMany<OnResponseHook<Context<RouteParams<Path>>>>;
  onError?: OneOrMany<OnErrorHook<Context<RouteParams<Path>>>>;
  /** Default size limit of this route's body readers, in bytes. */
  bodyLimit?: number;
  /**
   * Facts about the route for the tools that read the route table (`app.routeTable()`): an API
   * description (`@armature/openapi` reads `meta.openapi`), route listings. The request pipeline
   * never reads it.
   */
  meta?: RouteMetadata;
  /** @internal The controller method that declared the route (set by DI). */
  declaredBy?: RouteDeclaration;
  /**
   * @internal A stage between middleware and validation: DI compiles a controller route's
   * guards and interceptors into it, so that they run before the body is read.
   */
  around?: (next: Step) => Step;
}

/**
 * The `meta` of a route. Packages that read it declare their key by augmenting this interface
 * (`declare module '@armature/core' { interface RouteMetadata { openapi?: … } }`); other keys are
 * free-form.
 */
export interface RouteMetadata {
  [key: string]: unknown;
}

/** The controller method behind a route compiled from a DI controller. */
export interface RouteDeclaration {
  /** The controller class. */
  readonly controller: abstract new (...args: any[]) => unknown;
  /** The name of the route method on it. */
  readonly handlerName: string;
  /** Guards that run before it (global, then the controller's, then the method's), as declared. */
  readonly guards: readonly unknown[];
  /** The status of a successful answer given to the decorator (`@Post('/', { status: 201 })`). */
  readonly status: number | undefined;
}

/** One route of `app.routeTable()`: what it answers, its schemas and what is known about it. */
export interface RouteTableEntry {
  /** Upper-case method. */
  readonly method: string;
  /** Full path pattern, as registered (`/users/:id`). */
  readonly path: string;
  readonly schema: RouteSchema | undefined;
  readonly meta: RouteMetadata | undefined;
  /** Set for routes compiled from a DI controller. */
  readonly declaredBy: RouteDeclaration | undefined;
}

/**
 * Which routes a scope's middleware applies to, decided once at start-up: called with each
 * route's method and full path, or with null for the answers no route gives (not found, 405,
 * a malformed path).
 */
export type RouteFilter = (route: { readonly method: string; readonly path: string } | null) => boolean;

export function toList<T>(value: OneOrMany<T> | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}
