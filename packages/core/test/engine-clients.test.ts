import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Client, Pool } from 'undici';
import type { EngineHandler } from '../src/engine/server.js';
import { HOST, delay, run, selfSignedCert, withEngine } from './engine-helpers.js';

/** Answers with what it saw, after an optional delay, so every client can check its request. */
const echo: EngineHandler = async (req, res) => {
  const wait = Number(new URLSearchParams(req.query).get('wait') ?? 0);
  if (wait > 0) await delay(wait);
  const body = req.method === 'GET' || req.method === 'HEAD' ? '' : await req.body.text();
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('X-Path', req.path);
  res.end(JSON.stringify({ method: req.method, url: req.url, body, secure: req.secure, version: req.httpVersion, ua: req.headers.get('user-agent') ?? '' }));
};

test('global fetch: GET, POST JSON, streamed request body, concurrent requests', async () => {
  await withEngine(echo, {}, async ({ port }) => {
    const base = `http://${HOST}:${port}`;
    const r1 = await fetch(`${base}/hello?x=1`, { signal: AbortSignal.timeout(3000) });
    assert.equal(r1.status, 200);
    assert.equal(r1.headers.get('x-path'), '/hello');
    assert.deepEqual(await r1.json(), { method: 'GET', url: '/hello?x=1', body: '', secure: false, version: '1.1', ua: 'node' });

    const r2 = await fetch(`${base}/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 'ü' }),
      signal: AbortSignal.timeout(3000),
    });
    assert.equal(((await r2.json()) as { body: string }).body, '{"a":"ü"}');

    // a streamed (chunked) request body
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (const part of ['str', 'eam', 'ed']) {
          controller.enqueue(new TextEncoder().encode(part));
          await delay(2);
        }
        controller.close();
      },
    });
    const r3 = await fetch(`${base}/stream`, { method: 'PUT', body: stream, duplex: 'half', signal: AbortSignal.timeout(3000) } as RequestInit);
    assert.equal(((await r3.json()) as { body: string }).body, 'streamed');

    const all = await Promise.all(
      Array.from({ length: 40 }, (_, i) => fetch(`${base}/n/${i}?wait=${i % 4}`, { signal: AbortSignal.timeout(5000) }).then((r) => r.json() as Promise<{ url: string }>)),
    );
    assert.deepEqual(all.map((b) => b.url), Array.from({ length: 40 }, (_, i) => `/n/${i}?wait=${i % 4}`));
  });
});

test('undici Pool with pipelining 10: every response matches its request', async () => {
  const received: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  await withEngine(
    async (req, res) => {
      received.push(req.path);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const i = Number(req.path.slice(3));
      if (i % 5 === 0) await delay(5);
      else if (i % 3 === 0) await Promise.resolve();
      const body = req.method === 'POST' ? await req.body.text() : '';
      inFlight--;
      res.end(`${req.path}|${body}`);
    },
    {},
    async ({ port, server }) => {
      const pool = new Pool(`http://${HOST}:${port}`, { connections: 2, pipelining: 10, headersTimeout: 5000, bodyTimeout: 5000 });
      let maxConnections = 0;
      try {
        const N = 300;
        const results = await Promise.all(
          Array.from({ length: N }, async (_, i) => {
            const post = i % 4 === 0;
            const { statusCode, body } = await pool.request({
              path: `/r/${i}`,
              method: post ? 'POST' : 'GET',
              blocking: false,
              ...(post ? { body: `payload-${i}` } : {}),
            });
            maxConnections = Math.max(maxConnections, server.connectionCount);
            return { statusCode, text: await body.text(), i, post };
          }),
        );
        for (const r of results) {
          assert.equal(r.statusCode, 200);
          assert.equal(r.text, `/r/${r.i}|${r.post ? `payload-${r.i}` : ''}`);
        }
        assert.equal(received.length, N);
        assert.ok(maxConnections <= 2, `pool used ${maxConnections} connections`);
        assert.ok(maxInFlight > 2, `requests were pipelined (max in flight ${maxInFlight})`);
      } finally {
        await pool.close();
      }
    },
  );
});

test('undici Client pipelining: requests really are in flight together and answered in order', async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  await withEngine(
    async (req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await delay(req.path === '/0' ? 30 : 1);
      inFlight--;
      res.end(req.path);
    },
    {},
    async ({ port }) => {
      const client = new Client(`http://${HOST}:${port}`, { pipelining: 10 });
      try {
        // blocking: false, or undici waits for each response head before sending the next request
        const texts = await Promise.all(Array.from({ length: 10 }, async (_, i) => (await client.request({ path: `/${i}`, method: 'GET', blocking: false })).body.text()));
        assert.deepEqual(texts, Array.from({ length: 10 }, (_, i) => `/${i}`));
        assert.ok(maxInFlight > 1, `requests were pipelined (max in flight ${maxInFlight})`);
      } finally {
        await client.close();
      }
    },
  );
});

function nodeRequest(
  mod: typeof http | typeof https,
  options: http.RequestOptions & https.RequestOptions,
  body?: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = mod.request({ host: HOST, timeout: 3000, ...options }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text, reused: req.reusedSocket }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

test('node:http with a keep-alive agent reuses one connection for sequential requests', async () => {
  await withEngine(echo, {}, async ({ port, server }) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      let reused = 0;
      for (let i = 0; i < 30; i++) {
        const post = i % 3 === 0;
        const r = await nodeRequest(http, { port, agent, path: `/k/${i}`, method: post ? 'POST' : 'GET', headers: post ? { 'content-type': 'text/plain' } : {} }, post ? `b${i}` : undefined);
        assert.equal(r.status, 200);
        const parsed = JSON.parse(r.text) as { url: string; body: string };
        assert.equal(parsed.url, `/k/${i}`);
        assert.equal(parsed.body, post ? `b${i}` : '');
        if (r.reused) reused++;
        assert.equal(server.connectionCount, 1);
      }
      assert.equal(reused, 29, 'every request after the first reused the connection');
      // HEAD through node:http: headers only
      const head = await nodeRequest(http, { port, agent, path: '/h', method: 'HEAD' });
      assert.equal(head.text, '');
      assert.ok(Number(head.headers['content-length']) > 0);
      // chunked upload from node:http (no Content-Length)
      const chunked = await new Promise<string>((resolve, reject) => {
        const req = http.request({ host: HOST, port, agent, path: '/c', method: 'POST', timeout: 3000 }, (res) => {
          let t = '';
          res.on('data', (d: Buffer) => (t += d.toString()));
          res.on('end', () => resolve(t));
        });
        req.on('error', reject);
        req.write('part one, ');
        setTimeout(() => req.end('part two'), 10);
      });
      assert.equal((JSON.parse(chunked) as { body: string }).body, 'part one, part two');
    } finally {
      agent.destroy();
    }
  });
});

test('curl --http1.1: GET, HEAD, POST with Expect: 100-continue, keep-alive reuse', async (t) => {
  const probe = await run('curl', ['--version']);
  if (probe.missing || probe.code !== 0) {
    console.log('# skipped: curl is not available');
    t.skip('curl is not available');
    return;
  }
  await withEngine(echo, {}, async ({ port }) => {
    const base = `http://${HOST}:${port}`;
    const common = ['-s', '--http1.1', '--max-time', '5'];

    const getRes = await run('curl', [...common, `${base}/curl?q=1`]);
    assert.equal(getRes.code, 0, getRes.stderr);
    assert.equal((JSON.parse(getRes.stdout) as { url: string }).url, '/curl?q=1');

    const headRes = await run('curl', [...common, '-I', `${base}/head`]);
    assert.equal(headRes.code, 0, headRes.stderr);
    assert.match(headRes.stdout, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(headRes.stdout, /\r\nContent-Length: \d+\r\n/i);
    assert.match(headRes.stdout, /\r\n\r\n$/);

    // Expect: 100-continue (curl's own threshold varies by version, so it is asked for); curl
    // waits up to 1 s for the 100 before sending the body anyway
    const big = 'a'.repeat(512 * 1024);
    const dir = mkdtempSync(join(tmpdir(), 'armature-curl-'));
    const file = join(dir, 'body.txt');
    writeFileSync(file, big);
    const started = Date.now();
    let upload: Awaited<ReturnType<typeof run>>;
    try {
      upload = await run('curl', [...common, '-v', '-o', '/dev/null', '-w', '%{http_code} %{size_upload}', '-H', 'Content-Type: text/plain', '-H', 'Expect: 100-continue', '--data-binary', `@${file}`, `${base}/upload`], 10_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(upload.code, 0, upload.stderr);
    assert.equal(upload.stdout, `200 ${big.length}`);
    assert.match(upload.stderr, /> Expect: 100-continue/i);
    assert.match(upload.stderr, /< HTTP\/1\.1 100 Continue/);
    assert.ok(Date.now() - started < 900, 'curl did not have to wait out its 1 s Expect timeout');

    // two URLs in one invocation reuse the connection
    const twice = await run('curl', [...common, '-v', `${base}/one`, `${base}/two`]);
    assert.equal(twice.code, 0, twice.stderr);
    assert.match(twice.stderr, /Re-using existing connection|Reusing existing/i);
    assert.ok(twice.stdout.includes('"/one"') && twice.stdout.includes('"/two"'));
  });
});

test('HTTPS via listen({ tls }) with node:https', async (t) => {
  const cert = await selfSignedCert();
  if (typeof cert === 'string') {
    console.log(`# skipped: ${cert}`);
    t.skip(cert);
    return;
  }
  await withEngine(
    echo,
    {},
    async ({ port, server }) => {
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
      try {
        const a = await nodeRequest(https, { port, agent, path: '/secure', servername: 'localhost' });
        assert.equal(a.status, 200);
        const body = JSON.parse(a.text) as { secure: boolean; url: string };
        assert.equal(body.secure, true);
        assert.equal(body.url, '/secure');
        const b = await nodeRequest(https, { port, agent, path: '/post', method: 'POST', servername: 'localhost' }, 'over tls');
        assert.equal((JSON.parse(b.text) as { body: string }).body, 'over tls');
        assert.ok(b.reused, 'keep-alive over TLS');
        assert.equal(server.connectionCount, 1);
        // a big streamed response over TLS
        const big = await nodeRequest(https, { port, agent, path: `/post`, method: 'POST', servername: 'localhost' }, 'z'.repeat(300_000));
        assert.equal((JSON.parse(big.text) as { body: string }).body.length, 300_000);
        // a plain-text request to the TLS port is dropped, and the server keeps working
        await new Promise<void>((resolve) => {
          const req = http.request({ host: HOST, port, path: '/', timeout: 2000 }, () => resolve());
          req.on('error', () => resolve());
          req.on('timeout', () => {
            req.destroy();
            resolve();
          });
          req.end();
        });
        const c = await nodeRequest(https, { port, agent, path: '/again', servername: 'localhost' });
        assert.equal(c.status, 200);
      } finally {
        agent.destroy();
      }
    },
    { tls: cert },
  );
});
