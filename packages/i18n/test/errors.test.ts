import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createApp, NotFoundException, HttpError, ValidationError } from '@armature/core';
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

test('the problem title is translated too: errors.<status>.title / .detail, errors.validation.title', async () => {
  const titled = createI18n({
    defaultLocale: 'en',
    messages: {
      en: { errors: { 404: { title: 'Not Found', detail: 'Nothing at {message}' } } },
      fr: {
        errors: {
          404: { title: 'Introuvable', detail: 'Rien ici : {message}' },
          409: { title: 'Conflit' },
          validation: { title: 'Requête invalide', detail: '{count, plural, one {# champ est invalide} other {# champs sont invalides}}' },
        },
      },
    },
  });
  const a = createApp({ onError: () => {} });
  a.use(titled.middleware());
  a.post('/users', { schema: { body: z.object({ name: z.string() }) } }, (ctx) => ctx.body);
  a.get('/users/:id', (ctx) => {
    throw new NotFoundException(`user ${ctx.params.id}`);
  });
  a.get('/conflict', () => {
    throw new HttpError(409, 'already there');
  });
  const fr = { 'accept-language': 'fr' };
  const nf = (await a.inject({ url: '/users/7', headers: fr })).json<{ title: string; detail: string; status: number }>();
  assert.deepEqual([nf.title, nf.detail, nf.status], ['Introuvable', 'Rien ici : user 7', 404]);
  const v = await a.inject({ method: 'POST', url: '/users', body: {}, headers: fr });
  const doc = v.json<{ title: string; detail: string; issues: unknown[] }>();
  assert.deepEqual([doc.title, doc.detail, doc.issues.length], ['Requête invalide', '1 champ est invalide', 1]);
  // a title alone: the detail stays the error's own message
  const c = (await a.inject({ url: '/conflict', headers: fr })).json<{ title: string; detail: string }>();
  assert.deepEqual([c.title, c.detail], ['Conflit', 'already there']);
  // no title key for the locale: the status text
  const en = (await a.inject({ url: '/conflict' })).json<{ title: string; detail: string }>();
  assert.deepEqual([en.title, en.detail], ['Conflict', 'already there']);
});

test('a translated error keeps its class for exception filters, and a shared error instance is never changed', async () => {
  const seen: string[] = [];
  const shared = new NotFoundException('gone');
  const a = createApp({ onError: () => {} });
  a.use(i18n.middleware());
  a.onError((error) => {
    seen.push(`${(error as Error).constructor.name}:${error instanceof ValidationError ? 'validation' : error instanceof NotFoundException ? 'not-found' : '?'}:${(error as Error).message}`);
  });
  a.post('/users', { schema: { body: z.object({ name: z.string() }) } }, (ctx) => ctx.body);
  a.get('/shared', () => {
    throw shared;
  });
  await a.inject({ method: 'POST', url: '/users', body: {}, headers: { 'accept-language': 'fr' } });
  const fr = await a.inject({ url: '/shared', headers: { 'accept-language': 'fr' } });
  const en = await a.inject({ url: '/shared', headers: { 'accept-language': 'en' } });
  assert.deepEqual(seen, ['ValidationError:validation:1 champ est invalide', 'NotFoundException:not-found:Introuvable : gone', 'NotFoundException:not-found:Not found: gone']);
  assert.equal(fr.json<{ detail: string }>().detail, 'Introuvable : gone');
  assert.equal(en.json<{ detail: string }>().detail, 'Not found: gone');
  assert.equal(shared.message, 'gone', 'the thrown instance is untouched');
  assert.equal(shared.title, undefined);
});

test('strict mode: an error message that needs an argument errors do not get is answered untranslated, not with a 500', async () => {
  const strict = createI18n({ defaultLocale: 'en', strict: true, messages: { en: { errors: { 404: 'No {thing} here' } } } });
  const a = createApp({ onError: () => {} });
  a.use(strict.middleware());
  a.get('/x', () => {
    throw new NotFoundException('nothing');
  });
  const r = await a.inject({ url: '/x' });
  assert.equal(r.statusCode, 404);
  assert.equal(r.json<{ detail: string }>().detail, 'nothing');
});
