// Cross-cutting pieces: a timing interceptor (global) and an envelope interceptor.
import type { CallHandler, Ctx, Interceptor } from './armature.js';

/**
 * Adds `x-response-time` (ms) to every route's response, errors included (when next() fails the
 * status is already the error's). A stream (SSE, a download) sends its head before the handler
 * returns: there is no head left to add the header to, so it is skipped.
 */
export class TimingInterceptor implements Interceptor {
  async intercept(ctx: Ctx, next: CallHandler): Promise<unknown> {
    const start = performance.now();
    try {
      return await next();
    } finally {
      if (!ctx.res.headersSent) ctx.set('x-response-time', (performance.now() - start).toFixed(3));
    }
  }
}

/** Wraps a list in `{ data, count }`. */
export class ListEnvelope implements Interceptor {
  async intercept(_ctx: Ctx, next: CallHandler): Promise<unknown> {
    const data = (await next()) as unknown[];
    return { data, count: data.length };
  }
}
