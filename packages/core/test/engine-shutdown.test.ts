import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Client } from 'undici';
import { EngineServer, type EngineHandler } from '../src/engine/server.js';
import type { EngineOptions } from '../src/engine/options.js';
import { HOST, RawClient, delay } from './engine-helpers.js';

const get = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;

async function start(handler: EngineHandler, options: EngineOptions = {}): Promise<{ server: EngineServer; port: number; errors: unknown[] }> {
  const errors: unknown[] = [];
  const server = new EngineServer(handler, { onError: (e) => errors.push(e), ...options });
  const { port } = await server.listen({ port: 0, host: HOST });
  return { server, port, errors };
}

/** Resolves with the connect error code, or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: HOST });
    const timer = setTimeout(() => {
      s.destroy();
      resolve('timeout');
    }, 2000);
    s.once('connect', () => {
      clearTimeout(timer);
      s.destroy();
      resolve('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(e.code ?? 'error');
    });
  });
}

function timed<T>(p: Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  return p.then((value) => ({ value, ms: Date.now() - t0 }));
}

test('graceful shutdown under load: every request a handler received is answered completely, nothing is lost', async () => {
  const received = new Set<string>();
  let inFlight = 0;
  let inFlightAtClose = -1;
  const { server, port, errors } = await start(async (req, res) => {
    const id = req.path.slice(1);
    received.add(id);
    inFlight++;
    try {
      const n = Number(id.split('-')[1]);
      if (n % 8 === 2) await delay(100);
      else if (n % 2 === 0) await delay(1);
      const body = req.method === 'POST' ? await req.body.text() : '';
      res.setHeader('Content-Type', 'text/plain');
      res.end(`${id}|${body}`);
    } finally {
      inFlight--;
    }
  }, { requestTimeout: 10_000 });

  const completed = new Set<string>();
  const failed: Array<{ id: string; error: string }> = [];
  const badStatus: string[] = [];
  const deadline = Date.now() + 2000;
  let sent = 0;
  let stop = false;
  // clients keep sending through the shutdown, until a request fails after close() (the
  // connection refused or closed), the time is up, or enough were sent
  const more = (): boolean => Date.now() < deadline && sent < 2000;

  // node:http keep-alive clients, one socket each, sending one request after another
  const nodeClient = async (c: number): Promise<void> => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let n = 0; more(); n++) {
        const id = `h${c}-${n}`;
        const post = n % 3 === 0;
        sent++;
        try {
          const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
            const req = http.request({ host: HOST, port, agent, path: `/${id}`, method: post ? 'POST' : 'GET', timeout: 3000 }, (res) => {
              let t = '';
              res.setEncoding('utf8');
              res.on('data', (d: string) => (t += d));
              res.on('end', () => (res.complete ? resolve({ status: res.statusCode!, text: t }) : reject(new Error('incomplete response'))));
              res.on('error', reject);
            });
            req.on('timeout', () => req.destroy(new Error('timeout')));
            req.on('error', reject);
            req.end(post ? `payload ${id}` : undefined);
          });
          if (status !== 200) badStatus.push(`${id}:${status}`);
          else if (text !== `${id}|${post ? `payload ${id}` : ''}`) badStatus.push(`${id}:wrong body ${text}`);
          else completed.add(id);
        } catch (error) {
          failed.push({ id, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
          if (stop) return; // the server is gone; a failure after close ends this client
        }
      }
    } finally {
      agent.destroy();
    }
  };

  // undici clients pipelining several requests on one connection
  const pipelinedClient = async (c: number): Promise<void> => {
    const client = new Client(`http://${HOST}:${port}`, { pipelining: 6, headersTimeout: 3000, bodyTimeout: 3000 });
    try {
      let n = 0;
      const lane = async (): Promise<void> => {
        while (more()) {
          const id = `u${c}-${n++}`;
          sent++;
          try {
            const r = await client.request({ path: `/${id}`, method: 'GET', blocking: false });
            const text = await r.body.text();
            if (r.statusCode !== 200) badStatus.push(`${id}:${r.statusCode}`);
            else if (text !== `${id}|`) badStatus.push(`${id}:wrong body ${text}`);
            else completed.add(id);
          } catch (error) {
            failed.push({ id, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
            if (stop) return;
          }
        }
      };
      await Promise.all([lane(), lane(), lane(), lane()]);
    } finally {
      await client.destroy();
    }
  };

  const clients = Promise.all([0, 1, 2, 3, 4, 5].map(nodeClient).concat([0, 1].map(pipelinedClient)));
  for (let i = 0; i < 150 && received.size <= 20; i++) await delay(10);
  if (received.size <= 20) {
    // a failed assertion must not leave the server (and with it this process) running
    stop = true;
    await server.close({ timeout: 200 });
  }
  assert.ok(received.size > 20, `load is running (${received.size} requests so far)`);
  inFlightAtClose = inFlight;
  const closing = timed(server.close({ timeout: 5000 }));
  stop = true;
  const refused = await tryConnect(port);
  const { ms: closeMs } = await closing;
  await Promise.race([clients, delay(5000)]);

  assert.equal(refused, 'ECONNREFUSED', 'new connections are refused once close() is called');
  assert.ok(inFlightAtClose > 0, 'some requests were in flight when close() was called');
  assert.ok(closeMs < 2000, `close() resolved after ${closeMs} ms`);
  assert.deepEqual(badStatus, [], 'no error statuses or wrong bodies');
  const lost = [...received].filter((id) => !completed.has(id));
  assert.deepEqual(lost, [], 'every request the server received was answered completely');
  for (const f of failed) assert.ok(!received.has(f.id), `a failed request (${f.id}: ${f.error}) was never received by the server`);
  assert.equal(completed.size, received.size);
  assert.ok(sent <= 2000 + 6 + 2 * 4, 'bounded');
  assert.deepEqual(errors, []);
  assert.equal(server.connectionCount, 0);
  if (process.env.ENGINE_TEST_VERBOSE) console.log(`# sent ${sent}, received ${received.size}, completed ${completed.size}, failed ${failed.length} (${[...new Set(failed.map((f) => f.error))].join(', ')}), in flight at close ${inFlightAtClose}, close ${closeMs} ms`);
});

test('shutdown: idle keep-alive connections close at once, busy ones finish with Connection: close', async () => {
  const { server, port } = await start(async (req, res) => {
    if (req.path === '/slow') await delay(300);
    res.end(req.path);
  }, { keepAliveTimeout: 10_000 });
  const idle = await RawClient.connect(port);
  const busy = await RawClient.connect(port);
  const silent = await RawClient.connect(port); // connected, never sent anything
  try {
    await idle.write(get('/idle'));
    await idle.responses(1);
    const slowSentAt = Date.now();
    await busy.write(get('/slow'));
    await delay(20);
    const closing = timed(server.close({ timeout: 5000 }));
    const closedAt = closing.then(() => Date.now());
    const t0 = Date.now();
    await idle.waitClosed(1000);
    await silent.waitClosed(1000);
    const idleMs = Date.now() - t0;
    assert.ok(idle.ended || idle.closed, 'the idle connection was closed');
    assert.ok(silent.ended || silent.closed, 'the silent connection was closed');
    assert.ok(idleMs < 200, `idle connections closed ${idleMs} ms after close()`);
    assert.equal(idle.parsed().length, 1, 'the idle connection got no further bytes');

    // the busy connection may still send a request before its response: it is answered too
    await busy.write(get('/late'));
    const rs = await busy.responses(2, 2000);
    assert.deepEqual(rs.map((r) => r.text), ['/slow', '/late']);
    assert.equal(rs[0]!.headers.connection, undefined);
    assert.equal(rs[1]!.headers.connection, 'close');
    assert.ok(await busy.waitClosed(1000));
    const { ms } = await closing;
    // it waited for the 300 ms handler (timed from the request: a loaded machine may delay the close() call)
    const afterSlow = (await closedAt) - slowSentAt;
    assert.ok(afterSlow >= 290 && ms < 1500, `close() resolved ${afterSlow} ms after the slow request was sent, ${ms} ms after it was called`);
    assert.equal(await tryConnect(port), 'ECONNREFUSED');
  } finally {
    idle.destroy();
    busy.destroy();
    silent.destroy();
  }
});

test('shutdown: a pipelined batch in progress is answered in full, the last response closing', async () => {
  const { server, port } = await start(async (req, res) => {
    await delay(req.path === '/1' ? 100 : 60);
    res.end(req.path);
  });
  const c = await RawClient.connect(port);
  try {
    await c.write(get('/1') + get('/2') + get('/3'));
    await delay(20);
    const closing = server.close({ timeout: 5000 });
    const rs = await c.responses(3);
    assert.deepEqual(rs.map((r) => r.text), ['/1', '/2', '/3']);
    assert.deepEqual(rs.map((r) => r.headers.connection), [undefined, undefined, 'close']);
    assert.ok(await c.waitClosed());
    await closing;
  } finally {
    c.destroy();
  }
});

test('shutdown: a connection stuck in a never-answering handler is destroyed at the deadline', async () => {
  let started = 0;
  const { server, port } = await start(() => {
    started++; // never answers
  }, { requestTimeout: 0 });
  const stuck = await RawClient.connect(port);
  try {
    await stuck.write(get('/hang'));
    for (let i = 0; i < 100 && started === 0; i++) await delay(5);
    assert.equal(started, 1);
    const { ms } = await timed(server.close({ timeout: 300 }));
    assert.ok(ms >= 280 && ms < 1500, `close() resolved after ${ms} ms`);
    assert.ok(await stuck.waitClosed(1000), 'the stuck connection was closed');
    assert.equal(stuck.data.length, 0, 'nothing was sent on it');
    assert.equal(server.connectionCount, 0);
  } finally {
    stuck.destroy();
  }
});

test('shutdown: close() resolves when a connection is paused on an unread request body', async () => {
  let started = 0;
  const { server, port } = await start(async (_req) => {
    started++;
    // never reads the body, never answers; nothing else keeps the event loop busy
  }, { requestTimeout: 0, maxBodySize: 16 * 1024 * 1024 });
  const c = await RawClient.connect(port);
  try {
    c.socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${8 * 1024 * 1024}\r\n\r\n`);
    c.socket.write(Buffer.alloc(8 * 1024 * 1024));
    for (let i = 0; i < 100 && started === 0; i++) await delay(5);
    await delay(50);
    const { ms } = await timed(server.close({ timeout: 200 }));
    assert.ok(ms >= 180 && ms < 1500, `close() resolved after ${ms} ms`);
  } finally {
    c.destroy();
  }
});

test('shutdown: close() resolves by its deadline even when nothing else keeps the process alive', async () => {
  // The server runs in a child process whose only connection is paused on an unread body (a
  // paused socket does not keep the event loop alive); close() must still resolve there.
  const dir = mkdtempSync(join(tmpdir(), 'armature-close-'));
  const script = join(dir, 'server.mts');
  const serverModule = new URL('../src/engine/server.ts', import.meta.url).pathname;
  writeFileSync(script, `
import { EngineServer } from ${JSON.stringify(serverModule)};
const server = new EngineServer(() => {
  console.log('started');
  server.close({ timeout: 200 }).then(() => console.log('closed'));
}, { requestTimeout: 0, maxBodySize: 64 * 1024 * 1024, onError() {} });
const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
console.log('port ' + port);
`);
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'], cwd: new URL('../../..', import.meta.url).pathname });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const kill = setTimeout(() => child.kill(), 8000);
  let client: RawClient | null = null;
  try {
    for (let i = 0; i < 400 && !/port \d+/.test(out) && child.exitCode === null; i++) await delay(10);
    const port = Number(/port (\d+)/.exec(out)?.[1]);
    assert.ok(port > 0, `child started: ${out} ${err}`);
    client = await RawClient.connect(port);
    client.socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${32 * 1024 * 1024}\r\n\r\n`);
    client.socket.write(Buffer.alloc(16 * 1024 * 1024));
    const code = await exited;
    assert.match(out, /started\n/);
    assert.match(out, /closed\n/, `close() resolved before the process ended (exit ${code}, stderr ${err.slice(0, 300)})`);
  } finally {
    clearTimeout(kill);
    client?.destroy();
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
