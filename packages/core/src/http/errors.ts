import { STATUS_TEXT } from '../engine/status.js';

/**
 * An error that carries an HTTP status. Thrown by body readers, the router and handlers; the
 * app answers it with an RFC 9457 problem document. `expose` says whether `message` may be
 * shown to the client (true for 4xx by default, false for 5xx).
 */
export class HttpError extends Error {
  readonly status: number;
  readonly expose: boolean;
  readonly headers: Record<string, string> | undefined;
  constructor(status: number, message?: string, options?: { expose?: boolean; cause?: unknown; headers?: Record<string, string> }) {
    super(message ?? STATUS_TEXT[status] ?? 'Error', options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpError';
    this.status = status;
    this.expose = options?.expose ?? status < 500;
    this.headers = options?.headers;
  }
}
