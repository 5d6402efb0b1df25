// HTTP/2 served by the engine's listen({ http2 }): over TLS (ALPN 'h2', HTTP/1.1 on the same port)
// and h2c (prior knowledge, HTTP/1.1 on the same port), through node:http2's client, curl and
// raw sockets: requests and bodies, streaming and SSE, many streams on one session, limits and
// timeouts, graceful shutdown, and bad input that must not hurt other clients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { createApp, Armature, Controller, Get, Module, type App, type Ctx, type AppOptions } from '../src/index.js';
import { EngineServer } from '../src/engine/index.js';
import { HOST, delay, run, selfSignedCert } from './engine-helpers.js';

const PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';

async function certificate(): Promise<{ key: string; cert: string }> {
  const pair = await selfSignedCert();
  // openssl is part of the test machine's tools (CI included): no certificate is a failure
  if (typeof pair === 'string') throw new Error(pair);
  return pair;
}

interface H2Result {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: string;
}

/** One request on a session; `body` is written in the given pieces, with a pause between them. */
function request(client: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders, body?: string | string[]): Promise<H2Result> {
  return new Promise((resolve, reject) => {
    const req = client.request({ ':method': body === undefined ? 'GET' : 'POST', ...headers }, { endStream: body === undefined });
    let status = 0;
    let responseHeaders: http2.IncomingHttpHeaders = {};
    let text = '';
    req.setEncoding('utf8');
    req.on('response', (h) => {
      status = Number(h[':status']);
      responseHeaders = h;
    });
    req.on('data', (d: string) => {
      text += d;
    });
    req.on('end', () => resolve({ status, headers: responseHeaders, body: text }));
    req.on('error', reject);
    if (body !== undefined) {
      const pieces = typeof body === 'string' ? [body] : body;
      void (async () => {
        for (const piece of pieces) {
          req.write(piece);
          await delay(5);
        }
        req.end();
      })();
    }
  });
}

function demo(options: AppOptions = {}): App {
  const app = createApp({ onError: () => {}, ...options });
  app.get('/', (ctx) => ({ version: ctx.req.httpVersion, secure: ctx.req.secure, host: ctx.host }));
  app.get('/users/:id', (ctx) => ({ id: ctx.params.id }));
  app.post('/echo', async (ctx) => ({ got: await ctx.json() }));
  app.post('/count', async (ctx) => {
    let bytes = 0;
    for await (const chunk of ctx.req.body) bytes += chunk.length;
    return { bytes };
  });
  app.get('/stream', async (ctx) => {
    ctx.set('content-type', 'text/plain');
    for (let i = 0; i < 3; i++) {
      ctx.res.write(`part ${i}\n`);
      await delay(10);
    }
    ctx.res.end();
  });
  app.get('/hop', (ctx) => {
    // fields HTTP/2 forbids: the adapter drops them, node:http2 would throw on them
    ctx.set('connection', 'keep-alive');
    ctx.set('keep-alive', 'timeout=5');
    ctx.set('transfer-encoding', 'chunked');
    return 'no hop-by-hop';
  });
  app.get('/fail', () => {
    throw new Error('boom');
  });
  app.get('/slow', async () => {
    await delay(150);
    return 'slow done';
  });
  return app;
}

async function tlsApp(options: AppOptions = {}): Promise<{ app: App; port: number; url: string }> {
  const app = demo(options);
  const { port } = await app.listen({ port: 0, http2: true, tls: await certificate() });
  return { app, port, url: `https://${HOST}:${port}` };
}

async function h2cApp(options: AppOptions = {}): Promise<{ app: App; port: number; url: string }> {
  const app = demo(options);
  const { port } = await app.listen({ port: 0, http2: 'h2c' });
  return { app, port, url: `http://${HOST}:${port}` };
}

function connect(url: string): Promise<http2.ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const client = http2.connect(url, { rejectUnauthorized: false });
    // ready once the server's SETTINGS are in (its limits known)
    client.once('remoteSettings', () => resolve(client));
    client.once('error', reject);
  });
}

function closeClient(client: http2.ClientHttp2Session): Promise<void> {
  return new Promise((resolve) => {
    if (client.closed || client.destroyed) resolve();
    else client.close(() => resolve());
  });
}

for (const mode of ['tls', 'h2c'] as const) {
  test(`${mode}: routes, params, JSON and streamed bodies, streaming responses, errors, no hop-by-hop fields`, async () => {
    const { app, url, port } = mode === 'tls' ? await tlsApp() : await h2cApp();
    const client = await connect(url);
    try {
      const root = await request(client, { ':path': '/' });
      assert.equal(root.status, 200);
      assert.deepEqual(JSON.parse(root.body), { version: '2.0', secure: mode === 'tls', host: `${HOST}:${port}` });
      assert.equal(root.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(JSON.parse((await request(client, { ':path': '/users/42' })).body), { id: '42' });
      const echo = await request(client, { ':path': '/echo', 'content-type': 'application/json' }, ['{"a":', '[1,2', ',3]}']);
      assert.deepEqual(JSON.parse(echo.body), { got: { a: [1, 2, 3] } });
      const big = 'x'.repeat(200_000);
      assert.deepEqual(JSON.parse((await request(client, { ':path': '/count' }, [big, big, big])).body), { bytes: 600_000 });
      const badJson = await request(client, { ':path': '/echo', 'content-type': 'application/json' }, '{"a":');
      assert.equal(badJson.status, 400);
      assert.equal(badJson.headers['content-type'], 'application/problem+json');
      assert.equal((await request(client, { ':path': '/echo', 'content-type': 'text/plain' }, 'x')).status, 415);
      assert.equal((await request(client, { ':path': '/nowhere' })).status, 404);
      assert.equal((await request(client, { ':path': '/fail' })).status, 500);
      assert.equal((await request(client, { ':path': '/stream' })).body, 'part 0\npart 1\npart 2\n');
      const hop = await request(client, { ':path': '/hop' });
      assert.equal(hop.body, 'no hop-by-hop');
      assert.equal(hop.headers.connection, undefined);
      assert.equal(hop.headers['keep-alive'], undefined);
      const head = await request(client, { ':path': '/', ':method': 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.body, '');
    } finally {
      await closeClient(client);
      await app.close();
    }
  });

  test(`${mode}: 200 concurrent streams on one session (over the 100 concurrent the server allows, queued by the client)`, async () => {
    const { app, url } = mode === 'tls' ? await tlsApp() : await h2cApp();
    const client = await connect(url);
    try {
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => request(client, { ':path': `/users/${i}` })));
      results.forEach((r, i) => assert.deepEqual(JSON.parse(r.body), { id: String(i) }));
      assert.equal(client.remoteSettings.maxConcurrentStreams, 100);
      assert.equal(app.engine!.connectionCount, 1, 'one session, counted as one connection');
    } finally {
      await closeClient(client);
      await app.close();
    }
  });
}

test('SSE over HTTP/2: events arrive one by one, the stream ends when the app closes', async () => {
  const app = createApp({ onError: () => {} });
  let release: () => void = () => {};
  const next = () => new Promise<void>((r) => (release = r));
  app.get('/events', async (ctx) => {
    const stream = ctx.sse();
    for (let i = 1; i <= 3; i++) {
      await next();
      stream.send({ id: i, data: `event ${i}` });
    }
  });
  const { port } = await app.listen({ port: 0, http2: true, tls: await certificate() });
  const client = await connect(`https://${HOST}:${port}`);
  try {
    const req = client.request({ ':path': '/events' });
    req.setEncoding('utf8');
    const received: string[] = [];
    let notify: () => void = () => {};
    req.on('data', (d: string) => {
      received.push(d);
      notify();
    });
    const headers = await new Promise<http2.IncomingHttpHeaders>((r) => req.once('response', r));
    assert.equal(headers['content-type'], 'text/event-stream');
    assert.equal(headers['cache-control'], 'no-cache');
    // the stream's opening comment, sent with the head
    if (received.length === 0) await new Promise<void>((r) => (notify = r));
    assert.equal(received.join(''), ': open\n\n');
    for (let i = 1; i <= 3; i++) {
      const arrived = new Promise<void>((r) => (notify = r));
      release();
      await arrived;
      // each event arrives before the next is sent: nothing is buffered on the way
      assert.match(received.join(''), new RegExp(`id: ${i}\\ndata: event ${i}\\n\\n$`));
    }
    const ended = new Promise<void>((r) => req.once('close', r));
    await app.close({ timeout: 2000 });
    await ended;
  } finally {
    client.destroy();
    await app.close();
  }
});

test('graceful close: a stream in flight completes, the session gets GOAWAY, new connections are refused', async () => {
  const { app, url, port } = await tlsApp();
  const client = await connect(url);
  try {
    const goaway = new Promise<void>((r) => client.once('goaway', () => r()));
    const slow = request(client, { ':path': '/slow' });
    await delay(30);
    const t0 = Date.now();
    const closed = app.close({ timeout: 5000 });
    const r = await slow;
    assert.equal(r.status, 200);
    assert.equal(r.body, 'slow done');
    await goaway;
    await closed;
    assert.ok(Date.now() - t0 < 2000, 'close() resolved once the stream finished, not at the deadline');
    await assert.rejects(
      new Promise((resolve, reject) => {
        const s = net.connect(port, HOST, () => resolve(s));
        s.on('error', reject);
      }),
      /ECONNREFUSED/,
    );
  } finally {
    client.destroy();
  }
});

test('close() deadline: a stream that never ends is destroyed and close() resolves', async () => {
  const app = createApp({ onError: () => {} });
  app.get('/forever', (ctx) => {
    ctx.res.write('started');
  });
  const { port } = await app.listen({ port: 0, http2: 'h2c' });
  const client = await connect(`http://${HOST}:${port}`);
  const req = client.request({ ':path': '/forever' });
  req.on('error', () => {});
  await new Promise((r) => req.once('data', r));
  const t0 = Date.now();
  await app.close({ timeout: 200 });
  const took = Date.now() - t0;
  assert.ok(took >= 150 && took < 2000, `close took ${took} ms`);
  await new Promise((r) => (client.destroyed ? r(null) : client.once('close', r)));
  client.destroy();
});

test('HTTP/1.1 on the same TLS port: https (ALPN http/1.1), a client without ALPN, curl --http1.1 and curl --http2', async () => {
  const { app, port, url } = await tlsApp();
  try {
    const viaHttps = await new Promise<string>((resolve, reject) => {
      https
        .get({ host: HOST, port, path: '/', rejectUnauthorized: false }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => resolve(body));
        })
        .on('error', reject);
    });
    assert.deepEqual(JSON.parse(viaHttps), { version: '1.1', secure: true, host: `${HOST}:${port}` });
    // no ALPN at all: HTTP/1.1
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ host: HOST, port, rejectUnauthorized: false }, () => {
        assert.equal(socket.alpnProtocol, false);
        socket.write(`GET /users/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      });
      let data = '';
      socket.setEncoding('latin1');
      socket.on('data', (d: string) => (data += d));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    assert.match(raw, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(raw, /\{"id":"7"\}$/);
    const h1 = await run('curl', ['-sk', '--http1.1', '-w', ' %{http_version}', `${url}/users/1`]);
    assert.equal(h1.stdout, '{"id":"1"} 1.1');
    const h2 = await run('curl', ['-sk', '--http2', '-w', ' %{http_version}', `${url}/users/2`]);
    assert.equal(h2.stdout, '{"id":"2"} 2');
    const post = await run('curl', ['-sk', '--http2', '-H', 'content-type: application/json', '-d', '{"n":1}', `${url}/echo`]);
    assert.equal(post.stdout, '{"got":{"n":1}}');
  } finally {
    await app.close();
  }
});

test('h2c port: curl --http2-prior-knowledge gets HTTP/2, plain HTTP/1.1 clients (fetch, curl) get the engine', async () => {
  const { app, url } = await h2cApp();
  try {
    const h2 = await run('curl', ['-s', '--http2-prior-knowledge', '-w', ' %{http_version}', `${url}/users/3`]);
    assert.equal(h2.stdout, '{"id":"3"} 2');
    const h1 = await run('curl', ['-s', '--http1.1', '-w', ' %{http_version}', `${url}/users/4`]);
    assert.equal(h1.stdout, '{"id":"4"} 1.1');
    const res = await fetch(`${url}/`);
    assert.equal((await res.json() as { version: string }).version, '1.1');
    // an HTTP/1.1 request arriving one byte at a time still reaches the engine
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(url).port), HOST, async () => {
        for (const c of 'GET /users/5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n') {
          socket.write(c);
          await delay(1);
        }
      });
      let data = '';
      socket.setEncoding('latin1');
      socket.on('data', (d: string) => (data += d));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    assert.match(raw, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\{"id":"5"\}$/);
  } finally {
    await app.close();
  }
});

/** Writes `bytes` on a fresh socket and collects what comes back until the server closes (or `ms`: then `cut` is set). */
function exchangeRaw(port: number, bytes: Buffer | string, secure: boolean, ms = 2000): Promise<Buffer & { cut?: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let cut = false;
    const done = () => resolve(Object.assign(Buffer.concat(chunks), { cut }));
    const socket: net.Socket = secure
      ? tls.connect({ host: HOST, port, rejectUnauthorized: false, ALPNProtocols: ['h2'] }, () => socket.write(bytes))
      : net.connect(port, HOST, () => socket.write(bytes));
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('close', done);
    socket.on('error', () => {});
    setTimeout(() => {
      cut = true;
      socket.destroy();
    }, ms).unref();
  });
}

test('bad input: a wrong preface, garbage frames, a truncated preface and stream ids going backwards end only their own connection', async () => {
  for (const mode of ['tls', 'h2c'] as const) {
    const { app, url, port } = mode === 'tls' ? await tlsApp({ keepAliveTimeout: 300 }) : await h2cApp({ keepAliveTimeout: 300 });
    const client = await connect(url);
    try {
      assert.equal((await request(client, { ':path': '/users/1' })).status, 200);
      if (mode === 'h2c') {
        // looks like the preface at first, then is not: HTTP/1.1, whose parser refuses it
        const wrong = await exchangeRaw(port, 'PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n', false);
        assert.match(wrong.toString('latin1'), /^HTTP\/1\.1 (400|505) /);
      }
      // the preface, then a frame of an unknown shape: GOAWAY (type 7) and the connection closes
      const garbage = Buffer.concat([Buffer.from(PREFACE, 'latin1'), Buffer.from('\x00\x00\x04\x01\x00\x00\x00\x00\x00garbage, garbage and more garbage', 'latin1')]);
      const answer = await exchangeRaw(port, garbage, mode === 'tls');
      assert.ok(answer.length > 0 && answer.includes(Buffer.from([0x07])), 'an answer with a GOAWAY frame');
      assert.equal(answer.cut, false, 'closed by the server');
      // a session open before is still served
      assert.equal((await request(client, { ':path': '/users/2' })).status, 200);
      // a truncated preface, then silence: closed by the header timeout, not kept forever
      // (the client closes first here; the server must simply survive it)
      await exchangeRaw(port, PREFACE.slice(0, 10), mode === 'tls', 300);
      // headers for a stream id that goes backwards (a protocol error)
      const hpackGet = Buffer.from([0x82, 0x84, 0x86]); // :method GET, :path /, :scheme http
      const frame = (type: number, flags: number, id: number, payload: Buffer): Buffer => {
        const head = Buffer.alloc(9);
        head.writeUIntBE(payload.length, 0, 3);
        head[3] = type;
        head[4] = flags;
        head.writeUInt32BE(id, 5);
        return Buffer.concat([head, payload]);
      };
      const settings = frame(4, 0, 0, Buffer.alloc(0));
      const backwards = Buffer.concat([Buffer.from(PREFACE, 'latin1'), settings, frame(1, 5, 5, hpackGet), frame(1, 5, 3, hpackGet)]);
      // (nghttp2 resets the first stream and ignores the second; the session stays until idle)
      await exchangeRaw(port, backwards, mode === 'tls', 300);
      // DATA on stream 0, a connection error: GOAWAY at once (node:http2 then leaves the socket
      // open), and the connection closes once idle for keepAliveTimeout (here 300 ms)
      const dataOnZero = Buffer.concat([Buffer.from(PREFACE, 'latin1'), settings, frame(0, 0, 0, Buffer.from('oops'))]);
      const closedOnZero = await exchangeRaw(port, dataOnZero, mode === 'tls');
      assert.ok(closedOnZero.includes(Buffer.from('DATA: stream_id == 0')), 'GOAWAY with its reason');
      assert.equal(closedOnZero.cut, false, 'closed by the server');
      // and new sessions are served
      const other = await connect(url);
      assert.equal((await request(other, { ':path': '/users/3' })).status, 200);
      await closeClient(other);
    } finally {
      await closeClient(client);
      await app.close({ timeout: 1000 });
    }
  }
});

test('limits: the request timeout answers 503, long targets 414, oversized header lists are refused; maxConnections counts sessions', async () => {
  const app = createApp({ onError: () => {}, requestTimeout: 100, maxUriLength: 100, maxHeaderSize: 1024, maxConcurrentStreams: 7, maxConnections: 1, refusalHeaders: { 'Access-Control-Allow-Origin': '*' } });
  app.get('/never', () => new Promise(() => {}));
  app.get('/ok', () => 'ok');
  const { port } = await app.listen({ port: 0, http2: 'h2c' });
  const client = await connect(`http://${HOST}:${port}`);
  try {
    assert.equal(client.remoteSettings.maxConcurrentStreams, 7);
    const timedOut = await request(client, { ':path': '/never' });
    assert.equal(timedOut.status, 503);
    assert.match(timedOut.body, /not answered in time/);
    const long = await request(client, { ':path': `/ok?${'q'.repeat(200)}` });
    assert.equal(long.status, 414);
    assert.equal(long.headers['access-control-allow-origin'], '*', 'refusalHeaders apply to HTTP/2 refusals too');
    // past the advertised header list size the stream (not the session) is reset
    await assert.rejects(request(client, { ':path': '/ok', 'x-big': 'b'.repeat(8000) }), /NGHTTP2_ENHANCE_YOUR_CALM/);
    assert.equal((await request(client, { ':path': '/ok' })).body, 'ok');
    // one session open, maxConnections 1: a second client is turned away
    assert.equal(app.engine!.connectionCount, 1);
    const refused = await exchangeRaw(port, 'GET /ok HTTP/1.1\r\nHost: x\r\n\r\n', false);
    assert.match(refused.toString('latin1'), /^HTTP\/1\.1 503 /);
    assert.equal(app.engine!.stats.refused, 1);
    assert.equal((await request(client, { ':path': '/ok' })).body, 'ok');
  } finally {
    await closeClient(client);
    await app.close({ timeout: 500 });
  }
});

test('an idle session is closed with GOAWAY after keepAliveTimeout', async () => {
  const { app, url } = await h2cApp({ keepAliveTimeout: 150 });
  const client = await connect(url);
  try {
    assert.equal((await request(client, { ':path': '/users/1' })).status, 200);
    const t0 = Date.now();
    await new Promise<void>((r) => client.once('close', () => r()));
    const idle = Date.now() - t0;
    assert.ok(idle >= 100 && idle < 3000, `closed after ${idle} ms idle`);
    // the server's side of the session closes right after
    const until = Date.now() + 2000;
    while (app.engine!.connectionCount !== 0 && Date.now() < until) await delay(10);
    assert.equal(app.engine!.connectionCount, 0);
  } finally {
    client.destroy();
    await app.close();
  }
});

test('listen({ http2 }) checks its options; the engine alone needs an HTTP/2 listener', async () => {
  const app = demo();
  await assert.rejects(app.listen({ port: 0, http2: 'h2c', tls: await certificate() }), /cleartext HTTP\/2: with tls, use http2: true/);
  const engine = new EngineServer((_req, res) => res.end('x'));
  await assert.rejects(engine.listen({ port: 0, http2: true }), /needs an HTTP\/2 listener/);
  // http2: true without tls is h2c, as in Fastify
  const plain = demo();
  const { port } = await plain.listen({ port: 0, http2: true });
  const client = await connect(`http://${HOST}:${port}`);
  assert.equal((await request(client, { ':path': '/users/9' })).body, '{"id":"9"}');
  await closeClient(client);
  await plain.close();
});

test('a DI application listens with http2 the same way', async () => {
  @Controller('/hello')
  class HelloController {
    @Get('/:name')
    hello(ctx: Ctx<'/:name'>) {
      return { hello: ctx.params.name, version: ctx.req.httpVersion };
    }
  }
  @Module({ controllers: [HelloController] })
  class AppModule {}
  const app = await Armature.create(AppModule, { shutdownHooks: false, onError: () => {} });
  const { port } = await app.listen({ port: 0, http2: true, tls: await certificate() });
  const client = await connect(`https://${HOST}:${port}`);
  try {
    assert.deepEqual(JSON.parse((await request(client, { ':path': '/hello/ada' })).body), { hello: 'ada', version: '2.0' });
  } finally {
    await closeClient(client);
    await app.close();
  }
});
