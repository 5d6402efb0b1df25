import { HttpError } from '../http/errors.js';
import type { InferOutput, StandardIssue, StandardResult, StandardSchemaV1 } from './standard-schema.js';

/** The part of the request a schema validates; named like the route option that holds it. */
export type ValidationTarget = 'params' | 'query' | 'headers' | 'body';

/** One problem, as the 400 answer lists it. */
export interface ValidationIssue {
  /** The part of the request: 'params', 'query', 'headers' or 'body'. */
  readonly in: ValidationTarget;
  /** A JSON Pointer (RFC 6901) into that part: '' for the whole value, '/address/zip', '/tags/0'. */
  readonly path: string;
  /** The validator's message, as it wrote it. */
  readonly message: string;
}

/**
 * A request that failed validation: a 400 whose `issues` list every problem found. The app
 * answers it with a problem document whose `issues` member is that list:
 *
 *     { "type": "about:blank", "title": "Bad Request", "status": 400,
 *       "detail": "Invalid body: /age: Expected number (and 1 more)",
 *       "issues": [{ "in": "body", "path": "/age", "message": "Expected number" }, …] }
 */
export class ValidationError extends HttpError {
  readonly issues: ValidationIssue[];
  /** RFC 9457 extension members for the problem document: `{ issues }`. */
  override readonly extensions: { issues: ValidationIssue[] };
  constructor(issues: ValidationIssue[], message?: string) {
    super(400, message ?? describe(issues));
    this.name = 'ValidationError';
    this.issues = issues;
    this.extensions = { issues };
  }
}

/** True for a value that implements Standard Schema v1 (Zod, Valibot, ArkType, …). */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const props = (value as Partial<StandardSchemaV1>)['~standard'];
  return typeof props === 'object' && props !== null && props.version === 1 && typeof props.validate === 'function';
}

/**
 * Validates one part of a request with a Standard Schema validator. Returns the validator's
 * output (coerced or transformed as the schema says) — synchronously when the validator
 * answers synchronously, as a promise when it is asynchronous. Throws (or rejects with) a
 * `ValidationError` (400) listing the issues when the value does not pass. An exception thrown
 * by the validator itself is passed on unchanged (the app answers it with a 500).
 */
export function validate<S extends StandardSchemaV1>(
  schema: S,
  value: unknown,
  where: ValidationTarget,
): InferOutput<S> | Promise<InferOutput<S>> {
  const result = schema['~standard'].validate(value) as StandardResult<InferOutput<S>> | Promise<StandardResult<InferOutput<S>>>;
  if (result instanceof Promise) return result.then((settled) => outcome(settled, where));
  return outcome(result, where);
}

function outcome<T>(result: StandardResult<T>, where: ValidationTarget): T {
  if (result.issues === undefined) return result.value;
  const issues = toIssues(result.issues, where);
  throw new ValidationError(issues, issues.length === 0 ? `Invalid ${where}` : undefined);
}

/** Turns a validator's issues into the list the 400 answer carries. */
export function toIssues(issues: ReadonlyArray<StandardIssue>, where: ValidationTarget): ValidationIssue[] {
  const list: ValidationIssue[] = [];
  for (const issue of issues) list.push({ in: where, path: pointer(issue.path), message: String(issue.message) });
  return list;
}

function pointer(path: StandardIssue['path']): string {
  if (path === undefined) return '';
  let out = '';
  for (const segment of path) {
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
    const name = typeof key === 'symbol' ? (key.description ?? '') : String(key);
    out += '/' + name.replaceAll('~', '~0').replaceAll('/', '~1');
  }
  return out;
}

function describe(issues: ValidationIssue[]): string {
  if (issues.length === 0) return 'Invalid request';
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `Invalid ${first.in}: ${first.path === '' ? '' : first.path + ': '}${first.message}${more}`;
}
