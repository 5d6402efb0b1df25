// examples/middleware serves its routes with every middleware at work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startExample } from '../../core/test/example-process.js';

test('the middleware example: ids, security headers, CORS, ETags, and the login limit', async () => {
  const example = await startExample('examples/middleware/main.ts', { FRONTEND_ORIGINS: 'http://front.test' });
  try {
    const base = `http://127.0.0.1:${example.port}`;
    const r = await fetch(`${base}/api/items`, { headers: { origin: 'http://front.test' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), 'http://front.test');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.match(r.headers.get('x-request-id')!, /^[0-9a-f-]{36}$/);
    assert.equal(r.headers.get('ratelimit-policy'), '"global";q=100;w=60');
    const tag = r.headers.get('etag')!;
    await r.arrayBuffer();
    const cached = await fetch(`${base}/api/items`, { headers: { 'if-none-match': tag } });
    assert.equal(cached.status, 304);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const login = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"ada","password":"wrong"}' });
      statuses.push(login.status);
      await login.arrayBuffer();
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    assert.equal(await example.stop('SIGTERM'), 0);
  } finally {
    example.kill();
  }
});
