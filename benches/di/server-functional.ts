// GET /users/:id written functionally: the reference of benches/di/rps.mjs.
import { createApp } from '../../packages/core/src/index.js';
import { UsersService } from './service.js';

const users = new UsersService();
const app = createApp();
app.get('/users/:id', (ctx) => users.find(ctx.params.id));

const { port } = await app.listen({ port: Number(process.env.PORT ?? 8080), host: '127.0.0.1' });
console.log(`functional listening on ${port}`);
process.once('SIGTERM', () => void app.close({ timeout: 1000 }).then(() => process.exit(0)));
