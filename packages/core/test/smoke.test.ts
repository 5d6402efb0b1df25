import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResponses, rawRequest, startEngine } from './helpers.js';

test('engine answers a GET over a raw socket', async () => {
  const { port, close } = await startEngine((_req, res) => {
    res.setHeader('Content-Type', 'text/plain');
    res.end('hi');
  });
  try {
    const { text } = await rawRequest(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const [r] = parseResponses(text);
    assert.equal(r!.status, 200);
    assert.equal(r!.body, 'hi');
  } finally {
    await close();
  }
});
