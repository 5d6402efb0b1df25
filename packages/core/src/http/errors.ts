import { STATUS_TEXT } from './status.js';

/** Options of HttpError and the named classes below. */
export interface HttpErrorOptions {
  /** Whether `message` may be shown to the client (default: true below 500). */
  expose?: boolean;
  cause?: unknown;
  /** Header fields the error answer carries (e.g. `WWW-Authenticate`, `Retry-After`, `Allow`). */
  headers?: Record<string, string>;
  /** RFC 9457 extension members added to the problem document (e.g. `{ balance: 30 }`). */
  extensions?: Record<string, unknown>;
  /** The problem document's `title` (default: the status text); RFC 9457 lets it differ only to be localized. */
  title?: string;
}

/**
 * The one error base: an error that carries an HTTP status. Thrown by body readers, the router
 * and handlers (directly or as one of the named classes below); the app answers it with an
 * RFC 9457 problem document. `expose` says whether `message` may be shown to the client (true
 * for 4xx by default, false for 5xx); `headers` go on the answer; `extensions` become members of
 * the problem document.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly expose: boolean;
  readonly headers: Record<string, string> | undefined;
  readonly extensions: Record<string, unknown> | undefined;
  /** The problem document's `title`, when not the status text (e.g. translated). */
  readonly title: string | undefined;
  constructor(status: number, message?: string, options?: HttpErrorOptions) {
    super(message ?? STATUS_TEXT[status] ?? 'Error', options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.expose = options?.expose ?? status < 500;
    this.headers = options?.headers;
    this.extensions = options?.extensions;
    this.title = options?.title;
  }
}

/**
 * NestJS's name for the same class: `HttpException === HttpError`, so `instanceof` either one
 * matches every HTTP error. Throw whichever reads better; the named classes below extend it.
 */
export const HttpException = HttpError;
export type HttpException = HttpError;

/** 400: the request is malformed. */
export class BadRequestException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) { super(400, message, options); }
}
/** 401: authentication is missing or wrong (set `WWW-Authenticate` through `headers`). */
export class UnauthorizedException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) { super(401, message, options); }
}
/** 403: authenticated, but not allowed. */
export class ForbiddenException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) { super(403, message, options); }
}
/** 404: nothing here. */
export class NotFoundException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) { super(404, message, options); }
}
/** 405: the path exists, the method does not (`allowed` becomes the `Allow` header). */
export class MethodNotAllowedException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions & { allowed?: readonly string[] }) {
    const allowed = options?.allowed;
    super(405, message, allowed === undefined ? options : { ...options, headers: { ...options?.headers, Allow: allowed.join(', ') } });
  }
}
/** 406: no acceptable representation. */
export class NotAcceptableException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) { super(406, message, options); }
}
/** 409: conflicts with the current state of the resource. */
export class ConflictException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) { super(409, message, options); }
}
/** 410: gone for good. */
export class GoneException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) { super(410, message, options); }
}
/** 413: the request content is larger than the limit. */
export class PayloadTooLargeException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) { super(413, message, options); }
}
/** 415: the request content has a media type the route does not take. */
export class UnsupportedMediaTypeException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) { super(415, message, options); }
}
/** 422: well-formed, but semantically wrong. */
export class UnprocessableEntityException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) { super(422, message, options); }
}
/** 429: rate limited (set `Retry-After` through `headers`). */
export class TooManyRequestsException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) { super(429, message, options); }
}
/** 500: a bug or an unexpected failure; the message is not shown (except in development). */
export class InternalServerErrorException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) { super(500, message, options); }
}
/** 501: not implemented. */
export class NotImplementedException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) { super(501, message, options); }
}
/** 502: an upstream answered badly. */
export class BadGatewayException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) { super(502, message, options); }
}
/** 503: temporarily unavailable (set `Retry-After` through `headers`). */
export class ServiceUnavailableException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) { super(503, message, options); }
}
/** 504: an upstream did not answer in time. */
export class GatewayTimeoutException extends HttpError {
  constructor(message?: string, options?: HttpErrorOptions) { super(504, message, options); }
}
