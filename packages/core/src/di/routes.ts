/**
 * Route decorators: @Get, @Post, @Put, @Patch, @Delete, @Head, @Options, @All. Standard
 * decorators have no parameter decorators: a route method receives the request `Context` (type
 * it with `Ctx<'/:id'>`, or `Ctx<'/:id', typeof schema>`) and route options go on the decorator:
 * `@Post('/', { status: 201, schema: { body: NewUser }, middleware: [audit] })`. The decorator
 * checks the method against its path and schemas (see route-types.ts).
 */
import { checkStandard, misuse } from './decorators.js';
import { diError } from './messages.js';
import { routes } from './metadata.js';
import type { RouteDecorator } from './route-types.js';

export type { Ctx, RouteDecorator, RouteMethodDecorator } from './route-types.js';

function routeDecorator(method: string, label: string): RouteDecorator {
  return (path = '/' as never, options) => {
    const decorator = `@${label}(${JSON.stringify(path)})`;
    if (typeof path !== 'string') throw diError('INVALID_DECLARATION', 'routePath', `@${label}()`, path);
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw diError('INVALID_DECLARATION', 'optionsNotObject', decorator, options);
    }
    const status = options?.status;
    if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 599)) {
      throw diError('INVALID_DECLARATION', 'routeStatus', decorator, status);
    }
    return (value, context) => {
      checkStandard(decorator, context);
      if (context.kind !== 'method' || context.static || context.private) {
        throw misuse(decorator, 'route', context);
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
