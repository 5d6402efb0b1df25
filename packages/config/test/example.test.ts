// examples/config starts with its example.env, and refuses a bad environment listing every problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startExample } from '../../core/test/example-process.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

test('the config example serves its validated settings', async () => {
  const example = await startExample('examples/config/main.ts', { FEATURE_SIGNUP: 'yes', DATABASE_POOL: '4' });
  try {
    const r = await fetch(`http://127.0.0.1:${example.port}/settings`);
    assert.deepEqual(await r.json(), { environment: 'development', greeting: 'Hello from example.env', signup: true, databasePool: 4, apiKeySet: true });
    assert.equal(await example.stop('SIGTERM'), 0);
  } finally {
    example.kill();
  }
});

test('the config example exits with every problem listed and no secret shown', () => {
  const secret = 'short-s3cret';
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/config/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', API_KEY: secret, DATABASE_POOL: 'many', DATABASE_URL: 'mysql://root:hunter2@db', NODE_ENV: 'staging' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /Invalid configuration: 4 problems/);
  for (const key of ['NODE_ENV', 'API_KEY', 'database.url', 'database.pool']) assert.match(r.stderr, new RegExp(`  - ${key.replace('.', '\\.')}: `));
  assert.ok(!r.stderr.includes(secret) && !r.stderr.includes('hunter2'), r.stderr);
});
