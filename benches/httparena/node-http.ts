// The reference entry on bare Node: one (req, res) function behind node:http, node:https and
// node:http2, written to the same rules as Armature's (rules.ts) with nothing but Node's own
// modules: routing by hand, JSON.stringify, zlib for json-comp (br or gzip from Accept-Encoding,
// at the levels Armature's compression uses by default: br 4, gzip 5), files streamed from disk
// with their .br / .gz siblings looked up by hand (HttpArena's "tuned" rules allow that), the
// shared items repository and cache; WebSocket echo with `ws`.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type http2 from 'node:http2';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { WebSocketServer } from 'ws';
import { closeOnSignals } from '../techempower/runtime.js';
import { UPLOAD_LIMIT, readDataset, staticDir } from './config.js';
import { ensureDataFiles } from './generate/files.js';
import { ItemCache } from './item-cache.js';
import { ItemsRepository } from './items-repository.js';
import { openNodeListener, type OpenListener } from './node-listeners.js';
import { announce, listenersFor, portOf } from './profiles.js';
import { EMPTY_RESULT, baselineSum, intParam, listQuery, pricedItems, rangeQuery, type ItemInput } from './rules.js';

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

const SERVER = 'node-http';
const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml', '.json': 'application/json; charset=utf-8', '.webp': 'image/webp', '.woff2': 'font/woff2',
};
const MAX_INT = 2147483647;

ensureDataFiles();
const dataset = readDataset();
const items = new ItemsRepository();
const cache = new ItemCache();
const root = staticDir();

function send(res: Res, status: number, type: string, body: string | Buffer, extra?: Record<string, string>): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Server', SERVER);
  if (extra) for (const k in extra) res.setHeader(k, extra[k]!);
  res.end(body);
}

const notFound = (res: Res) => send(res, 404, TEXT, 'Not Found');
const badRequest = (res: Res, why: string) => send(res, 400, TEXT, why);

/** br, gzip or nothing, from Accept-Encoding (a q=0 counts as refused). */
function accepted(req: Req): 'br' | 'gzip' | null {
  const header = req.headers['accept-encoding'];
  if (typeof header !== 'string') return null;
  const ok = (coding: string) => new RegExp(`(^|,)\\s*${coding}\\s*(;\\s*q=(?!0(\\.0*)?\\s*(,|$))[\\d.]+)?\\s*(,|$)`, 'i').test(header);
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : null;
}

function sendJson(req: Req, res: Res, status: number, value: unknown, extra?: Record<string, string>): void {
  const body = JSON.stringify(value);
  const coding = body.length >= 1024 ? accepted(req) : null;
  if (coding === null) return send(res, status, JSON_TYPE, body, { Vary: 'Accept-Encoding', ...extra });
  const encoded = coding === 'br' ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }) : gzipSync(body, { level: 5 });
  send(res, status, JSON_TYPE, encoded, { Vary: 'Accept-Encoding', 'Content-Encoding': coding, ...extra });
}

/** 413; the rest of the body is read and dropped, so that the client, still sending, gets the answer. */
function tooLarge(req: Req, res: Res): void {
  req.resume();
  send(res, 413, TEXT, 'Payload Too Large');
}

/** The whole body, or null (after answering 413) past `limit` bytes. */
async function readBody(req: Req, res: Res, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      tooLarge(req, res);
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function upload(req: Req, res: Res): Promise<void> {
  const declared = Number(req.headers['content-length']);
  if (declared > UPLOAD_LIMIT) return tooLarge(req, res);
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > UPLOAD_LIMIT) return tooLarge(req, res);
  }
  send(res, 200, TEXT, String(bytes));
}

async function serveFile(req: Req, res: Res, name: string): Promise<void> {
  if (name.includes('..') || name.includes('/') || name.includes('\\') || name.startsWith('.')) return notFound(res);
  const path = join(root, name);
  const type = TYPES[extname(name)];
  const original = await stat(path).catch(() => null);
  if (type === undefined || original === null || !original.isFile()) return notFound(res);
  const coding = accepted(req);
  const sibling = coding === null ? null : await stat(`${path}.${coding === 'br' ? 'br' : 'gz'}`).catch(() => null);
  res.statusCode = 200;
  res.setHeader('Content-Type', type);
  res.setHeader('Server', SERVER);
  res.setHeader('Vary', 'Accept-Encoding');
  if (sibling !== null) res.setHeader('Content-Encoding', coding!);
  res.setHeader('Content-Length', (sibling ?? original).size);
  createReadStream(sibling === null ? path : `${path}.${coding === 'br' ? 'br' : 'gz'}`).pipe(res as http.ServerResponse);
}

function itemInput(body: Buffer, withId: boolean): ItemInput | string {
  let v: any;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    return 'malformed JSON';
  }
  const int = (x: unknown, min: number) => Number.isInteger(x) && (x as number) >= min && (x as number) <= MAX_INT;
  const label = (x: unknown) => typeof x === 'string' && x.length > 0 && x.length <= 200;
  if (typeof v !== 'object' || v === null || !label(v.name) || !int(v.price, 0) || !int(v.quantity, 0)) return 'name, price and quantity are required';
  if (withId && (!int(v.id, 1) || !label(v.category))) return 'id and category are required';
  return { id: v.id, name: v.name, category: v.category, price: v.price, quantity: v.quantity };
}

async function crud(req: Req, res: Res, rest: string, query: URLSearchParams): Promise<void> {
  if (rest === '' || rest === '/') {
    if (req.method === 'GET') {
      const { category, page, limit } = listQuery(Object.fromEntries(query));
      const list = await items.page(category, limit, (page - 1) * limit);
      return sendJson(req, res, 200, { items: list, total: list.length, page, limit });
    }
    if (req.method === 'POST') {
      const body = await readBody(req, res, 64 * 1024);
      if (body === null) return;
      const input = itemInput(body, true);
      if (typeof input === 'string') return badRequest(res, input);
      const item = await items.upsert(input);
      cache.invalidate(item.id);
      return sendJson(req, res, 201, item, { Location: `/crud/items/${item.id}` });
    }
    return send(res, 405, TEXT, 'Method Not Allowed');
  }
  const id = /^\/(\d{1,10})$/.exec(rest) ? Number(rest.slice(1)) : NaN;
  if (!(id >= 1 && id <= MAX_INT)) return notFound(res);
  if (req.method === 'GET') {
    const cached = cache.get(id);
    if (cached !== undefined) return sendJson(req, res, 200, cached, { 'X-Cache': 'HIT' });
    const item = await items.byId(id);
    if (item === undefined) return notFound(res);
    cache.set(id, item);
    return sendJson(req, res, 200, item, { 'X-Cache': 'MISS' });
  }
  if (req.method === 'PUT') {
    const body = await readBody(req, res, 64 * 1024);
    if (body === null) return;
    const input = itemInput(body, false);
    if (typeof input === 'string') return badRequest(res, input);
    const item = await items.update(id, input);
    cache.invalidate(id);
    return item === undefined ? notFound(res) : sendJson(req, res, 200, item);
  }
  send(res, 405, TEXT, 'Method Not Allowed');
}

async function route(req: Req, res: Res): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  const get = req.method === 'GET' || req.method === 'HEAD';
  if ((path === '/baseline11' || path === '/baseline2') && get) return send(res, 200, TEXT, String(baselineSum(query.get('a') ?? undefined, query.get('b') ?? undefined)));
  if (path === '/baseline11' && req.method === 'POST') {
    const body = await readBody(req, res, 4096);
    if (body !== null) send(res, 200, TEXT, String(baselineSum(query.get('a') ?? undefined, query.get('b') ?? undefined, body.toString('utf8'))));
    return;
  }
  if (path === '/pipeline' && get) return send(res, 200, TEXT, 'ok');
  if (path.startsWith('/json/') && get) {
    const count = /^\/json\/(\d{1,9})$/.exec(path);
    if (count === null) return notFound(res);
    return sendJson(req, res, 200, pricedItems(dataset, Number(count[1]), intParam(query.get('m') ?? undefined, 1)));
  }
  if (path === '/upload' && req.method === 'POST') return upload(req, res);
  if (path.startsWith('/static/') && get) return serveFile(req, res, path.slice('/static/'.length));
  if (path === '/async-db' && get) {
    const [min, max, limit] = rangeQuery(Object.fromEntries(query));
    try {
      const list = await items.inPriceRange(min, max, limit);
      return sendJson(req, res, 200, { items: list, count: list.length });
    } catch {
      return sendJson(req, res, 200, EMPTY_RESULT);
    }
  }
  if (path === '/crud/items' || path.startsWith('/crud/items/')) return crud(req, res, path.slice('/crud/items'.length), query);
  if (path === '/ws' && get) return send(res, 426, TEXT, 'Upgrade Required', { Upgrade: 'websocket' });
  notFound(res);
}

// echo-ws: `ws` on the upgrade event, every message back with its own opcode
const echo = new WebSocketServer({ noServer: true });
echo.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));

function upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
  if (req.url?.split('?')[0] === '/ws') echo.handleUpgrade(req, socket, head, (ws) => echo.emit('connection', ws, req));
  else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
}

function handler(req: Req, res: Res): void {
  route(req, res).catch(() => {
    if (!res.headersSent) send(res, 500, TEXT, 'Internal Server Error');
    else res.destroy();
  });
}

const open: OpenListener[] = [];
for (const listener of listenersFor()) {
  const opened = await openNodeListener(listener, handler, portOf(listener), upgrade);
  open.push(opened);
  announce(SERVER, listener, opened.port);
}
closeOnSignals(async () => {
  for (const client of echo.clients) client.close(1001);
  await Promise.all(open.map((l) => l.close()));
  await items.end();
});
