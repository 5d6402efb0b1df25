import type { HttpRequest } from '../http/request.js';
import type { HttpResponse } from '../http/response.js';

/** Parses a query string; repeated keys become arrays. Malformed escapes are kept as written. */
export function parseQuery(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  if (query === '') return out;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (typeof prev === 'string') out[key] = [prev, value];
    else prev.push(value);
  }
  return out;
}

function decodeComponent(s: string): string {
  const plus = s.indexOf('+') === -1 ? s : s.replace(/\+/g, ' ');
  if (plus.indexOf('%') === -1) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

/** What a handler receives: the request, the response, route parameters and lazy helpers. */
export class Context<P extends Record<string, string> = Record<string, string>> {
  readonly req: HttpRequest;
  readonly res: HttpResponse;
  params: P;
  private query_: Record<string, string | string[]> | null = null;

  constructor(req: HttpRequest, res: HttpResponse, params: P) {
    this.req = req;
    this.res = res;
    this.params = params;
  }

  get method(): string {
    return this.req.method;
  }

  get path(): string {
    return this.req.path;
  }

  /** Query parameters, parsed on first use; repeated keys become arrays. */
  get query(): Record<string, string | string[]> {
    return (this.query_ ??= parseQuery(this.req.query));
  }

  /** A request header (case-insensitive). */
  header(name: string): string | undefined {
    return this.req.headers.get(name);
  }

  /** Sets the response status; chainable. */
  status(code: number): this {
    this.res.statusCode = code;
    return this;
  }

  /** Sets a response header; chainable. */
  set(name: string, value: string | number | readonly string[]): this {
    this.res.setHeader(name, value);
    return this;
  }
}
