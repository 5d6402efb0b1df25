// The documentation page in a real browser: headless Chromium loads /docs from the app (every
// file from the app itself: requests elsewhere fail the test), Swagger UI renders, and it lists
// every operation. Skipped, with the reason printed, where Chromium is not installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { z } from 'zod';
import { createApp, type App } from '@armature/core';
import { serveOpenApi } from '@armature/openapi';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let browser: Browser | null = null;
let reason = '';
let app: App | null = null;
let port = 0;

before(async () => {
  if (!existsSync(CHROMIUM)) {
    reason = `Chromium is not installed at ${CHROMIUM} (apt-get install chromium): skipping the documentation page test`;
    console.log(`# ${reason}`);
    return;
  }
  app = createApp();
  app.get('/users', () => []);
  app.post('/users', { schema: { body: z.object({ name: z.string() }) }, meta: { openapi: { summary: 'Create a user' } } }, () => ({}));
  app.delete('/users/:id', () => null);
  serveOpenApi(app, { path: '/docs', info: { title: 'Browser test API', version: '1.0.0' } });
  port = (await app.listen({ port: 0, host: '127.0.0.1' })).port;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await app?.close();
});

test('the page loads from the app alone and lists the operations', async (t) => {
  if (browser === null) return t.skip(reason);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const elsewhere: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(`http://127.0.0.1:${port}/`) && !r.url().startsWith('data:')) elsewhere.push(r.url());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const response = await page.goto(`http://127.0.0.1:${port}/docs`);
    assert.equal(response?.status(), 200);
    await page.waitForSelector('.opblock', { timeout: 15_000 });
    const operations = await page.$$eval('.opblock', (blocks) =>
      blocks.map((b) => `${b.querySelector('.opblock-summary-method')?.textContent?.trim()} ${b.querySelector('.opblock-summary-path')?.textContent?.replace(/\u200b/g, '').trim()}`),
    );
    assert.deepEqual(operations.sort(), ['DELETE /users/{id}', 'GET /users', 'POST /users']);
    assert.match(await page.textContent('.title') ?? '', /Browser test API/);
    assert.match(await page.textContent('.opblock-post') ?? '', /Create a user/);
    assert.deepEqual(elsewhere, [], 'every file comes from the app');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
