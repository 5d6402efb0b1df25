// Real clients other than `ws`: the runtime's global WebSocket (Node 22+, feature-detected: Node
// 20 has it only behind a flag) and headless Chromium (Debian chromium through playwright-core).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { createApp, type App } from '@armature/core';
import { websocket } from '@armature/websocket';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let app: App;
let port = 0;

before(async () => {
  app = createApp();
  app.get('/', (ctx) => {
    ctx.set('Content-Type', 'text/html; charset=utf-8');
    return '<!doctype html><title>ws</title>';
  });
  const hub = websocket(app, { origins: (origin) => origin === undefined || origin === `http://127.0.0.1:${port}` });
  hub.route('/echo', { message: (peer, data) => peer.send(data) });
  port = (await app.listen({ port: 0 })).port;
});
after(() => app.close({ timeout: 200 }));

const NativeWebSocket = (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;

test('the global WebSocket of the runtime: text, binary, a 1 MiB message, close code', async (t) => {
  if (NativeWebSocket === undefined) return t.skip(`no global WebSocket in Node ${process.versions.node} (Node 22 and later have one)`);
  const ws = new NativeWebSocket(`ws://127.0.0.1:${port}/echo`);
  ws.binaryType = 'arraybuffer';
  const messages: Array<string | ArrayBuffer> = [];
  let wake: () => void = () => {};
  ws.onmessage = (e) => {
    messages.push(e.data as string | ArrayBuffer);
    wake();
  };
  const next = async (): Promise<string | ArrayBuffer> => {
    while (messages.length === 0) await new Promise<void>((r) => (wake = r));
    return messages.shift()!;
  };
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  ws.send('grüße');
  assert.equal(await next(), 'grüße');
  ws.send(new Uint8Array([1, 2, 3]));
  assert.deepEqual([...new Uint8Array((await next()) as ArrayBuffer)], [1, 2, 3]);
  const big = new Uint8Array(1024 * 1024).fill(42);
  ws.send(big);
  const back = new Uint8Array((await next()) as ArrayBuffer);
  assert.equal(back.length, big.length);
  assert.equal(back[1024 * 1024 - 1], 42);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (ws.onclose = (e) => resolve(e as unknown as { code: number; reason: string })));
  ws.close(4000, 'bye');
  const event = await closed;
  assert.equal(event.code, 4000);
  assert.equal(event.reason, 'bye');
});

test('headless Chromium: echo from a page, and a refused origin fails to connect', async (t) => {
  if (!existsSync(CHROMIUM)) return t.skip(`Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    const result = await page.evaluate(async (url) => {
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      const received: unknown[] = [];
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = () => reject(new Error('connect failed'));
      });
      const done = new Promise<void>((resolve) => {
        ws.onmessage = (e) => {
          received.push(typeof e.data === 'string' ? e.data : Array.from(new Uint8Array(e.data as ArrayBuffer)));
          if (received.length === 3) resolve();
        };
      });
      ws.send('from the browser');
      ws.send(new Uint8Array([9, 8, 7]));
      ws.send('x'.repeat(200_000));
      await done;
      ws.close();
      return [received[0], received[1], (received[2] as string).length];
    }, `ws://127.0.0.1:${port}/echo`);
    assert.deepEqual(result, ['from the browser', [9, 8, 7], 200_000]);
    // a page from another origin (about:blank is "null"): the handshake is refused with 403
    const other = await browser.newPage();
    const refused = await other.evaluate(async (url) => {
      const ws = new WebSocket(url);
      return new Promise<string>((resolve) => {
        ws.onopen = () => resolve('open');
        ws.onclose = (e) => resolve(`closed ${e.code}`);
      });
    }, `ws://127.0.0.1:${port}/echo`);
    assert.equal(refused, 'closed 1006');
  } finally {
    await browser?.close();
  }
});
