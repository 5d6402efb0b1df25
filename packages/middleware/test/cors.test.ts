// CORS: preflight answers, actual requests, origin rules, Vary, credentials, private network
// access, error answers; configuration mistakes refused at start-up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, UnauthorizedException } from '@armature/core';
import { cors } from '@armature/middleware/cors';

function appWith(options: Parameters<typeof cors>[0]) {
  const app = createApp({ onError: () => {} });
  app.use(cors(options));
  app.get('/items', () => ({ items: [] }));
  app.post('/items', () => ({ ok: true }));
  app.get('/private', () => {
    throw new UnauthorizedException();
  });
  return app;
}

const preflight = (origin: string, extra: Record<string, string> = {}) => ({
  method: 'OPTIONS',
  url: '/items',
  headers: { origin, 'access-control-request-method': 'POST', ...extra },
});

test('default: any origin gets *, no Vary: Origin, no credentials', async () => {
  const app = appWith({});
  const r = await app.inject({ url: '/items', headers: { origin: 'https://a.example' } });
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['access-control-allow-origin'], '*');
  assert.equal(r.headers['access-control-allow-credentials'], undefined);
  assert.equal(r.headers.vary, undefined);
});

test('a request without Origin passes through untouched, but Vary: Origin when the answer depends on it', async () => {
  const app = appWith({ origin: ['https://a.example'] });
  const r = await app.inject('/items');
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['access-control-allow-origin'], undefined);
  assert.equal(r.headers.vary, 'Origin');
});

test('listed origin is echoed with credentials; an unlisted one gets no CORS fields at all', async () => {
  const app = appWith({ origin: ['https://a.example', /^https:\/\/[a-z]+\.b\.example$/], credentials: true, exposedHeaders: ['X-Total'] });
  const ok = await app.inject({ url: '/items', headers: { origin: 'https://x.b.example' } });
  assert.equal(ok.headers['access-control-allow-origin'], 'https://x.b.example');
  assert.equal(ok.headers['access-control-allow-credentials'], 'true');
  assert.equal(ok.headers['access-control-expose-headers'], 'X-Total');
  assert.equal(ok.headers.vary, 'Origin');
  const bad = await app.inject({ url: '/items', headers: { origin: 'https://evil.example' } });
  assert.equal(bad.statusCode, 200);
  for (const name of Object.keys(bad.headers)) assert.ok(!name.startsWith('access-control-'), `unexpected ${name}`);
  assert.equal(bad.headers.vary, 'Origin');
  // an anchored RegExp does not match a longer host
  const sneaky = await app.inject({ url: '/items', headers: { origin: 'https://x.b.example.evil.test' } });
  assert.equal(sneaky.headers['access-control-allow-origin'], undefined);
});

test('preflight: 204 with methods, requested headers reflected, max-age, and Vary', async () => {
  const app = appWith({ origin: 'https://a.example', maxAge: 600 });
  const r = await app.inject(preflight('https://a.example', { 'access-control-request-headers': 'content-type, x-token' }));
  assert.equal(r.statusCode, 204);
  assert.equal(r.body, '');
  assert.equal(r.headers['access-control-allow-origin'], 'https://a.example');
  assert.equal(r.headers['access-control-allow-methods'], 'GET,HEAD,PUT,PATCH,POST,DELETE');
  assert.equal(r.headers['access-control-allow-headers'], 'content-type, x-token');
  assert.equal(r.headers['access-control-max-age'], '600');
  assert.equal(r.headers.vary, 'Origin, Access-Control-Request-Headers');
});

test('preflight with configured headers and methods; disallowed origin gets no CORS fields', async () => {
  const app = appWith({ origin: 'https://a.example', methods: ['GET', 'POST'], allowedHeaders: 'Content-Type' });
  const r = await app.inject(preflight('https://a.example', { 'access-control-request-headers': 'x-other' }));
  assert.equal(r.headers['access-control-allow-methods'], 'GET,POST');
  assert.equal(r.headers['access-control-allow-headers'], 'Content-Type');
  const refused = await app.inject(preflight('https://evil.example'));
  assert.equal(refused.statusCode, 204);
  assert.equal(refused.headers['access-control-allow-origin'], undefined);
  assert.equal(refused.headers['access-control-allow-methods'], undefined);
});

test('an OPTIONS request without Access-Control-Request-Method is not a preflight', async () => {
  const app = appWith({ origin: 'https://a.example' });
  const r = await app.inject({ method: 'OPTIONS', url: '/items', headers: { origin: 'https://a.example' } });
  assert.equal(r.headers['access-control-allow-methods'], undefined);
  assert.equal(r.headers['access-control-allow-origin'], 'https://a.example');
});

test('private network access is answered only when enabled', async () => {
  const ask = { 'access-control-request-private-network': 'true' };
  const on = await appWith({ origin: 'https://a.example', privateNetwork: true }).inject(preflight('https://a.example', ask));
  assert.equal(on.headers['access-control-allow-private-network'], 'true');
  const off = await appWith({ origin: 'https://a.example' }).inject(preflight('https://a.example', ask));
  assert.equal(off.headers['access-control-allow-private-network'], undefined);
});

test('origin function, sync and async, may allow, refuse or name the origin', async () => {
  const app = appWith({ origin: async (origin) => origin.endsWith('.trusted.example'), credentials: true });
  const ok = await app.inject({ url: '/items', headers: { origin: 'https://x.trusted.example' } });
  assert.equal(ok.headers['access-control-allow-origin'], 'https://x.trusted.example');
  const no = await app.inject({ url: '/items', headers: { origin: 'https://x.example' } });
  assert.equal(no.headers['access-control-allow-origin'], undefined);
  const pf = await app.inject(preflight('https://x.trusted.example'));
  assert.equal(pf.statusCode, 204);
  assert.equal(pf.headers['access-control-allow-origin'], 'https://x.trusted.example');
});

test('error answers carry the CORS fields, so the browser can read them', async () => {
  const app = appWith({ origin: 'https://a.example' });
  const r = await app.inject({ url: '/private', headers: { origin: 'https://a.example' } });
  assert.equal(r.statusCode, 401);
  assert.equal(r.headers['access-control-allow-origin'], 'https://a.example');
});

test("configuration mistakes are refused: '*' with credentials, bad maxAge, bad rules", () => {
  assert.throws(() => cors({ credentials: true }), /cannot be combined with credentials/);
  assert.throws(() => cors({ origin: '*', credentials: true }), /cannot be combined with credentials/);
  assert.throws(() => cors({ maxAge: -1 }), /maxAge/);
  assert.throws(() => cors({ origin: [42 as unknown as string] }), /strings or RegExps/);
});

test('origin: false turns CORS off', async () => {
  const r = await appWith({ origin: false }).inject({ url: '/items', headers: { origin: 'https://a.example' } });
  assert.equal(r.headers['access-control-allow-origin'], undefined);
});
