/**
 * Route decorators: @Get, @Post, @Put, @Patch, @Delete, @Head, @Options, @All. Standard
 * decorators have no parameter decorators: a route method receives the request `Context` (type
 * it with `Ctx<'/:id'>`) and route options go on the decorator:
 * `@Post('/', { status: 201, schema: { body: NewUser }, middleware: [audit] })`.
 */
import type { Context } from '../app/context.js';
import type { RouteParams } from '../router/path.js';
import { misuse } from './decorators.js';
import { DiError } from './errors.js';
import { routes, type RouteDecoratorOptions } from './metadata.js';

/** The context of a route method: `show(ctx: Ctx<'/users/:id'>)` has `ctx.params.id`. */
export type Ctx<Path extends string = string> = Context<RouteParams<Path>>;

/** A decorator for a controller's instance method. */
export type RouteMethodDecorator = (value: (this: any, ...args: any[]) => unknown, context: ClassMethodDecoratorContext) => void;

function routeDecorator(method: string, label: string): (path?: string, options?: RouteDecoratorOptions) => RouteMethodDecorator {
  return (path = '/', options) => {
    const decorator = `@${label}(${JSON.stringify(path)})`;
    if (typeof path !== 'string') throw new DiError('INVALID_DECLARATION', `@${label}(): the path must be a string, got ${String(path)}`);
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new DiError('INVALID_DECLARATION', `${decorator}: options must be an object`);
    }
    const status = options?.status;
    if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 599)) {
      throw new DiError('INVALID_DECLARATION', `${decorator}: status must be an HTTP status code (100-599), got ${String(status)}`);
    }
    return (value, context) => {
      if (context.kind !== 'method' || context.static || context.private) {
        throw misuse(decorator, 'an instance method of a controller class', context,
          'Routes are public, non-static methods: `@Get(\'/\') list(ctx) { … }`; the class itself takes @Controller(\'/prefix\').');
      }
      const list = routes.get(value);
      const meta = { method, path, options, decorator };
      // decorators apply bottom-up: prepend so that the list reads top-down
      if (list === undefined) routes.set(value, [meta]);
      else list.unshift(meta);
    };
  };
}

export const Get = routeDecorator('GET', 'Get');
export const Post = routeDecorator('POST', 'Post');
export const Put = routeDecorator('PUT', 'Put');
export const Patch = routeDecorator('PATCH', 'Patch');
export const Delete = routeDecorator('DELETE', 'Delete');
export const Head = routeDecorator('HEAD', 'Head');
export const Options = routeDecorator('OPTIONS', 'Options');
/** Every method: GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS (like `app.all`). */
export const All = routeDecorator('ALL', 'All');
