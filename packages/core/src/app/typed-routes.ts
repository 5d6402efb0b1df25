/**
 * Routes as types: each route method (`app.get(…)`, `group.post(…)`) returns its scope with the
 * route added to a type-only record, so that `typeof app` (of a chain of registrations) tells a
 * typed client (`@armature/client`) every path, method, schema and handler result. Nothing
 * here exists at runtime, and recording stays flat (a path → method map merged by
 * intersection), so a large app costs the type checker little.
 */
declare const ROUTES: unique symbol;

/** The key of the type-only route record. */
export type RoutesKey = typeof ROUTES;

/** One route's types: its schemas (`RouteSchema`) and what its handler returns. */
export interface RouteTypes<S = {}, R = unknown> {
  readonly schema: S;
  readonly returns: R;
}

/** A scope with these routes recorded: full path → upper-case method → RouteTypes. */
export interface WithRoutes<Record> {
  readonly [ROUTES]: Record;
}

/** The record of one route. */
export type RouteAdded<Path extends string, Method extends string, S, R> = WithRoutes<{ [P in Path]: { [M in Method]: RouteTypes<S, R> } }>;

/** The routes recorded in `T` (a value returned by a chain of registrations), or `{}`. */
export type RoutesOf<T> = T extends WithRoutes<infer R> ? R : {};

/** `T`'s recorded routes as a WithRoutes, or nothing (what a group's `define` callback returned). */
export type RoutesFrom<T> = T extends WithRoutes<infer R> ? WithRoutes<R> : unknown;
