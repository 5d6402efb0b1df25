/**
 * `controllerClient(UsersController, baseUrl)`: a client with one function per route method of a
 * DI controller, typed from the method (its `Ctx<…>` parameter and its result), its path and
 * method read from the route decorators at run time. It imports the controller class, so it
 * suits Node callers (tests, other services of a monorepo); a browser client takes the types of
 * a functional app (`createClient`) or a client generated from the OpenAPI document.
 */
import { controllerRoutes, type Context } from '@armature/core';
import { checkBase } from './client.js';
import { send, type ClientOptions, type SendInput } from './send.js';
import type { CallArgs, CallOptions, Jsonify, QueryValue } from './types.js';

type Loose<T> = { [K in keyof T]: T[K] extends string ? string | number : T[K] };
type Maybe<K extends string, T> = {} extends T ? { [P in K]?: T } : { [P in K]: T };
type LooseParams = { params?: Record<string, string | number> };

/** What a call to a route method whose context is `C` sends. */
type ContextInput<C> = C extends Context<infer P, infer Q, infer B, infer H>
  ? (string extends keyof P ? LooseParams : [keyof P] extends [never] ? { params?: undefined } : { params: Loose<P> })
    & (string extends keyof Q ? { query?: Record<string, QueryValue> } : Maybe<'query', Q>)
    & (unknown extends B ? { body?: unknown } : { body: B })
    & (string extends keyof H ? { headers?: Record<string, string> } : Maybe<'headers', H & Record<string, string>>)
    & CallOptions
  : AnyInput;

/** The input of a method that declares no context: anything, nothing required. */
type AnyInput = LooseParams & { query?: Record<string, QueryValue>; body?: unknown; headers?: Record<string, string> } & CallOptions;

type MethodInput<F> = F extends (ctx: infer C, ...rest: never[]) => unknown ? (unknown extends C ? AnyInput : ContextInput<C>) : AnyInput;

/** The client of controller class `C`: its route methods, each sending over HTTP. */
export type ControllerClient<C extends abstract new (...args: never[]) => unknown> = {
  [K in keyof InstanceType<C> as InstanceType<C>[K] extends (...args: never[]) => unknown ? K : never]: InstanceType<C>[K] extends (...args: never[]) => infer R
    ? (...args: CallArgs<MethodInput<InstanceType<C>[K]>>) => Promise<Jsonify<Awaited<R>>>
    : never;
};

/**
 * A client of a DI controller: `await users.show({ params: { id: 1 } })` sends `GET /users/1`.
 * Params, query, headers and body are typed from the method's `Ctx<…>` (the validated types:
 * a coerced param is sent as the number it becomes), results from what the method returns.
 */
export function controllerClient<C extends abstract new (...args: never[]) => unknown>(controller: C, baseUrl: string | URL, options: ClientOptions = {}): ControllerClient<C> {
  const base = checkBase(baseUrl);
  const client: Record<string, (input?: SendInput) => Promise<unknown>> = {};
  for (const route of controllerRoutes(controller)) {
    if (route.handlerName in client) continue; // a method with several routes: the first one
    const method = route.method === 'ALL' ? 'GET' : route.method;
    client[route.handlerName] = (input) => send(base, method, route.path, input, options);
  }
  return client as unknown as ControllerClient<C>;
}
