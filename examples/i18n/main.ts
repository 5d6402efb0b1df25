// i18n demo: three locales (en, fr, de) from JSON catalogs, negotiated per request.
//   npm run build && npx tsx examples/i18n/main.ts
//   curl -H 'Accept-Language: fr-CA,fr;q=0.9' 'localhost:3000/?name=Ada&count=3'
//   curl 'localhost:3000/de/?count=1'         (path prefix)      curl 'localhost:3000/?lang=de'   (query)
import { fileURLToPath } from 'node:url';
import { createApp } from '@armature/core';
import { createI18n, getT } from '@armature/i18n';

export const i18n = createI18n({
  defaultLocale: 'en',
  locales: ['en', 'fr', 'de'],
  directory: fileURLToPath(new URL('./locales', import.meta.url)),
  defaultNamespace: 'common', // t('greeting') finds common:greeting
  escape: 'html', // the responses are HTML: interpolated values are escaped
});

export const app = createApp();
app.use(i18n.middleware({ order: ['path', 'query', 'cookie', 'header'] }));

function page(ctx: Parameters<typeof getT>[0]): string {
  const t = getT(ctx);
  const name = typeof ctx.query.name === 'string' ? ctx.query.name : 'world';
  const count = Number(ctx.query.count ?? 0);
  ctx.set('Content-Type', 'text/html; charset=utf-8');
  return [
    `<nav>${t('nav.home')} · ${t('nav.about')}</nav>`, // de has no nav.about: falls back to English
    `<h1>${t('greeting', { name })}</h1>`,
    `<p>${t('inbox', { count })}</p>`,
    `<p>${t('place', { rank: count || 1 })}</p>`,
    `<p>${t('price', { amount: count * 9.99 })}</p>`,
    `<p>${t('today', { now: new Date() })}</p>`,
    `<p>${t('clock', { now: new Date() })}</p>`, // ::jmm: 3:05 PM in en, 15:05 in fr and de
    `<p>${t('speed', { limit: 130 })}</p>`, // a compound unit: 130 km/h
  ].join('\n');
}

app.get('/', page);
app.get('/:lang/', page);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 3000);
  await app.listen({ port });
  console.log(`i18n example on http://localhost:${port}/ (en, fr, de)`);
}
