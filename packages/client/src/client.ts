/**
 * `createClient<typeof api>(baseUrl)`: calls an Armature app over `fetch`, typed from its routes.
 * `api` is the value a chain of registrations returns (`createApp().get(…).post(…)`), which
 * records each route's path, method, schemas and result as types (core's `WithRoutes`). Nothing
 * of the app is imported at run time: `import type` it, and the client runs in browsers too.
 */
import type { RoutesOf } from '@armature/core';
import { ClientError } from './errors.js';
import { send, type ClientOptions, type SendInput } from './send.js';
import type { CallArgs, CallInput, CallResult } from './types.js';

type Routes<A> = RoutesOf<A>;
type PathsWith<A, M extends string> = { [P in keyof Routes<A>]: M extends keyof Routes<A>[P] ? P : never }[keyof Routes<A>] & string;
type Route<A, P extends string, M extends string> = P extends keyof Routes<A> ? (M extends keyof Routes<A>[P] ? Routes<A>[P][M] : never) : never;

/** A call for method M: the path (one the app serves with M), then its input when it needs one. */
type Call<A, M extends string> = <P extends PathsWith<A, M>>(path: P, ...args: CallArgs<CallInput<P, Route<A, P, M>>>) => Promise<CallResult<Route<A, P, M>>>;

/** The client of an app type: one function per method, each typed by the routes of that method. */
export interface Client<A> {
  get: Call<A, 'GET'>;
  post: Call<A, 'POST'>;
  put: Call<A, 'PUT'>;
  patch: Call<A, 'PATCH'>;
  delete: Call<A, 'DELETE'>;
  /** Any method the app serves, by name. */
  request<M extends string, P extends PathsWith<A, Uppercase<M>>>(method: M, path: P, ...args: CallArgs<CallInput<P, Route<A, P, Uppercase<M>>>>): Promise<CallResult<Route<A, P, Uppercase<M>>>>;
}

/**
 * A typed client of the app whose type is `A` (`typeof api`, where `api` is the result of a chain
 * of route registrations), calling `baseUrl` with `fetch`. A call resolves to the parsed answer
 * (JSON, text, bytes, or undefined for 204) and rejects with a ClientError for any other status
 * than 2xx, carrying the status and the problem document.
 */
export function createClient<A>(baseUrl: string | URL, options: ClientOptions = {}): Client<A> {
  const base = checkBase(baseUrl);
  const call = (method: string) => (path: string, input?: SendInput) => send(base, method, path, input, options);
  return {
    get: call('GET') as Client<A>['get'],
    post: call('POST') as Client<A>['post'],
    put: call('PUT') as Client<A>['put'],
    patch: call('PATCH') as Client<A>['patch'],
    delete: call('DELETE') as Client<A>['delete'],
    request: ((method: string, path: string, input?: SendInput) => send(base, String(method).toUpperCase(), path, input, options)) as Client<A>['request'],
  };
}

/** The base URL without a trailing slash; throws on anything that is not an http(s) URL. */
export function checkBase(baseUrl: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(baseUrl));
  } catch {
    throw new TypeError(`createClient(): the base URL must be an absolute http(s) URL, got ${JSON.stringify(String(baseUrl))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`createClient(): the base URL must be http(s), got ${url.protocol}`);
  if (url.search !== '' || url.hash !== '') throw new TypeError('createClient(): the base URL must have no query or fragment');
  return url.href.replace(/\/+$/, '');
}

export { ClientError };
