/** The smallest end-to-end check: the engine answers one GET over a raw socket. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exchange, withEngine } from './engine-helpers.js';

test('engine answers a GET over a raw socket', async () => {
  await withEngine(
    (_req, res) => {
      res.setHeader('Content-Type', 'text/plain');
      res.end('hi');
    },
    {},
    async ({ port }) => {
      const { responses, closed } = await exchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      assert.equal(responses.length, 1);
      assert.equal(responses[0]!.status, 200);
      assert.equal(responses[0]!.text, 'hi');
      assert.equal(closed, true);
    },
  );
});
