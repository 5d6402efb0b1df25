/**
 * The request/response model every transport shares (the `@armature/core/http` subpath), for
 * authors of adapters and plugins: the request body and its source, header lists, the response
 * base class, HTTP errors and RFC 9457 problem details, status texts and content codings. Apps
 * import what they need of it (the errors) from `@armature/core`.
 */
export { RequestBody, type BodySource } from './body.js';
export { IterableSource } from './iterable-source.js';
export { HeaderList } from './headers.js';
export type { HttpRequest } from './request.js';
export { HttpResponse, PreparedFields, type BodyChunk, type HeaderValue, type ResponseObserver, type TakenOverConnection } from './response.js';
export { STATUS_TEXT } from './status.js';
export { problemJson, PROBLEM_TYPE } from './problem.js';
export {
  CONTENT_CODINGS,
  SUPPORTED_CODINGS,
  ZSTD_AVAILABLE,
  MAX_REQUEST_CODINGS,
  codingName,
  contentCoding,
  requestCodings,
  parseAcceptEncoding,
  negotiateCoding,
  type AcceptedCoding,
  type CodingChoice,
  type CodingName,
  type ContentCoding,
} from './content-coding.js';
export * from './errors.js';
