// WebSocket endpoints on the engine with the `ws` client and raw sockets: echo of text and
// binary, fragmented and 1 MiB messages, the limits (message size, connections, heartbeat, slow
// consumers), bad handshakes and invalid frames, the pipeline on the handshake, and shutdown.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Buffer } from 'node:buffer';
import { WebSocket } from 'ws';
import { createApp, type App } from '@armature/core';
import { websocket, type WebSocketHub, type WebSocketOptions } from '@armature/websocket';
import { RawClient, closeCode, frame, handshake, sleep, waitFor } from './helpers.js';

const apps: App[] = [];
after(async () => {
  for (const app of apps) await app.close({ timeout: 100 });
});

async function echoServer(options: WebSocketOptions = {}, setup?: (app: App, hub: WebSocketHub) => void): Promise<{ app: App; hub: WebSocketHub; port: number }> {
  const app = createApp();
  const hub = websocket(app, options);
  hub.route('/echo', {
    message(peer, data) {
      peer.send(data);
    },
  });
  setup?.(app, hub);
  apps.push(app);
  const { port } = await app.listen({ port: 0 });
  return { app, hub, port };
}

async function open(url: string, options?: WebSocket.ClientOptions): Promise<WebSocket> {
  const ws = new WebSocket(url, options);
  await once(ws, 'open');
  return ws;
}

function nextMessage(ws: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve) => ws.once('message', (data: Buffer, isBinary: boolean) => resolve({ data, isBinary })));
}

test('echoes text as text and binary as binary', async () => {
  const { port } = await echoServer();
  const ws = await open(`ws://127.0.0.1:${port}/echo`);
  const text = nextMessage(ws);
  ws.send('héllo');
  const got = await text;
  assert.equal(got.isBinary, false);
  assert.equal(got.data.toString(), 'héllo');
  const bin = nextMessage(ws);
  ws.send(Buffer.from([0, 1, 2, 255]));
  const b = await bin;
  assert.equal(b.isBinary, true);
  assert.deepEqual([...b.data], [0, 1, 2, 255]);
  ws.close();
  await once(ws, 'close');
});

test('a fragmented message arrives whole', async () => {
  const { port } = await echoServer();
  const ws = await open(`ws://127.0.0.1:${port}/echo`);
  const msg = nextMessage(ws);
  ws.send('frag', { fin: false });
  ws.send('men', { fin: false });
  ws.send('ted', { fin: true });
  assert.equal((await msg).data.toString(), 'fragmented');
  ws.close();
});

test('1 MiB messages go both ways; a larger one closes with 1009', async () => {
  const { port } = await echoServer();
  const ws = await open(`ws://127.0.0.1:${port}/echo`, { maxPayload: 4 * 1024 * 1024 });
  const big = Buffer.alloc(1024 * 1024, 7);
  big[12345] = 9;
  const msg = nextMessage(ws);
  ws.send(big);
  assert.ok((await msg).data.equals(big));
  const closed = once(ws, 'close');
  ws.send(Buffer.alloc(1024 * 1024 + 1));
  const [code] = (await closed) as [number];
  assert.equal(code, 1009);
});

test('bytes sent with the handshake are not lost', async () => {
  const { port } = await echoServer();
  const raw = await RawClient.connect(port);
  raw.socket.write(Buffer.concat([Buffer.from(handshake('/echo')), frame(1, Buffer.from('early'))]));
  await raw.until((t) => t.includes('early'));
  assert.match(raw.text, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
  assert.match(raw.text, /Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=\r\n/);
  const frames = raw.frames();
  assert.deepEqual(frames.map(([op, p]) => [op, p.toString()]), [[1, 'early']]);
  raw.socket.destroy();
});

test('bad handshakes are answered 426, 400 or 403 with a reason, and the app keeps serving', async () => {
  const { port } = await echoServer({ origins: ['https://good.example'] });
  const ask = async (request: string): Promise<string> => {
    const raw = await RawClient.connect(port);
    raw.socket.write(request);
    await raw.until((t) => t.includes('\r\n\r\n') && /"detail"|\}$/.test(t));
    raw.socket.destroy();
    return raw.text;
  };
  const plain = await ask('GET /echo HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.match(plain, /^HTTP\/1\.1 426 /);
  assert.match(plain, /\r\nUpgrade: websocket\r\n/i);
  assert.match(plain, /speaks WebSocket/);
  const v8 = await ask(handshake('/echo', { 'Sec-WebSocket-Version': '8' }));
  assert.match(v8, /^HTTP\/1\.1 426 /);
  assert.match(v8, /\r\nSec-WebSocket-Version: 13\r\n/i);
  assert.match(v8, /Unsupported WebSocket version \\"8\\"/);
  const noVersion = await ask(handshake('/echo', { 'Sec-WebSocket-Version': '' }));
  assert.match(noVersion, /^HTTP\/1\.1 400 /);
  assert.match(noVersion, /Missing Sec-WebSocket-Version/);
  const badKey = await ask(handshake('/echo', { 'Sec-WebSocket-Key': 'short' }));
  assert.match(badKey, /^HTTP\/1\.1 400 /);
  assert.match(badKey, /Invalid Sec-WebSocket-Key/);
  const noKey = await ask(handshake('/echo', { 'Sec-WebSocket-Key': '' }));
  assert.match(noKey, /Missing Sec-WebSocket-Key/);
  const otherProtocol = await ask(handshake('/echo', { Upgrade: 'h2c' }));
  assert.match(otherProtocol, /^HTTP\/1\.1 426 /);
  const badOrigin = await ask(handshake('/echo', { Origin: 'https://evil.example' }));
  assert.match(badOrigin, /^HTTP\/1\.1 403 /);
  assert.match(badOrigin, /Origin https:\/\/evil\.example is not allowed/);
  const post = await ask('POST /echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nContent-Length: 0\r\n\r\n');
  assert.match(post, /^HTTP\/1\.1 405 /);
  const missing = await ask(handshake('/nowhere'));
  assert.match(missing, /^HTTP\/1\.1 404 /);
  // an allowed origin, and a client without Origin (not a browser), still connect
  (await open(`ws://127.0.0.1:${port}/echo`, { origin: 'https://good.example' })).close();
  (await open(`ws://127.0.0.1:${port}/echo`)).close();
});

test('an upgrade request to an ordinary route is answered as HTTP and its connection closed', async () => {
  const { port } = await echoServer({}, (app) => app.get('/plain', () => 'plain'));
  const raw = await RawClient.connect(port);
  raw.socket.write(handshake('/plain') + 'GET /plain HTTP/1.1\r\nHost: x\r\n\r\n');
  await raw.closed;
  assert.match(raw.text, /^HTTP\/1\.1 200 /);
  assert.match(raw.text, /\r\nConnection: close\r\n/i);
  assert.equal(raw.text.split('HTTP/1.1').length - 1, 1, 'the bytes after an upgrade request are not read as a request');
});

test('an invalid frame closes the connection with 1002; others are unaffected', async () => {
  const { port } = await echoServer();
  const good = await open(`ws://127.0.0.1:${port}/echo`);
  const raw = await RawClient.connect(port);
  raw.socket.write(handshake('/echo'));
  await raw.until((t) => t.includes('\r\n\r\n'));
  raw.socket.write(frame(1, Buffer.from('unmasked'), false));
  await raw.closed;
  assert.equal(closeCode(raw.frames()), 1002);
  const raw2 = await RawClient.connect(port);
  raw2.socket.write(handshake('/echo'));
  await raw2.until((t) => t.includes('\r\n\r\n'));
  raw2.socket.write(frame(3, Buffer.from('reserved opcode')));
  await raw2.closed;
  assert.equal(closeCode(raw2.frames()), 1002);
  const msg = nextMessage(good);
  good.send('still here');
  assert.equal((await msg).data.toString(), 'still here');
  good.close();
});

test('hooks and middleware run on the handshake request: a 401 before the upgrade', async () => {
  const { port } = await echoServer({}, (app, hub) => {
    app.use(async (ctx, next) => {
      if (ctx.path === '/private' && ctx.query.token !== 'secret') {
        ctx.status(401);
        return 'no token';
      }
      return next();
    });
    app.get('/private', hub.handler({ open: (peer) => peer.send(`hello ${peer.ctx.query.token as string}`) }));
  });
  const refused = new WebSocket(`ws://127.0.0.1:${port}/private`);
  const [, res] = (await once(refused, 'unexpected-response')) as [unknown, { statusCode: number }];
  assert.equal(res.statusCode, 401);
  refused.on('error', () => {}).terminate();
  const ws = new WebSocket(`ws://127.0.0.1:${port}/private?token=secret`);
  const [data] = (await once(ws, 'message')) as [Buffer];
  assert.equal(data.toString(), 'hello secret');
  ws.close();
});

test('params, rooms and broadcast within the process', async () => {
  const { port, hub } = await echoServer({}, (app, hub) => {
    app.get('/rooms/:room', hub.handler<{ name: string }>({
      open(peer) {
        peer.join(peer.ctx.params.room as string);
      },
      message(peer, data) {
        peer.to(peer.ctx.params.room as string).send(data);
      },
    }));
  });
  const a = await open(`ws://127.0.0.1:${port}/rooms/red`);
  const b = await open(`ws://127.0.0.1:${port}/rooms/red`);
  const c = await open(`ws://127.0.0.1:${port}/rooms/blue`);
  await waitFor(() => hub.members('red').size === 2 && hub.members('blue').size === 1);
  const gotB = nextMessage(b);
  let aGot = 0;
  let cGot = 0;
  a.on('message', () => aGot++);
  c.on('message', () => cGot++);
  a.send('to red');
  assert.equal((await gotB).data.toString(), 'to red');
  const all = Promise.all([nextMessage(a), nextMessage(b), nextMessage(c)]);
  hub.broadcast('everyone');
  assert.deepEqual((await all).map((m) => m.data.toString()), ['everyone', 'everyone', 'everyone']);
  await sleep(50);
  assert.equal(aGot, 1, 'the sender does not get its own room message');
  assert.equal(cGot, 1, 'another room does not get it');
  b.close();
  await waitFor(() => hub.members('red').size === 1);
  a.close();
  c.close();
  await waitFor(() => hub.connections === 0);
});

test('maxConnections: one more handshake is answered 503', async () => {
  const { port, hub } = await echoServer({ maxConnections: 2 });
  const a = await open(`ws://127.0.0.1:${port}/echo`);
  const b = await open(`ws://127.0.0.1:${port}/echo`);
  const c = new WebSocket(`ws://127.0.0.1:${port}/echo`);
  const [, res] = (await once(c, 'unexpected-response')) as [unknown, { statusCode: number; headers: Record<string, string> }];
  assert.equal(res.statusCode, 503);
  assert.equal(res.headers['retry-after'], '1');
  c.on('error', () => {}).terminate();
  assert.equal(hub.stats.refused, 1);
  a.close();
  await waitFor(() => hub.connections === 1);
  (await open(`ws://127.0.0.1:${port}/echo`)).close();
  b.close();
});

test('heartbeat: a peer that answers no ping is cut off; one that does stays', async () => {
  const { port, hub } = await echoServer({ pingInterval: 50 });
  const good = await open(`ws://127.0.0.1:${port}/echo`); // the ws client answers pings
  const raw = await RawClient.connect(port);
  raw.socket.write(handshake('/echo'));
  await raw.until((t) => t.includes('\r\n\r\n'));
  await raw.closed; // never answers: cut off after about two intervals
  assert.ok(raw.frames().some(([op]) => op === 9), 'it was pinged');
  assert.equal(hub.stats.pingTimeouts, 1);
  await sleep(150);
  assert.equal(good.readyState, WebSocket.OPEN);
  good.close();
});

test('a client that stops reading is closed (slowConsumer close) or its messages dropped (drop)', async () => {
  for (const policy of ['close', 'drop'] as const) {
    const { port, hub } = await echoServer({ maxBufferedAmount: 256 * 1024, slowConsumer: policy }, (app, hub) => {
      app.get('/flood', hub.handler({
        open(peer) {
          const chunk = Buffer.alloc(64 * 1024);
          // bounded: at most 64 MiB offered, far past what socket buffers hold
          for (let i = 0; i < 1024 && peer.readyState === 1; i++) peer.send(chunk);
        },
      }));
    });
    const raw = await RawClient.connect(port);
    raw.socket.write(handshake('/flood'));
    await raw.until((t) => t.includes('\r\n\r\n'));
    raw.socket.pause(); // stops reading
    if (policy === 'close') {
      await waitFor(() => hub.stats.slowConsumersClosed === 1);
      await waitFor(() => hub.connections === 0, 3000);
    } else {
      await waitFor(() => hub.stats.dropped > 0);
      const peer = [...hub.peers][0]!;
      assert.ok(peer.bufferedAmount <= 256 * 1024 + 64 * 1024, `buffered ${peer.bufferedAmount}`);
      assert.equal(hub.stats.slowConsumersClosed, 0);
    }
    raw.socket.destroy();
  }
});

test('permessage-deflate is off by default and negotiated when enabled', async () => {
  const off = await echoServer();
  const a = await open(`ws://127.0.0.1:${off.port}/echo`);
  assert.equal(a.extensions, '');
  a.close();
  const on = await echoServer({ perMessageDeflate: true });
  const b = await open(`ws://127.0.0.1:${on.port}/echo`);
  assert.match(b.extensions, /permessage-deflate/);
  const msg = nextMessage(b);
  b.send('x'.repeat(100_000));
  assert.equal((await msg).data.toString(), 'x'.repeat(100_000));
  b.close();
});

test('app.close() sends 1001 to every peer, waits for them, and cuts off the silent by the deadline', async () => {
  const app = createApp();
  const hub = websocket(app);
  hub.route('/echo', { message: (peer, data) => peer.send(data) });
  const { port } = await app.listen({ port: 0 });
  const ws = await open(`ws://127.0.0.1:${port}/echo`);
  const raw = await RawClient.connect(port);
  raw.socket.write(handshake('/echo'));
  await raw.until((t) => t.includes('\r\n\r\n'));
  const wsClosed = once(ws, 'close');
  const started = Date.now();
  await app.close({ timeout: 300 });
  const elapsed = Date.now() - started;
  const [code] = (await wsClosed) as [number];
  assert.equal(code, 1001);
  assert.equal(closeCode(raw.frames()), 1001, 'the silent client got the close frame too');
  await raw.closed;
  assert.ok(elapsed >= 250 && elapsed < 2000, `closed after ${elapsed} ms`);
  assert.equal(hub.connections, 0);
});

test('inject() and node:http listeners cannot take a connection over: 426 for a plain request', async () => {
  const app = createApp();
  websocket(app).route('/echo', {});
  const res = await app.inject('/echo');
  assert.equal(res.statusCode, 426);
  await app.close();
});

test('a handler that throws or rejects is reported and its peer closed with 1011; others go on', async () => {
  const errors: unknown[] = [];
  const app = createApp();
  apps.push(app);
  const hub = websocket(app, { onError: (e) => errors.push(e) });
  hub.route('/fragile', {
    message(peer, data) {
      if (data === 'throw') throw new Error('thrown');
      if (data === 'reject') return Promise.reject(new Error('rejected'));
      peer.send(data);
      return undefined;
    },
  });
  const { port } = await app.listen({ port: 0 });
  for (const how of ['throw', 'reject']) {
    const ws = await open(`ws://127.0.0.1:${port}/fragile`);
    const closed = once(ws, 'close');
    ws.send(how);
    const [code] = (await closed) as [number];
    assert.equal(code, 1011);
  }
  assert.deepEqual(errors.map((e) => (e as Error).message), ['thrown', 'rejected']);
  const ok = await open(`ws://127.0.0.1:${port}/fragile`);
  const msg = nextMessage(ok);
  ok.send('fine');
  assert.equal((await msg).data.toString(), 'fine');
  ok.close();
  assert.equal(hub.stats.refused, 0);
});

test('app.ws(path, handlers): an endpoint on the app itself, on the hub websocket(app, options) made, else on a default one', async () => {
  // no websocket() call: app.ws makes the app's hub with the default options
  const plain = createApp();
  apps.push(plain);
  const chained = plain.ws('/echo', { message: (peer, data) => peer.send(data) });
  assert.equal(chained, plain, 'app.ws returns the app, for chaining');
  const { port } = await plain.listen({ port: 0 });
  const a = await open(`ws://127.0.0.1:${port}/echo`);
  const reply = nextMessage(a);
  a.send('hi');
  assert.equal((await reply).data.toString(), 'hi');
  a.close();

  // websocket(app, options) first: app.ws registers on that hub, and its limits apply
  const configured = createApp();
  apps.push(configured);
  const hub = websocket(configured, { maxPayload: 16 });
  configured.ws('/echo', { message: (peer, data) => peer.send(data) });
  const c = await configured.listen({ port: 0 });
  const b = await open(`ws://127.0.0.1:${c.port}/echo`);
  await waitFor(() => hub.connections === 1); // the peer is the configured hub's
  const closed = once(b, 'close');
  b.send('x'.repeat(64));
  const [code] = await closed;
  assert.equal(code, 1009, 'over the hub\'s maxPayload');
  await waitFor(() => hub.connections === 0);
});
