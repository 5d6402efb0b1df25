/**
 * The types of route decorators: a controller method's context is typed from its decorator's
 * path and schemas, and the decorator refuses a method whose parameter does not accept that
 * context, so `@Get('/:userId') show(ctx: Ctx<'/:id'>)` or a coerced param typed `string` is a
 * compile error. The same `RouteContext` types functional routes (app/hooks.ts).
 */
import type { RouteContext, RouteSchema } from '../app/hooks.js';
import type { RouteDecoratorOptions } from './metadata.js';

/**
 * The context of a route method: `Ctx<'/users/:id'>` has `ctx.params.id: string`;
 * `Ctx<'/:id', typeof schema>` has the outputs of `schema`'s params, query, headers and body
 * validators (give the decorator the same `schema`). `Ctx` alone fits any route.
 */
export type Ctx<Path extends string = string, S = {}> = RouteContext<Path, S>;

/**
 * A method decorator for a route whose context is `C`. Its method may declare any parameter type
 * that `C` is assignable to (`Ctx`, `Ctx<'/:id'>`, the exact `Ctx<'/:id', typeof schema>`) or
 * none; another type is a compile error at the decorator.
 */
export type RouteMethodDecorator<C> = <This, M extends (this: This, ctx: C) => unknown>(
  value: M,
  context: ClassMethodDecoratorContext<This, M>,
) => void;

/** `@Get(path?, options?)` and the others: the path literal and `options.schema` type the method's context. */
export type RouteDecorator = <Path extends string = '/', S extends RouteSchema = {}>(
  path?: Path,
  options?: RouteDecoratorOptions<Path, S>,
) => RouteMethodDecorator<RouteContext<Path, S>>;
