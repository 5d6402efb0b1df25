/** Starts the app: `npm run dev` (tsx watch) while developing, `npm run build && npm start` in production. */
import { Armature } from '@armature/core';
import { AppModule } from './app.module.js';

const app = await Armature.create(AppModule);
const host = process.env.HOST ?? '127.0.0.1';
const { port } = await app.listen({ port: Number(process.env.PORT ?? 3000), host });
console.log(`{{name}} listening on http://${host}:${port}`);
// SIGTERM / SIGINT: in-flight requests finish, then the process exits (graceful shutdown).
