// The app layer in one file: middleware and hooks, a group with its own guard, a mounted admin
// app, cookies, body readers, a Server-Sent Events feed, and errors as problem documents.
//   npx tsx examples/app/main.ts            (PORT defaults to 3001)
//   curl -i localhost:3001/api/login -d '{"name":"ada"}' -H 'content-type: application/json'
//   curl -i localhost:3001/api/me --cookie 'session=ada'
//   curl -N localhost:3001/events
import {
  createApp,
  ConflictException,
  UnauthorizedException,
  type Middleware,
} from '@armature/core';

declare module '@armature/core' {
  interface ContextState {
    user?: string;
    started?: number;
  }
}

const app = createApp({
  serverName: 'Armature',
  trustProxy: 'loopback', // believe X-Forwarded-* only from a proxy on this machine
  bodyLimit: 16 * 1024,
  development: process.env.NODE_ENV === 'development',
});

// ---- app-wide: timing middleware and an access log -----------------------------------------

const timing: Middleware = async (ctx, next) => {
  ctx.state.started = performance.now();
  const result = await next();
  // a streaming answer (the event stream below) has sent its head already
  if (!ctx.res.headersSent) ctx.set('Server-Timing', `app;dur=${(performance.now() - ctx.state.started).toFixed(1)}`);
  return result;
};
app.use(timing);
app.onResponse((ctx) => {
  console.log(`${ctx.ip} ${ctx.method} ${ctx.path} → ${ctx.res.statusCode}`);
});

app.get('/', () => ({
  try: ['POST /api/login', 'GET /api/me', 'GET /api/notes/:id', 'GET /events', 'GET /admin (Authorization: Bearer admin)'],
}));

// ---- /api: a group with a session guard -------------------------------------------------------

const notes = new Map<string, string>([['1', 'Buy milk']]);

app.group('/api', (api) => {
  // everything under /api except login needs a session cookie
  api.onRequest((ctx) => {
    if (ctx.path === '/api/login') return;
    const user = ctx.cookies.session;
    if (user === undefined) throw new UnauthorizedException('Log in first: POST /api/login');
    ctx.state.user = user;
  });

  api.post('/login', async (ctx) => {
    const body = await ctx.json<{ name?: unknown }>(); // 415 unless JSON, 400 if malformed
    if (typeof body.name !== 'string' || body.name === '') throw new ConflictException('A name is required', { extensions: { field: 'name' } });
    ctx.cookie('session', body.name, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 3600 });
    return { welcome: body.name };
  });

  api.post('/logout', (ctx) => {
    ctx.clearCookie('session', { path: '/' });
    return ctx.redirect('/', 303);
  });

  api.get('/me', (ctx) => ({ user: ctx.state.user, protocol: ctx.protocol, host: ctx.host }));

  api.get('/notes/:id', (ctx) => {
    const note = notes.get(ctx.params.id); // ctx.params: { id: string }
    if (note === undefined) {
      ctx.status(404);
      return { error: `No note ${ctx.params.id}` };
    }
    return { id: ctx.params.id, note };
  });

  api.post('/notes/:id', { bodyLimit: 1024 }, async (ctx) => {
    notes.set(ctx.params.id, await ctx.text()); // text/* only; 413 above 1 KiB
    ctx.status(201);
    return { id: ctx.params.id };
  });
});

// ---- Server-Sent Events: a clock, with heartbeats --------------------------------------------

app.get('/events', (ctx) => {
  const stream = ctx.sse({ heartbeat: 15_000, retry: 3000 });
  let n = 0;
  const timer = setInterval(() => stream.send({ event: 'tick', id: ++n, data: { at: new Date().toISOString() } }), 1000);
  stream.onClose(() => clearInterval(timer)); // the client left, or the server is closing
  return stream;
});

// ---- a mounted admin app, with its own guard and error handler --------------------------------

const admin = createApp();
admin.onRequest((ctx) => {
  if (ctx.get('authorization') !== 'Bearer admin') {
    throw new UnauthorizedException('Admins only', { headers: { 'WWW-Authenticate': 'Bearer' } });
  }
});
admin.setErrorHandler((error, ctx) => {
  if (ctx.res.statusCode === 401) return undefined; // the default problem document
  return { adminError: (error as Error).message };
});
admin.get('/', () => ({ notes: notes.size }));
admin.get('/crash', () => {
  throw new Error('something broke');
});
app.mount('/admin', admin);

// ---- errors ----------------------------------------------------------------------------------

app.setNotFoundHandler((ctx) => {
  ctx.status(404);
  return { error: `Nothing at ${ctx.path}`, see: '/' };
});

app.get('/boom', () => {
  throw new Error('internal detail that clients never see'); // 500, detail hidden (shown in development)
});

// ---- serve -----------------------------------------------------------------------------------

const port = Number(process.env.PORT ?? 3001);
const host = process.env.HOST ?? '127.0.0.1';
const address = await app.listen({ port, host });
console.log(`Armature app example listening on http://${host}:${address.port}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: closing`);
    void app.close({ timeout: 3000 }).then(() => process.exit(0));
  });
}
