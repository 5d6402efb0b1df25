/**
 * One call: the URL from the route pattern and params, the query string, the body (JSON unless
 * it is already a body `fetch` takes), and the answer parsed by its media type.
 */
import { ClientError } from './errors.js';

export interface ClientOptions {
  /** The `fetch` to call (default the global one): e.g. `app.fetch` to call an app in process. */
  fetch?: (request: Request) => Promise<Response>;
  /** Header fields of every call (a function: computed per call, e.g. a fresh token). */
  headers?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
}

/** The input of a call, untyped. */
export interface SendInput {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
  init?: Omit<RequestInit, 'method' | 'body' | 'headers' | 'signal'>;
}

/** A body `fetch` sends as it is. */
type RequestBody = NonNullable<RequestInit['body']>;

type Piece = string | { readonly param: string };
const compiled = new Map<string, Piece[]>();

/** A route pattern as pieces: static text and parameters (constraints `<int>`, `(\d+)` dropped). */
function piecesOf(pattern: string): Piece[] {
  let pieces = compiled.get(pattern);
  if (pieces !== undefined) return pieces;
  if (typeof pattern !== 'string' || pattern.charCodeAt(0) !== 47) throw new TypeError(`A path must start with "/", got ${JSON.stringify(pattern)}`);
  pieces = [];
  let text = '';
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === ':' && pattern[i + 1] === ':') {
      text += ':';
      i += 2;
    } else if (c === ':') {
      const m = /^[A-Za-z_$][\w$]*/.exec(pattern.slice(i + 1));
      if (m === null) throw new TypeError(`Path ${pattern}: ":" at ${i} is not followed by a parameter name`);
      if (text !== '') pieces.push(text);
      text = '';
      pieces.push({ param: m[0] });
      i += 1 + m[0].length;
      if (pattern[i] === '<') i = pattern.indexOf('>', i) + 1 || pattern.length;
      else if (pattern[i] === '(') {
        let depth = 0;
        for (; i < pattern.length; i++) {
          if (pattern[i] === '\\') i++;
          else if (pattern[i] === '(') depth++;
          else if (pattern[i] === ')' && --depth === 0) break;
        }
        i++;
      }
    } else if (c === '*' && i === pattern.length - 1) {
      if (text !== '') pieces.push(text);
      text = '';
      pieces.push({ param: '*' });
      i++;
    } else {
      text += c;
      i++;
    }
  }
  if (text !== '') pieces.push(text);
  if (compiled.size < 10_000) compiled.set(pattern, pieces);
  return pieces;
}

/** The path with its parameters filled in, percent-encoded (the wildcard keeps its slashes). */
export function fillPath(pattern: string, params: Record<string, unknown> | undefined): string {
  let out = '';
  for (const piece of piecesOf(pattern)) {
    if (typeof piece === 'string') {
      out += encodeURI(piece);
      continue;
    }
    const value = params?.[piece.param];
    if (value === undefined || value === null || (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint')) {
      throw new TypeError(`Path ${pattern}: the parameter "${piece.param}" is missing (give params.${piece.param === '*' ? "['*']" : piece.param} as a string or number)`);
    }
    const s = String(value);
    out += piece.param === '*' ? s.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(s);
  }
  return out;
}

/** `?a=1&b=x&b=y` from an object; undefined and null values are left out, arrays repeat the key. */
export function queryString(query: Record<string, unknown> | undefined): string {
  if (query === undefined || query === null) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === 'object' && v !== null) throw new TypeError(`Query parameter "${key}": objects cannot be written in a query string`);
      search.append(key, String(v));
    }
  }
  const s = search.toString();
  return s === '' ? '' : `?${s}`;
}

function isRawBody(body: unknown): body is RequestBody {
  return typeof body === 'string' || body instanceof ArrayBuffer || ArrayBuffer.isView(body) || body instanceof Blob || body instanceof FormData || body instanceof URLSearchParams || body instanceof ReadableStream;
}

/** The answer's body by its media type: JSON, text, bytes, or undefined when there is none. */
async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 205 || response.status === 304) {
    await response.body?.cancel();
    return undefined;
  }
  const type = (response.headers.get('content-type') ?? '').toLowerCase();
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length === 0) return undefined;
  if (/^application\/(?:[\w.+-]*\+)?json\b/.test(type)) return JSON.parse(new TextDecoder().decode(bytes));
  if (type.startsWith('text/') || /^application\/(?:[\w.+-]*\+)?(?:xml|yaml|javascript)\b/.test(type)) return new TextDecoder().decode(bytes);
  return bytes;
}

/** Sends one call; resolves to the parsed answer of a 2xx, rejects with ClientError otherwise. */
export async function send(base: string, method: string, pattern: string, input: SendInput | undefined, options: ClientOptions): Promise<unknown> {
  const url = base + fillPath(pattern, input?.params) + queryString(input?.query);
  const headers = new Headers(typeof options.headers === 'function' ? await options.headers() : options.headers);
  for (const [name, value] of Object.entries(input?.headers ?? {})) if (value !== undefined) headers.set(name, value);
  let body: RequestBody | undefined;
  if (input?.body !== undefined) {
    if (isRawBody(input.body)) body = input.body;
    else {
      body = JSON.stringify(input.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
  }
  if (!headers.has('accept')) headers.set('accept', 'application/json, application/problem+json;q=0.9, */*;q=0.8');
  const request = new Request(url, { ...input?.init, method, headers, body, signal: input?.signal, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
  const response = await (options.fetch ?? fetch)(request);
  const parsed = await readBody(response);
  if (response.status < 200 || response.status > 299) throw new ClientError(method, url, response, parsed);
  return parsed;
}
