// examples/di through its typed client: controllerClient(UsersController) against the app,
// listening for real, with the database replaced by a seeded one (the testing module).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Test } from '@armature/core/testing';
import { ClientError } from '@armature/client';
import { controllerClient } from '@armature/client/controller';
import { AppModule, appOptions } from '../../../examples/di/app.module.js';
import { DATABASE, InMemoryDatabase } from '../../../examples/di/database.js';
import { UsersController, type User } from '../../../examples/di/users.js';

test('the DI example answers its typed client: show, create with the API key, errors as ClientError', async () => {
  const db = new InMemoryDatabase();
  db.insert('users', { name: 'Ada', email: 'ada@example.com' });
  const mod = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(DATABASE).useValue(db).compile();
  const app = await mod.createApp({ ...appOptions, onError: () => {} });
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const users = controllerClient(UsersController, `http://127.0.0.1:${port}`);
    const ada: User = await users.show({ params: { id: 1 } });
    assert.deepEqual(ada, { id: 1, name: 'Ada', email: 'ada@example.com' });

    await assert.rejects(users.show({ params: { id: 9 } }), (e: unknown) => e instanceof ClientError && e.status === 404 && /no user 9/.test(e.message));
    await assert.rejects(users.create({ body: { name: 'Grace', email: 'grace@example.com' } }), (e: unknown) => e instanceof ClientError && e.status === 401);

    const keyed = controllerClient(UsersController, `http://127.0.0.1:${port}`, { headers: { 'x-api-key': 'dev-key' } });
    const grace = await keyed.create({ body: { name: 'Grace', email: 'grace@example.com' } });
    assert.deepEqual(grace, { id: 2, name: 'Grace', email: 'grace@example.com' });
    await assert.rejects(keyed.create({ body: { name: 'Grace', email: 'grace@example.com' } }), (e: unknown) => e instanceof ClientError && e.status === 409);
    // in process, through the app's fetch handler: the same answers without a socket
    const inProcess = controllerClient(UsersController, 'http://example.test', { fetch: app.app.fetch });
    assert.equal((await inProcess.show({ params: { id: 2 } })).name, 'Grace');
  } finally {
    await app.close();
  }
});
