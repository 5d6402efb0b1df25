/**
 * The one error answer of every transport: which status an error gets, which fields of a
 * half-built response it replaces, and the RFC 9457 problem document it carries. The app's
 * routes (and through them DI's exception filters) and the engine all answer errors through
 * these functions; the engine's canned refusals use the same status table and document shape.
 */
import { STATUS_TEXT } from './status.js';
import { HttpError } from './errors.js';
import type { HttpResponse } from './response.js';

export const PROBLEM_TYPE = 'application/problem+json';

/** Fields that describe a representation: wrong for an error answer that replaces it. */
const REPRESENTATION = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-range', 'content-disposition', 'content-location', 'etag', 'last-modified'];

/** Problem document members an error's extensions may not replace. */
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance']);

/** The status an error is answered with: an HttpError's 4xx/5xx, else 500. */
export function errorStatus(error: unknown): number {
  return error instanceof HttpError && error.status >= 400 && error.status <= 599 ? error.status : 500;
}

/** An RFC 9457 problem document as JSON text: `type`, `title` (the status text), `status`, `detail`, then `members`. */
export function problemJson(status: number, detail?: string, members?: Record<string, unknown>): string {
  const doc: Record<string, unknown> = { type: 'about:blank', title: STATUS_TEXT[status] ?? 'Error', status };
  if (detail !== undefined && detail !== '') doc.detail = detail;
  if (members !== undefined) Object.assign(doc, members);
  return JSON.stringify(doc);
}

/**
 * Turns a half-built response into the start of an error answer: drops the fields that described
 * the representation (other fields, e.g. CORS or a request id, stay), sets the error's status and
 * its header fields (`WWW-Authenticate`, `Allow`, `Retry-After`…). Returns the status.
 */
export function prepareErrorResponse(res: HttpResponse, error: unknown, report: (error: unknown) => void): number {
  for (const name of REPRESENTATION) res.removeHeader(name);
  const status = errorStatus(error);
  res.statusCode = status;
  if (error instanceof HttpError && error.headers !== undefined) {
    try {
      for (const name of Object.keys(error.headers)) res.setHeader(name, error.headers[name]!);
    } catch (headerError) {
      report(headerError);
    }
  }
  return status;
}

/**
 * The default answer to `error` (call prepareErrorResponse first): a problem document with
 * `detail` (the message of an exposed 4xx; of a 5xx only if the error says so, or its stack in
 * development), `instance` (the request path, when known) and the error's extension members
 * (`extensions`, a validation error's `issues`). Server errors are reported.
 */
export function sendProblem(res: HttpResponse, error: unknown, instance: string | undefined, development: boolean, report: (error: unknown) => void): void {
  const status = errorStatus(error);
  if (status >= 500) report(error);
  let detail: string | undefined;
  if (error instanceof HttpError && status === error.status && error.expose) detail = error.message;
  if (development && status >= 500 && error instanceof Error) detail = error.stack;
  res.statusCode = status;
  res.setHeader('Content-Type', PROBLEM_TYPE);
  res.end(problemJson(status, detail, problemMembers(instance, error)));
}

function problemMembers(instance: string | undefined, error: unknown): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  if (instance !== undefined) members.instance = instance;
  if (!(error instanceof HttpError)) return members;
  // a localized title (it takes the place of the status text)
  if (error.title !== undefined && error.title !== '' && errorStatus(error) === error.status) members.title = error.title;
  const extensions = error.extensions;
  if (extensions !== undefined) {
    for (const key of Object.keys(extensions)) if (!RESERVED.has(key)) members[key] = extensions[key];
  }
  const issues = (error as { issues?: unknown }).issues;
  if (Array.isArray(issues)) members.issues = issues;
  return members;
}
