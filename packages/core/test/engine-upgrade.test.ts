/**
 * The engine's upgrade seam: a request with `Connection: upgrade` and an `Upgrade` field (and no
 * body) is flagged, no further request is read from its connection, and `res.takeOver()` hands
 * the socket over with the bytes that followed the head, detached from the HTTP side.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { test } from 'node:test';
import type { EngineRequest } from '../src/engine/engine-request.js';
import type { EngineResponse } from '../src/engine/engine-response.js';
import { parseHead } from '../src/engine/parser.js';
import { HOST, delay, withEngine } from './engine-helpers.js';

const LIMITS = { maxHeaderCount: 100, maxUriLength: 8192, maxBodySize: 1024 };
const head = (fields: string): boolean => parseHead(`GET / HTTP/1.1\r\nHost: x\r\n${fields}`, LIMITS).upgrade;

test('the parser flags an upgrade only with both fields and no body', () => {
  assert.equal(head('Connection: Upgrade\r\nUpgrade: websocket\r\n'), true);
  assert.equal(head('Connection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n'), true);
  assert.equal(head('Upgrade: websocket\r\n'), false, 'Upgrade without Connection: upgrade');
  assert.equal(head('Connection: Upgrade\r\n'), false, 'Connection: upgrade without Upgrade');
  assert.equal(head('Connection: Upgrade\r\nUpgrade: websocket\r\nContent-Length: 3\r\n'), false, 'a request with a body');
  assert.equal(head('Connection: close\r\n'), false);
});

async function rawSession(port: number, bytes: string): Promise<{ socket: net.Socket; received: () => string }> {
  const socket = net.connect(port, HOST);
  await once(socket, 'connect');
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
  socket.write(bytes);
  return { socket, received: () => text };
}

async function until(test: () => boolean): Promise<void> {
  const end = Date.now() + 3000;
  while (!test()) {
    if (Date.now() > end) throw new Error('timed out');
    await delay(5);
  }
}

test('takeOver() hands the socket over with the bytes after the head; the engine forgets the connection', async () => {
  let taken = 0;
  const handler = (req: EngineRequest, res: EngineResponse): void => {
    if (!req.upgrade) {
      assert.equal(res.takeOver(), null);
      res.end('http');
      return;
    }
    const conn = res.takeOver()!;
    assert.ok(conn !== null);
    assert.equal(res.takeOver(), null, 'only once');
    taken++;
    const { socket } = conn;
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n');
    socket.write(`[head:${conn.head.toString('latin1')}]`);
    socket.on('data', (d: Buffer) => socket.write(`[${d.toString('latin1')}]`));
    socket.on('end', () => socket.end());
    socket.resume();
  };
  await withEngine(handler, { keepAliveTimeout: 100, headersTimeout: 100 }, async ({ port, server }) => {
    const plain = await rawSession(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => plain.received().endsWith('http'));
    const s = await rawSession(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nGET /not-http');
    await until(() => s.received().includes('[head:GET /not-http]'));
    assert.match(s.received(), /^HTTP\/1\.1 101 /);
    assert.equal(taken, 1);
    assert.equal(server.connectionCount, 1, 'only the plain connection is the engine\'s');
    // the engine's timers no longer apply: past the keep-alive and header timeouts it stays open
    await delay(400);
    s.socket.write('ping');
    await until(() => s.received().endsWith('[ping]'));
    assert.equal(s.socket.destroyed, false);
    s.socket.destroy();
    plain.socket.destroy();
  });
});

test("close() cuts off a taken-over socket still open at its deadline", async () => {
  let server: import('../src/engine/server.js').EngineServer | null = null;
  const handler = (_req: EngineRequest, res: EngineResponse): void => {
    res.takeOver()!.socket.resume(); // its new owner never closes it
  };
  await withEngine(handler, {}, async (e) => {
    server = e.server;
    const s = await rawSession(e.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n');
    await until(() => e.server.connectionCount === 0);
    const closed = once(s.socket, 'close');
    const started = Date.now();
    await e.server.close({ timeout: 150 });
    await closed;
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 100 && elapsed < 1500, `closed after ${elapsed} ms`);
  });
  assert.ok(server !== null);
});

test('an upgrade request answered over HTTP closes its connection; later bytes are not requests', async () => {
  let calls = 0;
  const handler = (_req: EngineRequest, res: EngineResponse): void => {
    calls++;
    res.statusCode = 426;
    res.end('no');
  };
  await withEngine(handler, {}, async ({ port }) => {
    const s = await rawSession(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await once(s.socket, 'close');
    assert.match(s.received(), /^HTTP\/1\.1 426 /);
    assert.match(s.received(), /\r\nConnection: close\r\n/i);
    assert.equal(calls, 1);
  });
});

test('a takeover after an asynchronous step still gets the bytes that arrived meanwhile', async () => {
  const handler = async (req: EngineRequest, res: EngineResponse): Promise<void> => {
    await delay(50); // a guard that looks something up
    const conn = res.takeOver()!;
    // what came with the head is handed over; what came later is still in the (paused) socket
    conn.socket.write(`[${conn.head.toString('latin1')}]`);
    conn.socket.on('data', (d: Buffer) => conn.socket.end(`(${d.toString('latin1')})`));
    conn.socket.resume();
    void req;
  };
  await withEngine(handler, {}, async ({ port }) => {
    const s = await rawSession(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nfirst');
    await delay(10);
    s.socket.write('+second');
    await once(s.socket, 'close');
    assert.equal(s.received(), '[first](+second)');
  });
});
