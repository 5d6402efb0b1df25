// Dependency injection example: modules, an async database provider, guards, interceptors,
// request scope, an event stream. Run: PORT=3000 npx tsx examples/di/main.ts
//   curl localhost:3000/users
//   open http://localhost:3000/docs                 (the OpenAPI page; /docs/openapi.json, /docs/openapi.yaml)
//   curl -XPOST localhost:3000/users -H 'x-api-key: dev-key' -H 'content-type: application/json' -d '{"name":"Ada","email":"ada@example.com"}'
//   curl -N localhost:3000/posts/live -H 'x-api-key: dev-key'     (new posts as Server-Sent Events)
//   curl -XPOST localhost:3000/posts -H 'x-api-key: dev-key' -H 'x-user-id: 1' -H 'content-type: application/json' -d '{"title":"Hello"}'
// SIGTERM / Ctrl-C: in-flight requests finish, then the database closes (onModuleDestroy).
import { serveOpenApi } from '@armature/openapi';
import { Armature } from './armature.js';
import { AppModule, appOptions } from './app.module.js';
import { documentOptions } from './openapi.js';

const armature = await Armature.create(AppModule, appOptions);
// the API description: the Swagger UI page at /docs, the document at /docs/openapi.json and .yaml
serveOpenApi(armature, { path: '/docs', ...documentOptions });
const host = process.env.HOST ?? '127.0.0.1';
const { port } = await armature.listen({ port: Number(process.env.PORT ?? 3000), host });
console.log(`Armature DI example listening on http://${host}:${port} (${armature.routeCount} routes)`);
