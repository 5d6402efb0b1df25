/**
 * `@armature/core`: what an application uses. The app and its routes, the request context,
 * middleware and hooks, errors, validation and serialization, dependency injection, and the
 * adapters that run an app inside another server. Plumbing has subpaths of its own:
 * `@armature/core/testing` (the testing module, `injectRequest`), `/engine` (the HTTP/1.1
 * server), `/router` (the router alone), `/http` (the request/response model of transports).
 */
export { App, createApp, type AppOptions, type AppListenOptions, type Handler } from './app/app.js';
export { isWorker, workerId, type WorkersOption, type WorkersOptions, type WorkerStatus, type WorkerState } from './workers/index.js';
export { Group, type ScopeContext, type ScopeParams } from './app/scope.js';
export { Context, type BodyReadOptions, type ContextState, type HeaderRecord, type QueryRecord } from './app/context.js';
export type { ErrorHandler, Hook, HookMiddleware, HookName, Middleware, Next, NotFoundHandler, OnErrorHook, OnResponseHook, RouteContext, RouteDeclaration, RouteMetadata, RouteOptions, RouteSchema, RouteTableEntry } from './app/hooks.js';
export { MIDDLEWARE_HOOK } from './app/hooks.js';
export { hookMiddleware } from './app/compose.js';
export type { RouteAdded, RouteTypes, RoutesKey, RoutesOf, WithRoutes } from './app/typed-routes.js';
export { reply, type Serializers } from './app/reply.js';
export { parseCookies, serializeCookie, type CookieOptions } from './app/cookies.js';
export { EventStream, type SseMessage, type SseOptions } from './app/sse.js';
export type { TrustProxy, TrustFunction } from './app/client-address.js';
export { validate, ValidationError, isStandardSchema, type ValidationIssue, type ValidationTarget } from './schema/validate.js';
export { jsonSchemaOf, type SchemaSide } from './schema/response-schema.js';
export type { JsonSchemaObject } from './schema/json-schema.js';
export { compileSerializer, SerializationError, UnsupportedSchemaError, type JsonSchema, type Serializer } from './schema/serializer.js';
export type { StandardSchemaV1, InferInput, InferOutput } from './schema/standard-schema.js';
export type { RouteParams, ParamNames } from './router/index.js';
export {
  HttpError,
  HttpException,
  type HttpErrorOptions,
  BadRequestException,
  UnauthorizedException,
  ForbiddenException,
  NotFoundException,
  MethodNotAllowedException,
  NotAcceptableException,
  ConflictException,
  GoneException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
  UnprocessableEntityException,
  TooManyRequestsException,
  InternalServerErrorException,
  NotImplementedException,
  BadGatewayException,
  ServiceUnavailableException,
  GatewayTimeoutException,
} from './http/errors.js';
export type { ListenOptions, CloseOptions } from './engine/server.js';
export type { EngineOptions } from './engine/options.js';
export { toNodeListener } from './adapters/node.js';
export { toFetchHandler } from './adapters/fetch.js';
// `inject` is the DI function (from ./di); the in-process request runner is app.inject(), and
// the free function injectRequest() is in ./testing.ts (`@armature/core/testing`)
export type { InjectOptions, InjectResult } from './adapters/inject.js';
export * from './di/index.js';
