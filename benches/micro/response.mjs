#!/usr/bin/env node
// Response writing: Armature's engine response (packages/core/src/engine/engine-response.ts: status
// line, header block, Content-Length, Server and Date, the body, handed to the socket) against
// node:http's ServerResponse, the writer under node:http, Express and Fastify, in one run
// (mitata, see harness.mjs). Cost per response, from "the handler answers" to "the bytes are
// handed to socket.write", without the kernel.
//
//   npm run build && node --expose-gc benches/micro/response.mjs     (or: npm run bench:micro -- response)
//   env: ROUNDS (3), ONLY (a regular expression: the groups to run)
//
// Responses:
//   plaintext   200, Content-Type text/plain, "Hello, World!" (TechEmpower's)
//   api         200, 7 header fields (cache, ETag, Vary, cookie, CORS…) and a 1 KB JSON text
//   utf-8       200, text/plain; charset=utf-8, 300 bytes of non-ASCII text
// All carry Server and Date, and Content-Length.
//
// Both write to the same in-memory socket: a stream.Writable with decodeStrings off, as a
// net.Socket is, that drops what it is given. So the stream machinery both go through on a real
// socket (write, cork/uncork, the write callback) is counted; the native write and the kernel
// are not. Each call writes a batch of 64 responses, then waits one tick so that what node:http
// defers to process.nextTick (the 'finish' event) is counted too; the same for Armature.
//  - armature: a new EngineResponse per response on a Connection, the handler's setHeader +
//    end(body), then the connection's flush(): the engine's path for a request that is alone
//    in its read. (EngineResponse and the connection's queue and flush are internal: the
//    benchmark drives them directly, without the parser.)
//  - node:http setHeader + end: what node:http's server does per response (ServerResponse,
//    keep-alive settings, assignSocket, detachSocket when done) and the handler's setHeader
//    calls + end(body); Node adds Date, Connection: keep-alive, Keep-Alive: timeout=5 and
//    Content-Length.
//  - node:http writeHead + end: the same with writeHead(200, {…, 'Content-Length'}) + end(body),
//    the way Fastify's reply and benches/techempower/node-http.ts write.
// The request object is made once for all responses on both sides (its cost is not the
// writer's).
import http from 'node:http';
import { Writable } from 'node:stream';
import { EngineServer } from '../../packages/core/dist/engine/server.js';
import { Connection } from '../../packages/core/dist/engine/connection.js';
import { EngineResponse } from '../../packages/core/dist/engine/engine-response.js';
import { compare, selected } from './harness.mjs';

const BATCH = 64;

/** A socket that drops its output: net.Socket's stream behaviour without the native write. */
class DiscardSocket extends Writable {
  constructor() {
    super({ decodeStrings: false, highWaterMark: 64 * 1024 });
    this.remoteAddress = '127.0.0.1';
    this.recorded = null; // an array while recording (sanity check only)
  }
  _write(chunk, encoding, callback) {
    if (this.recorded !== null) this.recorded.push(Buffer.from(chunk, encoding === 'buffer' ? undefined : encoding));
    callback();
  }
  _writev(chunks, callback) {
    for (const { chunk, encoding } of chunks) this._write(chunk, encoding, () => {});
    callback();
  }
  setNoDelay() {}
  pause() {}
  resume() {}
  isPaused() { return false; }
}

// ---- the responses ---------------------------------------------------------------------------

const API_BODY = JSON.stringify({
  data: Array.from({ length: 8 }, (_, i) => ({ id: 8200 + i, status: i % 3 ? 'open' : 'shipped', total: 19.99 * (i + 1), currency: 'EUR', items: i + 2, created: '2026-11-24T16:3' + i + ':00Z' })),
  page: 2,
  next: '/api/users/8211/orders?status=open&sort=-created&page=3',
});
const API_HEADERS = [
  ['Content-Type', 'application/json; charset=utf-8'],
  ['Cache-Control', 'private, max-age=0, must-revalidate'],
  ['ETag', 'W/"3fa-5e8a1c2b"'],
  ['Vary', 'Accept-Encoding, Origin'],
  ['X-Request-Id', '5f2c9a7e-1b3d-4c8e-9f0a-2d6b8e4c1a7f'],
  ['Set-Cookie', 'session=9f86d081884c7d659a2feaa0c55ad015; Path=/; HttpOnly; Secure; SameSite=Lax'],
  ['Access-Control-Allow-Origin', 'https://shop.example.com'],
];
const RESPONSES = selected([
  { group: 'plaintext', headers: [['Content-Type', 'text/plain']], body: 'Hello, World!' },
  { group: 'api (7 headers, 1 KB JSON)', headers: API_HEADERS, body: API_BODY },
  { group: 'utf-8 body (300 bytes)', headers: [['Content-Type', 'text/plain; charset=utf-8']], body: 'Grüße aus Zürich — ✓ '.repeat(12) },
]);

// ---- Armature ---------------------------------------------------------------------------------

const engine = new EngineServer(() => {}, { serverName: 'Armature' });
const armatureSocket = new DiscardSocket();
const conn = new Connection(engine, armatureSocket, false);
// A real EngineRequest, from one request through the engine.
let request = null;
engine.handler = (req, res) => {
  request = req;
  res.end();
};
armatureSocket.emit('data', Buffer.from('GET /answer HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n'));
if (request === null || !Array.isArray(conn.queue) || typeof conn.flush !== 'function' || conn.inBatch !== false) {
  throw new Error('the engine internals this benchmark drives (Connection queue, inBatch, flush) have changed');
}
conn.inBatch = true; // output is coalesced until flush(), as while a read is handled

function armatureWriter({ headers, body }) {
  return () => {
    const res = new EngineResponse(conn, request, engine.now);
    conn.queue.push(res); // the connection writes the response that is first in line
    for (let h = 0; h < headers.length; h++) res.setHeader(headers[h][0], headers[h][1]);
    res.end(body);
    conn.flush(); // end of the read: one socket write
  };
}

// ---- node:http --------------------------------------------------------------------------------

const nodeSocket = new DiscardSocket();
const incoming = new http.IncomingMessage(nodeSocket);
incoming.method = 'GET';
incoming.url = '/answer';
incoming.httpVersionMajor = 1;
incoming.httpVersionMinor = 1;
incoming.httpVersion = '1.1';
incoming.headers = { host: '127.0.0.1:8080' };

/** What node:http's server does around the handler for each response, as in parserOnIncoming. */
function serverResponse() {
  const res = new http.ServerResponse(incoming);
  res._keepAliveTimeout = 5000; // server.keepAliveTimeout: adds "Keep-Alive: timeout=5"
  res.shouldKeepAlive = true;
  res.assignSocket(nodeSocket);
  return res;
}

function nodeSetHeader({ headers, body }) {
  return () => {
    const res = serverResponse();
    res.setHeader('Server', 'Armature');
    for (let h = 0; h < headers.length; h++) res.setHeader(headers[h][0], headers[h][1]);
    res.end(body);
    res.detachSocket(nodeSocket); // the server's resOnFinish; the socket is free for the next one
  };
}

function nodeWriteHead({ headers, body }) {
  const names = ['Server', ...headers.map(([n]) => n), 'Content-Length'];
  const values = ['Armature', ...headers.map(([, v]) => v)];
  return () => {
    const res = serverResponse();
    const fields = {};
    for (let h = 0; h < values.length; h++) fields[names[h]] = values[h];
    fields['Content-Length'] = Buffer.byteLength(body);
    res.writeHead(200, fields);
    res.end(body);
    res.detachSocket(nodeSocket);
  };
}

// ---- the same bytes before timing ---------------------------------------------------------------

/** The bytes one response puts on the socket, split into sorted header lines and the body. */
async function written(socket, writeOne) {
  socket.recorded = [];
  writeOne();
  await new Promise((r) => setImmediate(r));
  const text = Buffer.concat(socket.recorded).toString('latin1');
  socket.recorded = null;
  const [head, ...rest] = text.split('\r\n\r\n');
  const [status, ...lines] = head.split('\r\n');
  const fields = lines.filter((l) => !/^(date|connection|keep-alive):/i.test(l)).map((l) => l.toLowerCase()).sort();
  return { status, fields, body: rest.join('\r\n\r\n') };
}

const batch = (writeOne) => async () => {
  for (let i = 0; i < BATCH; i++) writeOne();
  await new Promise((r) => process.nextTick(r));
};

const cases = [];
for (const response of RESPONSES) {
  const writers = [
    ['armature EngineResponse', armatureSocket, armatureWriter(response)],
    ['node:http setHeader + end', nodeSocket, nodeSetHeader(response)],
    ['node:http writeHead + end', nodeSocket, nodeWriteHead(response)],
  ];
  const expected = JSON.stringify(await written(armatureSocket, writers[0][2]));
  for (const [name, socket, writeOne] of writers) {
    const got = JSON.stringify(await written(socket, writeOne));
    if (got !== expected) throw new Error(`${name} writes another response for ${response.group}:\n${got}\n${expected}`);
    cases.push({ group: response.group, name, ops: BATCH, fn: batch(writeOne) });
  }
}

await compare(cases, {
  title: `HTTP response writing, ns per response: Armature vs node:http ServerResponse (Node ${process.version})`,
  reference: 'node:http setHeader + end',
  file: 'response',
  notes: `Batches of ${BATCH} responses to an in-memory stream.Writable (decodeStrings off, like net.Socket) that drops the bytes, ` +
    'then one process.nextTick. Same status line, fields (Date, Connection and Keep-Alive aside) and body on every side.',
});
