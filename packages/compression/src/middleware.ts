/**
 * `compression(options)`: the middleware. At app level it compresses every answer the app
 * produces after it runs (replies, error answers, event streams, streamed bodies); at route level
 * (`{ middleware: [compression({ levels: { br: 11 } })] }`) it replaces the app-level settings
 * for that route, and `compression(false)` turns compression off there.
 */
import { NotAcceptableException, type Context, type Middleware, type Next } from '@armature/core';
import { ResponseEncoding } from './encode-response.js';
import { resolveSettings, type CompressionOptions, type Settings } from './settings.js';

export function compression(options?: CompressionOptions | false): Middleware {
  const settings = resolveSettings(options);
  return (ctx: Context, next: Next): unknown => {
    applySettings(ctx, settings);
    return next();
  };
}

/**
 * Puts compression with these settings on the request's response (or replaces the settings of
 * compression already there). 406 when the client refuses an unencoded response and accepts
 * none of the codings offered.
 */
export function applySettings(ctx: Context, settings: Settings): void {
  if (settings.enabled) {
    const negotiated = settings.negotiator.negotiate(ctx.req.headers.get('accept-encoding'));
    if (negotiated.coding === null && !negotiated.identity) {
      throw new NotAcceptableException(`No acceptable content coding: this server offers ${settings.offered.join(', ')} and the request refuses identity`);
    }
  }
  ResponseEncoding.install(ctx.req, ctx.res, settings, ctx.config.report);
}
