/** Tests with the testing module: the real module graph, a provider replaced, requests run in process. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Test } from '@armature/core/testing';
import { AppModule } from '../src/app.module.js';
import { HelloService } from '../src/hello.service.js';

test('GET /hello greets by query and by path', async () => {
  const mod = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = await mod.createApp();
  const byQuery = await app.inject('/hello?name=Ada');
  assert.equal(byQuery.statusCode, 200);
  assert.equal(byQuery.body, 'Hello, Ada!');
  assert.deepEqual((await app.inject('/hello/Grace')).json(), { message: 'Hello, Grace!' });
  assert.equal((await app.inject('/nowhere')).statusCode, 404);
  await mod.close();
});

test('a provider replaced for a test', async () => {
  const mod = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(HelloService)
    .useValue({ greet: (name = 'world') => `Bonjour, ${name} !` })
    .compile();
  const app = await mod.createApp();
  assert.equal((await app.inject('/hello')).body, 'Bonjour, world !');
  await mod.close();
});
