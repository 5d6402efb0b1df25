// The Fastify entry, written the way Fastify's docs suggest: logger off, JSON Schema for bodies
// (ajv) and responses (fast-json-stringify), @fastify/compress for json-comp (br or gzip, the
// same levels as Armature's: br 4, gzip 5), @fastify/static with preCompressed for the static
// files, a content-type parser that hands the upload's stream to its handler, the shared items
// repository and cache, @fastify/websocket for the echo. One Fastify instance per listener
// (Fastify serves one server each): HTTP/1.1, HTTPS, HTTP/2 over TLS, HTTP/2 cleartext.
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { constants } from 'node:zlib';
import { closeOnSignals } from '../techempower/runtime.js';
import { UPLOAD_LIMIT, readDataset, staticDir, tlsFiles } from './config.js';
import { ensureDataFiles } from './generate/files.js';
import { ItemCache } from './item-cache.js';
import { ItemsRepository } from './items-repository.js';
import { announce, listenHost, listenersFor, portOf, type Listener } from './profiles.js';
import {
  EMPTY_RESULT, ITEM_SCHEMA, ITEMS_SCHEMA, PAGE_SCHEMA, PRICED_ITEMS_SCHEMA,
  baselineSum, intParam, listQuery, pricedItems, rangeQuery, type ItemInput,
} from './rules.js';

const SERVER = 'fastify';

ensureDataFiles();
const dataset = readDataset();
const items = new ItemsRepository();
const cache = new ItemCache();

type Query = Record<string, string | undefined>;
const int32 = { type: 'integer', minimum: 0, maximum: 2147483647 } as const;
const label = { type: 'string', minLength: 1, maxLength: 200 } as const;
const idParams = { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } }, required: ['id'] } as const;

function options(listener: Listener) {
  const common = { logger: false, bodyLimit: 64 * 1024 };
  switch (listener) {
    case 'h1': return common;
    case 'h1-tls': return { ...common, https: tlsFiles() };
    case 'h2': return { ...common, http2: true, https: { ...tlsFiles(), allowHTTP1: true } };
    case 'h2c': return { ...common, http2: true };
  }
}

async function build(listener: Listener): Promise<FastifyInstance> {
  const app = Fastify(options(listener) as { logger: false }) as unknown as FastifyInstance;
  app.addHook('onSend', async (_req, reply) => {
    reply.header('Server', SERVER);
  });
  await app.register(compress, { encodings: ['br', 'gzip'], threshold: 1024, brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }, zlibOptions: { level: 5 } });
  await app.register(fastifyStatic, { root: staticDir(), prefix: '/static/', preCompressed: true });
  // the upload's body stays a stream: the handler counts it
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
  // HttpArena's baseline POSTs carry no Content-Type: any other body is read as text
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  // echo-ws: @fastify/websocket; a plain GET is answered 426
  if (listener === 'h1') {
    await app.register(websocket);
    app.route({
      method: 'GET',
      url: '/ws',
      handler: (_req, reply) => reply.code(426).header('Upgrade', 'websocket').send('Upgrade Required'),
      wsHandler: (socket) => {
        socket.on('message', (data, isBinary) => socket.send(data as Buffer, { binary: isBinary }));
      },
    });
  }
  app.get<{ Querystring: Query }>('/baseline11', (req, reply) => {
    reply.type('text/plain; charset=utf-8').send(String(baselineSum(req.query.a, req.query.b)));
  });
  app.post<{ Querystring: Query; Body: string }>('/baseline11', { bodyLimit: 4096 }, (req, reply) => {
    reply.type('text/plain; charset=utf-8').send(String(baselineSum(req.query.a, req.query.b, String(req.body))));
  });
  app.get<{ Querystring: Query }>('/baseline2', (req, reply) => {
    reply.type('text/plain; charset=utf-8').send(String(baselineSum(req.query.a, req.query.b)));
  });
  app.get('/pipeline', (_req, reply) => {
    reply.type('text/plain; charset=utf-8').send('ok');
  });
  app.get<{ Params: { count: string }; Querystring: Query }>('/json/:count(^\\d+$)', { schema: { response: { 200: PRICED_ITEMS_SCHEMA } } }, async (req) =>
    pricedItems(dataset, Number(req.params.count), intParam(req.query.m, 1)));
  app.post<{ Body: Readable }>('/upload', { bodyLimit: UPLOAD_LIMIT }, async (req, reply) => {
    let bytes = 0;
    for await (const chunk of req.body) {
      bytes += (chunk as Buffer).length;
      if (bytes > UPLOAD_LIMIT) return reply.code(413).send('Payload Too Large');
    }
    reply.type('text/plain; charset=utf-8');
    return String(bytes);
  });
  app.get<{ Querystring: Query }>('/async-db', { schema: { response: { 200: ITEMS_SCHEMA } } }, async (req) => {
    const [min, max, limit] = rangeQuery(req.query);
    try {
      const list = await items.inPriceRange(min, max, limit);
      return { items: list, count: list.length };
    } catch {
      return EMPTY_RESULT;
    }
  });
  app.get<{ Querystring: Query }>('/crud/items', { schema: { response: { 200: PAGE_SCHEMA } } }, async (req) => {
    const { category, page, limit } = listQuery(req.query);
    const list = await items.page(category, limit, (page - 1) * limit);
    return { items: list, total: list.length, page, limit };
  });
  app.get<{ Params: { id: number } }>('/crud/items/:id', { schema: { params: idParams, response: { 200: ITEM_SCHEMA } } }, async (req, reply) => {
    const id = req.params.id;
    const cached = cache.get(id);
    if (cached !== undefined) return reply.header('X-Cache', 'HIT').send(cached);
    const item = await items.byId(id);
    if (item === undefined) return reply.callNotFound();
    cache.set(id, item);
    return reply.header('X-Cache', 'MISS').send(item);
  });
  app.post<{ Body: ItemInput }>('/crud/items', {
    schema: { body: { type: 'object', properties: { id: idParams.properties.id, name: label, category: label, price: int32, quantity: int32 }, required: ['id', 'name', 'category', 'price', 'quantity'] }, response: { 201: ITEM_SCHEMA } },
  }, async (req, reply) => {
    const item = await items.upsert(req.body);
    cache.invalidate(item.id);
    return reply.code(201).header('Location', `/crud/items/${item.id}`).send(item);
  });
  app.put<{ Params: { id: number }; Body: ItemInput }>('/crud/items/:id', {
    schema: { params: idParams, body: { type: 'object', properties: { name: label, price: int32, quantity: int32 }, required: ['name', 'price', 'quantity'] }, response: { 200: ITEM_SCHEMA } },
  }, async (req, reply) => {
    const item = await items.update(req.params.id, req.body);
    cache.invalidate(req.params.id);
    return item === undefined ? reply.callNotFound() : item;
  });
  return app;
}

const apps: FastifyInstance[] = [];
for (const listener of listenersFor()) {
  const app = await build(listener);
  await app.listen({ port: portOf(listener), host: listenHost() });
  apps.push(app);
  announce(SERVER, listener, (app.server.address() as { port: number }).port);
}
closeOnSignals(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await items.end();
});
