/**
 * The router's public API (the `@armature/core/router` subpath): the router itself, its options
 * and match, and the types that turn a route pattern into its params. The files behind it:
 * router.ts (the facade: static map + one tree per method), tree.ts (the radix tree and its
 * lookup), pattern.ts (pattern parsing and the RouteParams type). Guide: docs/routing.md.
 */
export { RadixRouter, type Match, type RadixRouterOptions } from './router.js';
export { parsePattern, type RouteParams, type ParamNames, type PatternToken, type Constraint, type ParseOptions } from './pattern.js';
export { DuplicateRouteError, RouteConflictError } from './tree.js';
