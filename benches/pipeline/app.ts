// The app side of benches/pipeline.mjs: a route with a parameter, one middleware and a JSON
// response, through the full pipeline (router, Context, compiled chain, reply).
// ASYNC_MW=1 makes the middleware an async function.
import { createApp, ForbiddenException, type Middleware } from '@armature/core';

const app = createApp();

// a typical gate: look at a header, go on (or refuse)
const gate: Middleware = process.env.ASYNC_MW
  ? async (ctx, next) => {
      if (ctx.get('x-blocked') !== undefined) throw new ForbiddenException();
      return await next();
    }
  : (ctx, next) => {
      if (ctx.get('x-blocked') !== undefined) throw new ForbiddenException();
      return next();
    };
app.use(gate);
app.get('/users/:id', (ctx) => ({ id: ctx.params.id }));

const port = Number(process.env.PORT ?? 8080);
await app.listen({ port, host: '127.0.0.1' });
console.log(`app listening on ${port}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close({ timeout: 2000 }).then(() => process.exit(0)));
}
