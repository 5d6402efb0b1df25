import { test } from 'node:test';
import assert from 'node:assert/strict';
import { app } from '../../../examples/i18n/main.js';

test('the example app serves en, fr and de', async () => {
  const fr = await app.inject({ url: '/?name=<Ada>&count=3', headers: { 'accept-language': 'fr-CA,fr;q=0.9' } });
  assert.equal(fr.headers['content-language'], 'fr');
  assert.match(fr.body, /<h1>Bonjour, &lt;Ada&gt; !<\/h1>/);
  assert.match(fr.body, /Vous avez 3 messages\./);
  assert.match(fr.body, /Vous avez fini 3e\./);
  assert.match(fr.body, /Il est \d{1,2}:\d{2}\./, 'jmm is a 24-hour clock in French: no day period');
  assert.match(fr.body, /Vitesse maximale : 130\skm\/h\./u);
  const de = await app.inject({ url: '/de/?count=1' });
  assert.equal(de.headers['content-language'], 'de');
  assert.match(de.body, /Sie haben 1 Nachricht\./);
  assert.match(de.body, /Startseite · About/); // nav.about falls back to English
  const en = await app.inject({ url: '/?count=0', headers: { 'accept-language': 'ja, it;q=0.5' } });
  assert.equal(en.headers['content-language'], 'en');
  assert.match(en.body, /You have no messages\./);
  assert.match(en.body, /You finished 1st\./);
  assert.match(en.body, /It is \d{1,2}:\d{2}\s[AP]M\./u, 'jmm has a day period in English');
  assert.match(en.body, /Speed limit: 130 km\/h\./);
  const q = await app.inject({ url: '/?lang=de&count=2', headers: { cookie: 'locale=fr' } });
  assert.match(q.body, /Summe: 19,98\u00a0€/);
});
