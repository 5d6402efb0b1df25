// CORS in a real browser: headless Chromium on a page from one local port fetches an API on
// another, from an allowed origin (simple and preflighted requests, credentials) and from a
// refused one. Skipped, with the reason printed, where Chromium is not installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { createApp, type App } from '@armature/core';
import { cors } from '@armature/middleware/cors';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let browser: Browser | null = null;
let reason = '';
const apps: App[] = [];

async function serve(app: App): Promise<number> {
  apps.push(app);
  return (await app.listen({ port: 0 })).port;
}

function page(): App {
  const app = createApp();
  app.get('/', (ctx) => {
    ctx.set('Content-Type', 'text/html; charset=utf-8');
    return '<!doctype html><title>page</title>';
  });
  return app;
}

let apiPort = 0;
let allowedPort = 0;
let refusedPort = 0;

before(async () => {
  if (!existsSync(CHROMIUM)) {
    reason = `Chromium is not installed at ${CHROMIUM} (apt-get install chromium): skipping the browser CORS tests`;
    console.log(`# ${reason}`);
    return;
  }
  allowedPort = await serve(page());
  refusedPort = await serve(page());
  const api = createApp();
  api.use(cors({ origin: [`http://127.0.0.1:${allowedPort}`], credentials: true, exposedHeaders: ['X-Total'], maxAge: 60 }));
  api.get('/items', (ctx) => {
    ctx.set('X-Total', '2');
    return { items: [1, 2], cookie: ctx.cookies.session ?? null };
  });
  api.put('/items/:id', async (ctx) => ({ id: ctx.params.id, got: await ctx.json() }));
  apiPort = await serve(api);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  for (const app of apps) await app.close();
});

async function fetchFrom(origin: number, script: string): Promise<unknown> {
  const ctx = await browser!.newContext();
  try {
    const p = await ctx.newPage();
    await p.goto(`http://127.0.0.1:${origin}/`);
    return await p.evaluate(script);
  } finally {
    await ctx.close();
  }
}

test('an allowed origin reads a simple GET, its exposed header, and a preflighted PUT', async (t) => {
  if (browser === null) return t.skip(reason);
  const result = await fetchFrom(allowedPort, `(async () => {
    const r = await fetch('http://127.0.0.1:${apiPort}/items', { credentials: 'include' });
    const put = await fetch('http://127.0.0.1:${apiPort}/items/7', { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-Token': 't' }, body: JSON.stringify({ a: 1 }), credentials: 'include' });
    return { body: await r.json(), total: r.headers.get('X-Total'), put: await put.json() };
  })()`);
  assert.deepEqual(result, { body: { items: [1, 2], cookie: null }, total: '2', put: { id: '7', got: { a: 1 } } });
});

test('a refused origin cannot read the answer (the browser raises a TypeError)', async (t) => {
  if (browser === null) return t.skip(reason);
  const result = await fetchFrom(refusedPort, `(async () => {
    try { await fetch('http://127.0.0.1:${apiPort}/items'); return 'read'; } catch (e) { return e.name; }
  })()`);
  assert.equal(result, 'TypeError');
  const preflighted = await fetchFrom(refusedPort, `(async () => {
    try { await fetch('http://127.0.0.1:${apiPort}/items/7', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' }); return 'sent'; } catch (e) { return e.name; }
  })()`);
  assert.equal(preflighted, 'TypeError');
});
