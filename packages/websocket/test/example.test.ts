// examples/websocket: a chat with rooms; the handshake goes through the app's middleware, and
// SIGTERM closes the peers with 1001.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { WebSocket } from 'ws';
import { startExample } from '../../core/test/example-process.js';

test('the chat example: rooms, a refused handshake without a nickname, 1001 on SIGTERM', { timeout: 60_000 }, async () => {
  const example = await startExample('examples/websocket/main.ts');
  try {
    const base = `ws://127.0.0.1:${example.port}`;
    const page = await fetch(`http://127.0.0.1:${example.port}/`);
    assert.match(await page.text(), /new WebSocket/);
    const anonymous = new WebSocket(`${base}/rooms/lobby`);
    anonymous.on('error', () => {});
    const [, res] = (await once(anonymous, 'unexpected-response')) as [unknown, { statusCode: number }];
    assert.equal(res.statusCode, 400);
    const ada = new WebSocket(`${base}/rooms/lobby?nick=ada`);
    const adaGot: unknown[] = [];
    ada.on('message', (d: Buffer) => adaGot.push(JSON.parse(d.toString())));
    await once(ada, 'open');
    const bob = new WebSocket(`${base}/rooms/lobby?nick=bob`);
    await once(bob, 'open');
    // "bob joined" may reach ada before bob's own 'open' event: wait on what ada has received
    const has = (message: object) => adaGot.some((m) => JSON.stringify(m) === JSON.stringify(message));
    await until(() => has({ system: 'bob joined' }));
    bob.send('hi ada');
    await until(() => has({ from: 'bob', text: 'hi ada' }));
    assert.deepEqual(adaGot.slice(-2), [{ system: 'bob joined' }, { from: 'bob', text: 'hi ada' }]);
    const closed = once(ada, 'close');
    assert.equal(await example.stop('SIGTERM'), 0);
    const [code] = (await closed) as [number];
    assert.equal(code, 1001);
  } finally {
    example.kill();
  }
});

/** Resolves once `done()` holds, checking every 10 ms; rejects after `ms`. */
async function until(done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
