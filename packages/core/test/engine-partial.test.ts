import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineHandler } from '../src/engine/server.js';
import { RawClient, comparable, delay, exchange, mapLimit, splitAt, withEngine } from './engine-helpers.js';

/** Echoes what it saw of the request, so any mis-parse changes the answer. */
const echo: EngineHandler = async (req, res) => {
  const body = await req.body.text();
  res.setHeader('Content-Type', 'text/plain');
  res.end(`${req.method} ${req.url} q=${req.query} h=${req.headers.get('x-a') ?? '-'} body=${body}`);
};

const CL_REQUEST =
  'POST /echo/path?x=1&y=2 HTTP/1.1\r\nHost: example\r\nX-A: first value\r\nContent-Length: 11\r\n\r\nhello world';
const CHUNKED_REQUEST =
  'PUT /c HTTP/1.1\r\nHost: example\r\nTransfer-Encoding: chunked\r\nX-A: ch\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n';
const GET_REQUEST = 'GET /next HTTP/1.1\r\nHost: example\r\n\r\n';

async function reference(port: number, data: string, n: number): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    await c.write(data);
    return (await c.responses(n)).map(comparable);
  } finally {
    c.destroy();
  }
}

async function splitRun(port: number, data: string, positions: number[], n: number, gapMs: number): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    await c.writePieces(splitAt(data, positions), gapMs);
    return (await c.responses(n, 3000)).map(comparable);
  } finally {
    c.destroy();
  }
}

test('a pipeline split into two reads at every byte position gives the same responses', async () => {
  // Content-Length body, chunked body with extension and trailer, then a plain GET: the split
  // lands inside heads, bodies, chunk-size lines, trailers and between requests.
  const data = CL_REQUEST + CHUNKED_REQUEST + GET_REQUEST;
  await withEngine(echo, {}, async ({ port }) => {
    const expected = await reference(port, data, 3);
    assert.equal(expected.length, 3);
    assert.match(expected[0]!, /POST \/echo\/path\?x=1&y=2 q=x=1&y=2 h=first value body=hello world$/);
    assert.match(expected[1]!, /PUT \/c q= h=ch body=hello 0123456789$/);
    assert.match(expected[2]!, /GET \/next q= h=- body=$/);
    const positions = Array.from({ length: data.length - 1 }, (_, i) => i + 1);
    const results = await mapLimit(positions, 24, (p) => splitRun(port, data, [p], 3, 4));
    for (let i = 0; i < positions.length; i++) {
      assert.deepEqual(results[i], expected, `split at byte ${positions[i]}: ${JSON.stringify(data.slice(positions[i]! - 5, positions[i]! + 5))}`);
    }
  });
});

test('a request delivered one byte per read gives the same response', async () => {
  await withEngine(echo, {}, async ({ port }) => {
    for (const data of [CL_REQUEST, CHUNKED_REQUEST]) {
      const expected = await reference(port, data, 1);
      const positions = Array.from({ length: data.length - 1 }, (_, i) => i + 1);
      const got = await splitRun(port, data, positions, 1, 1);
      assert.deepEqual(got, expected);
    }
  });
});

test('a request head arriving across reads is dispatched once, after the blank line', async () => {
  let calls = 0;
  await withEngine(
    (req, res) => {
      calls++;
      res.end(req.headers.get('x-long') ?? '');
    },
    {},
    async ({ port }) => {
      const c = await RawClient.connect(port);
      try {
        const value = 'v'.repeat(3000);
        const data = `GET / HTTP/1.1\r\nHost: x\r\nX-Long: ${value}\r\n\r\n`;
        // pieces that end on CR, on CRLF, on CRLFCR
        const crlfcr = data.length - 1;
        await c.writePieces(splitAt(data, [15, 16, 1000, 2000, crlfcr - 2, crlfcr]), 10);
        const [r] = await c.responses(1);
        assert.equal(r!.text, value);
        assert.equal(calls, 1);
      } finally {
        c.destroy();
      }
    },
  );
});

test('empty lines before a request are tolerated, also between pipelined requests', async () => {
  await withEngine(echo, {}, async ({ port }) => {
    const { responses } = await exchange(port, '\r\n\r\n' + GET_REQUEST + '\r\n' + GET_REQUEST.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'));
    assert.deepEqual(responses.map((r) => r.status), [200, 200]);
  });
});

const MALFORMED: Array<[string, string, number]> = [
  ['garbage request line', 'HELLO\r\n\r\n', 400],
  ['missing Host', 'GET / HTTP/1.1\r\n\r\n', 400],
  ['obs-fold', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  folded\r\n\r\n', 400],
  ['space before colon', 'GET / HTTP/1.1\r\nHost: x\r\nX-A : a\r\n\r\n', 400],
  ['bare LF', 'GET / HTTP/1.1\r\nHost: x\nX-A: a\r\n\r\n', 400],
  ['Content-Length with Transfer-Encoding', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
  ['differing Content-Length', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd', 400],
  ['chunked not last', 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n', 400],
  ['unsupported version', 'GET / HTTP/2.0\r\nHost: x\r\n\r\n', 505],
  ['unknown expectation', 'POST / HTTP/1.1\r\nHost: x\r\nExpect: magic\r\nContent-Length: 1\r\n\r\na', 417],
];

test('every malformed head is answered with its status, Connection: close, and a close; another connection keeps working', async () => {
  let handled = 0;
  await withEngine(
    (req, res) => {
      handled++;
      res.end(req.path);
    },
    {},
    async ({ port }) => {
      const bystander = await RawClient.connect(port);
      try {
        for (const [name, data, status] of MALFORMED) {
          const { responses, closed } = await exchange(port, data);
          assert.equal(responses.length, 1, `${name}: one response`);
          const r = responses[0]!;
          assert.equal(r.status, status, `${name}: status`);
          assert.equal(r.headers.connection, 'close', `${name}: Connection: close`);
          assert.equal(r.headers['content-type'], 'application/problem+json', `${name}: problem document`);
          assert.equal(JSON.parse(r.text).status, status);
          assert.ok(closed, `${name}: connection closed`);
        }
        assert.equal(handled, 0, 'the handler never saw a malformed request');
        // a keep-alive connection opened before all this still works
        await bystander.write('GET /still-here HTTP/1.1\r\nHost: x\r\n\r\n');
        const [r] = await bystander.responses(1);
        assert.equal(r!.text, '/still-here');
      } finally {
        bystander.destroy();
      }
    },
  );
});

test('a malformed request after valid pipelined ones: the valid ones are answered, then the error, then close', async () => {
  await withEngine(
    async (req, res) => {
      if (req.path === '/slow') await delay(30);
      res.end(req.path);
    },
    {},
    async ({ port }) => {
      for (const [first, second] of [['/fast', '/ok'], ['/slow', '/ok'], ['/fast', '/slow'], ['/slow', '/slow']]) {
        const { responses, closed } = await exchange(port, `GET ${first} HTTP/1.1\r\nHost: x\r\n\r\nGET ${second} HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\nGET /never HTTP/1.1\r\nHost: x\r\n\r\n`);
        assert.deepEqual(responses.map((r) => r.status), [200, 200, 400], `${first} then ${second}`);
        assert.deepEqual(responses.slice(0, 2).map((r) => r.text), [first, second]);
        assert.equal(responses[1]!.headers.connection, undefined, 'the error response, not the one before it, closes');
        assert.equal(responses[2]!.headers.connection, 'close');
        assert.ok(closed);
      }
    },
  );
});

test('a malformed chunked body fails the body read and closes the connection without touching the next request', async () => {
  const seen: string[] = [];
  await withEngine(
    async (req, res) => {
      seen.push(req.path);
      try {
        await req.body.text();
        res.end('read');
      } catch (error) {
        res.statusCode = (error as { status?: number }).status ?? 500;
        res.end('failed');
      }
    },
    {},
    async ({ port }) => {
      const { responses, closed } = await exchange(port, [
        'POST /bad HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n',
        'zz\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n',
      ], { gapMs: 20 });
      assert.equal(responses.length, 1);
      assert.equal(responses[0]!.status, 400);
      assert.equal(responses[0]!.headers.connection, 'close');
      assert.ok(closed);
      await delay(10);
      assert.deepEqual(seen, ['/bad']);
    },
  );
});
