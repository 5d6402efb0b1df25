import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createApp, NotFoundException, HttpError } from '@armature/core';
import { createI18n } from '../src/i18n.js';

const i18n = createI18n({
  defaultLocale: 'en',
  messages: {
    en: { errors: { validation: '{count, plural, one {# field is invalid} other {# fields are invalid}}', 404: 'Not found: {message}' } },
    fr: { errors: { validation: '{count, plural, one {# champ est invalide} other {# champs sont invalides}}', 404: 'Introuvable : {message}' } },
  },
});

function app() {
  const a = createApp({ onError: () => {} });
  a.use(i18n.middleware());
  a.post('/users', { schema: { body: z.object({ name: z.string(), age: z.number() }) } }, (ctx) => ctx.body);
  a.get('/users/:id', (ctx) => {
    throw new NotFoundException(`user ${ctx.params.id}`);
  });
  a.get('/teapot', () => {
    throw new HttpError(418, 'short and stout');
  });
  a.get('/boom', () => {
    throw new Error('internal');
  });
  return a;
}

test('validation and HTTP errors are answered in the request locale, issues kept', async () => {
  const a = app();
  const fr = await a.inject({ method: 'POST', url: '/users', body: { name: 1 }, headers: { 'accept-language': 'fr' } });
  assert.equal(fr.statusCode, 400);
  const doc = fr.json<{ detail: string; issues: unknown[] }>();
  assert.equal(doc.detail, '2 champs sont invalides');
  assert.equal(doc.issues.length, 2, 'the issues list survives the translation');
  assert.equal(fr.headers['content-language'], 'fr');

  const en = await a.inject({ method: 'POST', url: '/users', body: { name: 'x' } });
  assert.equal(en.json<{ detail: string }>().detail, '1 field is invalid');

  const nf = await a.inject({ url: '/users/7', headers: { 'accept-language': 'fr' } });
  assert.equal(nf.statusCode, 404);
  assert.equal(nf.json<{ detail: string }>().detail, 'Introuvable : user 7');

  // no catalog key for 418: answered unchanged; 5xx details are never exposed, so never translated
  assert.equal((await a.inject({ url: '/teapot', headers: { 'accept-language': 'fr' } })).json<{ detail: string }>().detail, 'short and stout');
  const boom = await a.inject({ url: '/boom', headers: { 'accept-language': 'fr' } });
  assert.equal(boom.statusCode, 500);
  assert.doesNotMatch(boom.body, /internal/);
});

test('translateErrors: false leaves errors as thrown', async () => {
  const a = createApp({ onError: () => {} });
  a.use(i18n.middleware({ translateErrors: false }));
  a.get('/x', () => {
    throw new NotFoundException('gone');
  });
  const r = await a.inject({ url: '/x', headers: { 'accept-language': 'fr' } });
  assert.equal(r.json<{ detail: string }>().detail, 'gone');
});
