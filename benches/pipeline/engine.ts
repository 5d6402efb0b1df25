// The reference of benches/pipeline.mjs: Armature's engine with a raw handler that routes
// /users/:id by parsing the path itself and answers {"id":"…"} as JSON.
import { EngineServer } from '@armature/core/engine';

const server = new EngineServer((req, res) => {
  const path = req.path;
  if (path.startsWith('/users/') && path.indexOf('/', 7) === -1 && path.length > 7) {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ id: path.slice(7) }));
    return;
  }
  res.statusCode = 404;
  res.end();
});

const port = Number(process.env.PORT ?? 8080);
await server.listen({ port, host: '127.0.0.1' });
console.log(`engine listening on ${port}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close({ timeout: 2000 }).then(() => process.exit(0)));
}
