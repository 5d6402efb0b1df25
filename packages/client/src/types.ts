/**
 * The types of a client call, computed from a route's recorded types (`RouteTypes`: its schemas
 * and what its handler returns): what to send (params, query, headers, body — the input side of
 * the schemas) and what comes back (the output side of the success response schema, else the
 * handler's result as JSON). Computed only for the route a call names, so an app with hundreds
 * of routes costs the checker little more than one with a few.
 */
import type { InferInput, InferOutput, ParamNames, RouteParams, RouteTypes, StandardSchemaV1 } from '@armature/core';

type Part<S, K extends string> = S extends { readonly [P in K]: infer T } ? (T extends StandardSchemaV1 ? T : never) : never;

/** A query value as the client writes it. */
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

/** Path parameters: numbers are written as they read. */
type Loose<T> = { [K in keyof T]: T[K] extends string ? string | number : T[K] };

type ParamsPart<Path extends string, S> = [Part<S, 'params'>] extends [never]
  ? [ParamNames<Path>] extends [never] ? { params?: undefined } : { params: Loose<RouteParams<Path>> }
  : { params: InferInput<Part<S, 'params'>> };

type Maybe<K extends string, T> = {} extends T ? { [P in K]?: T } : { [P in K]: T };

type QueryPart<S> = [Part<S, 'query'>] extends [never] ? { query?: Record<string, QueryValue> } : Maybe<'query', InferInput<Part<S, 'query'>>>;
type BodyPart<S> = [Part<S, 'body'>] extends [never] ? { body?: unknown } : { body: InferInput<Part<S, 'body'>> };
type HeadersPart<S> = [Part<S, 'headers'>] extends [never] ? { headers?: Record<string, string> } : Maybe<'headers', InferInput<Part<S, 'headers'>> & Record<string, string>>;

/** Per-call options besides the route's parts. */
export interface CallOptions {
  /** Abort the call. */
  signal?: AbortSignal;
  /** More `fetch` options (credentials, cache, …). */
  init?: Omit<RequestInit, 'method' | 'body' | 'headers' | 'signal'>;
}

/** What a call to route `T` at `Path` sends. */
export type CallInput<Path extends string, T> = T extends RouteTypes<infer S, unknown> ? ParamsPart<Path, S> & QueryPart<S> & BodyPart<S> & HeadersPart<S> & CallOptions : never;

/** `[input]`, or `[input?]` when nothing in it is required. */
export type CallArgs<I> = {} extends I ? [input?: I] : [input: I];

/** What `JSON.stringify` then `JSON.parse` make of a value of type T (Dates become strings, functions go). */
export type Jsonify<T> = T extends string | number | boolean | null
  ? T
  : T extends undefined | void
    ? undefined
    : T extends { toJSON(): infer J }
      ? J extends T ? never : Jsonify<J>
      : T extends Uint8Array
        ? Uint8Array
        : T extends readonly (infer E)[]
          ? Jsonify<E>[]
          : T extends (...args: never[]) => unknown
            ? never
            : T extends object
              ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: Jsonify<T[K]> }
              : unknown;

type SuccessStatus = 200 | 201 | 202 | 203 | 206;
type SuccessSchema<Responses> = { [K in keyof Responses]: K extends SuccessStatus | `${SuccessStatus}` ? Responses[K] : never }[keyof Responses];

/** What a successful call to route `T` gives: the success response schema's output, else the handler's result as JSON. */
export type CallResult<T> = T extends RouteTypes<infer S, infer R>
  ? S extends { readonly response: infer Responses }
    ? SuccessSchema<Responses> extends infer Schema
      ? [Schema] extends [never]
        ? Jsonify<Awaited<R>>
        : Schema extends StandardSchemaV1
          ? InferOutput<Schema>
          : Jsonify<Awaited<R>>
      : never
    : Jsonify<Awaited<R>>
  : never;
