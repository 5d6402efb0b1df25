// Security headers: the defaults, overrides, HSTS only over HTTPS, CSP nonces per request,
// configuration mistakes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '@armature/core';
import { securityHeaders, cspNonce } from '@armature/middleware/security-headers';

test('defaults: the Helmet-equivalent set, no HSTS over plain HTTP', async () => {
  const app = createApp();
  app.use(securityHeaders());
  app.get('/', () => 'hi');
  const r = await app.inject('/');
  assert.equal(r.statusCode, 200);
  assert.match(String(r.headers['content-security-policy']), /^default-src 'self'; .*object-src 'none'; .*upgrade-insecure-requests$/);
  assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin');
  assert.equal(r.headers['cross-origin-resource-policy'], 'same-origin');
  assert.equal(r.headers['cross-origin-embedder-policy'], undefined);
  assert.equal(r.headers['origin-agent-cluster'], '?1');
  assert.equal(r.headers['referrer-policy'], 'no-referrer');
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.equal(r.headers['x-dns-prefetch-control'], 'off');
  assert.equal(r.headers['x-download-options'], 'noopen');
  assert.equal(r.headers['x-frame-options'], 'SAMEORIGIN');
  assert.equal(r.headers['x-permitted-cross-domain-policies'], 'none');
  assert.equal(r.headers['x-xss-protection'], '0');
  assert.equal(r.headers['strict-transport-security'], undefined);
});

test('HSTS is sent when the request came over HTTPS (a trusted proxy says so)', async () => {
  const app = createApp({ trustProxy: true });
  app.use(securityHeaders({ strictTransportSecurity: { maxAge: 600, preload: true } }));
  app.get('/', () => 'hi');
  const r = await app.inject({ url: '/', headers: { 'x-forwarded-proto': 'https' } });
  assert.equal(r.headers['strict-transport-security'], 'max-age=600; includeSubDomains; preload');
});

test('each field can be changed or switched off; directives merge over the defaults', async () => {
  const app = createApp();
  app.use(securityHeaders({
    frameOptions: 'DENY',
    referrerPolicy: ['no-referrer', 'strict-origin-when-cross-origin'],
    crossOriginEmbedderPolicy: 'require-corp',
    xssFilterOff: false,
    contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'https://img.example'], 'upgrade-insecure-requests': null } },
  }));
  app.get('/', () => 'hi');
  const r = await app.inject('/');
  assert.equal(r.headers['x-frame-options'], 'DENY');
  assert.equal(r.headers['referrer-policy'], 'no-referrer,strict-origin-when-cross-origin');
  assert.equal(r.headers['cross-origin-embedder-policy'], 'require-corp');
  assert.equal(r.headers['x-xss-protection'], undefined);
  const csp = String(r.headers['content-security-policy']);
  assert.match(csp, /img-src 'self' https:\/\/img\.example/);
  assert.doesNotMatch(csp, /upgrade-insecure-requests/);
});

test('CSP nonces: a fresh one per request, in script-src and style-src, readable by the handler', async () => {
  const app = createApp();
  app.use(securityHeaders({ contentSecurityPolicy: { nonce: true } }));
  app.get('/', (ctx) => `<script nonce="${cspNonce(ctx)}"></script>`);
  const a = await app.inject('/');
  const b = await app.inject('/');
  const nonceA = /nonce="([^"]+)"/.exec(a.body)![1]!;
  const nonceB = /nonce="([^"]+)"/.exec(b.body)![1]!;
  assert.notEqual(nonceA, nonceB);
  assert.ok(Buffer.from(nonceA, 'base64').length === 16);
  const csp = String(a.headers['content-security-policy']);
  assert.match(csp, new RegExp(`script-src 'self' 'nonce-${nonceA.replace(/[+/=]/g, '\\$&')}'`));
  assert.match(csp, /style-src 'self' https: 'nonce-/);
  assert.doesNotMatch(csp, /unsafe-inline/);
});

test('report-only and invalid directives', async () => {
  assert.throws(() => securityHeaders({ contentSecurityPolicy: { directives: { 'script-src': ["'self'; evil"] } } }), /invalid source/);
  assert.throws(() => securityHeaders({ contentSecurityPolicy: { directives: { 'Bad Name': ['x'] } } }), /invalid CSP directive name/);
  const app = createApp();
  app.use(securityHeaders({ contentSecurityPolicy: { reportOnly: true } }));
  app.get('/', () => 'hi');
  const r = await app.inject('/');
  assert.equal(r.headers['content-security-policy'], undefined);
  assert.ok(r.headers['content-security-policy-report-only']);
});

test('error answers carry the headers too', async () => {
  const app = createApp({ onError: () => {} });
  app.use(securityHeaders());
  app.get('/boom', () => {
    throw new Error('boom');
  });
  const r = await app.inject('/boom');
  assert.equal(r.statusCode, 500);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
});
