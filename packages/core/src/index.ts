export { App, createApp, type AppOptions, type AppListenOptions, type Handler } from './app/app.js';
export { isWorker, workerId, type WorkersOption, type WorkersOptions, type WorkerStatus, type WorkerState } from './workers/index.js';
export { Group, type ScopeContext, type ScopeParams } from './app/scope.js';
export { Context, parseQuery, type BodyReadOptions, type ContextState, type HeaderRecord, type QueryRecord } from './app/context.js';
export type { ErrorHandler, Hook, HookName, Middleware, Next, NotFoundHandler, OnErrorHook, OnResponseHook, RouteContext, RouteOptions, RouteSchema } from './app/hooks.js';
export { reply, type Serializers } from './app/reply.js';
export { parseCookies, serializeCookie, type CookieOptions } from './app/cookies.js';
export { EventStream, formatEvent, type SseMessage, type SseOptions } from './app/sse.js';
export { compileTrust, type TrustProxy, type TrustFunction } from './app/client-address.js';
export { validate, ValidationError, isStandardSchema, type ValidationIssue, type ValidationTarget } from './schema/validate.js';
export { compileSerializer, SerializationError, UnsupportedSchemaError, type JsonSchema, type Serializer } from './schema/serializer.js';
export type { StandardSchemaV1, InferInput, InferOutput } from './schema/standard-schema.js';
export { RadixRouter, type Match, type RadixRouterOptions, type RouteParams, type ParamNames } from './router/index.js';
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
export { RequestBody, type BodySource } from './http/body.js';
export {
  CONTENT_CODINGS,
  SUPPORTED_CODINGS,
  ZSTD_AVAILABLE,
  MAX_REQUEST_CODINGS,
  codingName,
  contentCoding,
  requestCodings,
  parseAcceptEncoding,
  type AcceptedCoding,
  type CodingName,
  type ContentCoding,
} from './http/content-coding.js';
export { HeaderList } from './http/headers.js';
export type { HttpRequest } from './http/request.js';
export { HttpResponse, type BodyChunk, type HeaderValue } from './http/response.js';
export { problemJson, PROBLEM_TYPE } from './http/problem.js';
export { toNodeListener } from './adapters/node.js';
export { toFetchHandler } from './adapters/fetch.js';
// `inject` is the DI function (from ./di); the in-process request runner is app.inject() or injectRequest()
export { inject as injectRequest, type InjectOptions, type InjectResult } from './adapters/inject.js';
export * from './engine/index.js';
export * from './di/index.js';
