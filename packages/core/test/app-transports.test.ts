// The app layer over real sockets: the engine (app.listen) and the node:http adapter, with fetch
// as the client — cookies, redirects, proxy trust, body checks, hooks, errors, not-found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, ConflictException } from '../src/index.js';

function demo(trustProxy: boolean | string[]) {
  const log: string[] = [];
  const app = createApp({ trustProxy, bodyLimit: 64, onError: () => {} });
  app.onRequest((ctx) => void log.push(`onRequest ${ctx.method} ${ctx.path}`));
  app.use(async (ctx, next) => {
    const r = await next();
    ctx.set('X-Handled-By', 'armature');
    return r;
  });
  app.onResponse((ctx) => void log.push(`onResponse ${ctx.res.statusCode}`));
  app.setNotFoundHandler((ctx) => {
    ctx.status(404);
    return { notFound: ctx.path };
  });
  app.get('/whoami', (ctx) => ({ ip: ctx.ip, protocol: ctx.protocol, host: ctx.host, cookies: ctx.cookies }));
  app.get('/login', (ctx) => {
    ctx.cookie('sid', 's3cr3t', { httpOnly: true, sameSite: 'lax', path: '/' }).cookie('theme', 'dark', { maxAge: 60 });
    return ctx.redirect('/home', 303);
  });
  app.post('/json', async (ctx) => ({ got: await ctx.json() }));
  app.get('/conflict', () => {
    throw new ConflictException('already there');
  });
  return { app, log };
}

async function exercise(base: string, log: string[], trusted: boolean): Promise<void> {
  const login = await fetch(`${base}/login`, { redirect: 'manual' });
  assert.equal(login.status, 303);
  assert.equal(login.headers.get('location'), '/home');
  assert.equal(login.headers.get('x-handled-by'), 'armature');
  assert.deepEqual(login.headers.getSetCookie(), ['sid=s3cr3t; Path=/; HttpOnly; SameSite=Lax', 'theme=dark; Max-Age=60']);
  await login.text();

  const who = await fetch(`${base}/whoami`, {
    headers: { cookie: 'sid=s3cr3t; theme=dark', 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'public.example' },
  });
  const body = (await who.json()) as { ip: string; protocol: string; host: string; cookies: Record<string, string> };
  assert.deepEqual(body.cookies, { sid: 's3cr3t', theme: 'dark' });
  if (trusted) {
    assert.deepEqual([body.ip, body.protocol, body.host], ['203.0.113.9', 'https', 'public.example']);
  } else {
    // a spoofed X-Forwarded-For from an untrusted peer is ignored
    assert.match(body.ip, /127\.0\.0\.1$/);
    assert.equal(body.protocol, 'http');
    assert.match(body.host, /^127\.0\.0\.1:\d+$/);
  }

  const ok = await fetch(`${base}/json`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
  assert.deepEqual(await ok.json(), { got: { a: 1 } });
  const wrongType = await fetch(`${base}/json`, { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(wrongType.status, 415);
  assert.equal(wrongType.headers.get('content-type'), 'application/problem+json');
  await wrongType.text();
  const tooBig = await fetch(`${base}/json`, { method: 'POST', body: JSON.stringify({ pad: 'x'.repeat(100) }), headers: { 'content-type': 'application/json' } });
  assert.equal(tooBig.status, 413);
  await tooBig.text();
  const malformed = await fetch(`${base}/json`, { method: 'POST', body: '{nope', headers: { 'content-type': 'application/json' } });
  assert.equal(malformed.status, 400);
  assert.match(((await malformed.json()) as { detail: string }).detail, /Malformed JSON/);

  const conflict = await fetch(`${base}/conflict`);
  assert.equal(conflict.status, 409);
  assert.deepEqual(await conflict.json(), { type: 'about:blank', title: 'Conflict', status: 409, detail: 'already there', instance: '/conflict' });
  const missing = await fetch(`${base}/missing`);
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), { notFound: '/missing' });

  await new Promise((r) => setImmediate(r));
  assert.deepEqual(log.filter((l) => l.startsWith('onResponse')), [
    'onResponse 303', 'onResponse 200', 'onResponse 200', 'onResponse 415', 'onResponse 413', 'onResponse 400', 'onResponse 409', 'onResponse 404',
  ]);
}

for (const trusted of [false, true]) {
  test(`over the engine (trustProxy ${trusted ? 'loopback' : 'off'})`, async () => {
    const { app, log } = demo(trusted ? ['loopback'] : false);
    const { port } = await app.listen({ port: 0 });
    try {
      await exercise(`http://127.0.0.1:${port}`, log, trusted);
    } finally {
      await app.close({ timeout: 500 });
    }
  });

  test(`over the node:http adapter (trustProxy ${trusted ? 'loopback' : 'off'})`, async () => {
    const { app, log } = demo(trusted ? ['loopback'] : false);
    const server = http.createServer(app.nodeListener());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await exercise(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, log, trusted);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
}

test('through the fetch adapter: cookies, redirect, body checks, errors, hooks', async () => {
  const { app, log } = demo(false);
  const login = await app.fetch(new Request('http://app.test/login'));
  assert.equal(login.status, 303);
  assert.deepEqual(login.headers.getSetCookie(), ['sid=s3cr3t; Path=/; HttpOnly; SameSite=Lax', 'theme=dark; Max-Age=60']);
  const who = await app.fetch(new Request('http://app.test/whoami', { headers: { cookie: 'a=1', 'x-forwarded-for': '1.2.3.4' } }));
  assert.deepEqual(await who.json(), { ip: '', protocol: 'http', host: 'app.test', cookies: { a: '1' } });
  const wrongType = await app.fetch(new Request('http://app.test/json', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } }));
  assert.equal(wrongType.status, 415);
  const conflict = await app.fetch(new Request('http://app.test/conflict'));
  assert.equal(conflict.status, 409);
  assert.equal(conflict.headers.get('x-handled-by'), null); // the middleware's after-part did not run: the handler threw
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(log.filter((l) => l.startsWith('onResponse')), ['onResponse 303', 'onResponse 200', 'onResponse 415', 'onResponse 409']);
});
