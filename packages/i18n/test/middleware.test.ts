import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '@armature/core';
import { createI18n } from '../src/i18n.js';
import { getT } from '../src/middleware.js';

const i18n = createI18n({
  defaultLocale: 'en',
  messages: {
    en: { hi: 'Hello {name}', count: '{n, plural, one {# item} other {# items}}' },
    fr: { hi: 'Bonjour {name}', count: '{n, plural, one {# article} other {# articles}}' },
    'pt-BR': { hi: 'Olá {name}' },
  },
});

function app(order?: ('path' | 'query' | 'cookie' | 'header')[]) {
  const a = createApp();
  a.use(order === undefined ? i18n.middleware() : i18n.middleware({ order }));
  a.get('/hi', (ctx) => getT(ctx)('hi', { name: 'Ada' }) + ' ' + ctx.state.locale);
  a.get('/:lang/hi', (ctx) => `${ctx.state.i18n!.t('count', { n: 0 })}`);
  return a;
}

test('Accept-Language decides by default; Content-Language and Vary are set', async () => {
  const r = await app().inject({ url: '/hi', headers: { 'accept-language': 'fr-CA, en;q=0.5' } });
  assert.equal(r.body, 'Bonjour Ada fr');
  assert.equal(r.headers['content-language'], 'fr');
  assert.match(String(r.headers['vary']), /Accept-Language/);
  const d = await app().inject({ url: '/hi' });
  assert.equal(d.body, 'Hello Ada en');
  const pt = await app().inject({ url: '/hi', headers: { 'accept-language': 'pt' } });
  assert.equal(pt.body, 'Olá Ada pt-BR');
});

test('query beats cookie beats header in the default order', async () => {
  const a = app();
  assert.equal((await a.inject({ url: '/hi?lang=fr', headers: { cookie: 'locale=en', 'accept-language': 'en' } })).body, 'Bonjour Ada fr');
  assert.equal((await a.inject({ url: '/hi', headers: { cookie: 'locale=fr', 'accept-language': 'en' } })).body, 'Bonjour Ada fr');
  assert.equal((await a.inject({ url: '/hi?lang=xx', headers: { cookie: 'locale=zz', 'accept-language': 'fr' } })).body, 'Bonjour Ada fr');
});

test('path prefix source; no Vary when the header is not consulted', async () => {
  const a = app(['path', 'query']);
  const r = await a.inject({ url: '/fr/hi', headers: { 'accept-language': 'en' } });
  assert.equal(r.body, '0 article');
  assert.equal(r.headers['content-language'], 'fr');
  assert.equal(r.headers['vary'], undefined);
  assert.equal((await a.inject({ url: '/hi', headers: { 'accept-language': 'fr' } })).body, 'Hello Ada en');
});

test('getT without the middleware throws a clear error', async () => {
  const reported: unknown[] = [];
  const a = createApp({ onError: (e) => reported.push(e) });
  a.get('/', (ctx) => getT(ctx)('hi'));
  const r = await a.inject({ url: '/' });
  assert.equal(r.statusCode, 500);
  assert.match(String(reported[0]), /No i18n state on this request: add app\.use\(i18n\.middleware\(\)\) first/);
});
