// TechEmpower test types on Fastify (single process), written the way Fastify's own docs suggest:
// logger off, response schemas (fast-json-stringify) for JSON, the pool ended in an onClose hook.
// plaintext and json need no database (see shared.ts).
import Fastify from 'fastify';
import { HELLO, HTML_TYPE, TfbDatabase, WorldCache, parseCount, randomId, renderFortunes } from './shared.js';
import { announce, closeOnSignals, listenHost, listenPort } from './runtime.js';

const SERVER = 'Fastify';

const world = {
  type: 'object',
  properties: { id: { type: 'integer' }, randomNumber: { type: 'integer' } },
  required: ['id', 'randomNumber'],
} as const;
const worlds = { schema: { response: { 200: { type: 'array', items: world } } } } as const;

interface CountQuery { Querystring: { queries?: string; count?: string } }

const db = new TfbDatabase();
const cache = new WorldCache(db);
const app = Fastify({ logger: false });
app.addHook('onClose', () => db.end());

app.get('/plaintext', (_req, reply) => {
  reply.header('Server', SERVER).header('Content-Type', 'text/plain').send(HELLO);
});

app.get(
  '/json',
  { schema: { response: { 200: { type: 'object', properties: { message: { type: 'string' } } } } } },
  (_req, reply) => {
    reply.header('Server', SERVER).header('Content-Type', 'application/json').send({ message: HELLO });
  },
);

app.get('/db', { schema: { response: { 200: world } } }, (_req, reply) => {
  reply.header('Server', SERVER);
  return db.world(randomId());
});

app.get<CountQuery>('/queries', worlds, (req, reply) => {
  reply.header('Server', SERVER);
  return db.randomWorlds(parseCount(req.query.queries));
});

app.get('/fortunes', async (_req, reply) => {
  const html = renderFortunes(await db.fortunes());
  reply.header('Server', SERVER).type(HTML_TYPE);
  return html;
});

app.get<CountQuery>('/updates', worlds, (req, reply) => {
  reply.header('Server', SERVER);
  return db.updateRandomWorlds(parseCount(req.query.queries));
});

app.get<CountQuery>('/cached-queries', worlds, (req, reply) => {
  reply.header('Server', SERVER);
  return cache.sample(parseCount(req.query.count));
});

await app.listen({ port: listenPort(), host: listenHost() });
announce('fastify', (app.server.address() as { port: number }).port);
cache.warm();
closeOnSignals(() => app.close());
