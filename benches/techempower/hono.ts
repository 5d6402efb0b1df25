// TechEmpower test types on Hono served by @hono/node-server (single process), written the way
// Hono apps are: c.text / c.json / c.html, c.req.query, the Server header set in each handler
// (as in fastify.ts, no middleware). plaintext and json need no database (see shared.ts).
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { HELLO, TfbDatabase, WorldCache, parseCount, randomId, renderFortunes } from './shared.js';
import { announce, closeOnSignals, closeServer, listenHost, listenPort } from './runtime.js';

const SERVER = 'Hono';

const db = new TfbDatabase();
const cache = new WorldCache(db);
const app = new Hono();

app.get('/plaintext', (c) => {
  c.header('Server', SERVER);
  return c.text(HELLO);
});

app.get('/json', (c) => {
  c.header('Server', SERVER);
  return c.json({ message: HELLO });
});

app.get('/db', async (c) => {
  c.header('Server', SERVER);
  return c.json(await db.world(randomId()));
});

app.get('/queries', async (c) => {
  c.header('Server', SERVER);
  return c.json(await db.randomWorlds(parseCount(c.req.query('queries'))));
});

app.get('/fortunes', async (c) => {
  c.header('Server', SERVER);
  return c.html(renderFortunes(await db.fortunes()));
});

app.get('/updates', async (c) => {
  c.header('Server', SERVER);
  return c.json(await db.updateRandomWorlds(parseCount(c.req.query('queries'))));
});

app.get('/cached-queries', async (c) => {
  c.header('Server', SERVER);
  return c.json(await cache.sample(parseCount(c.req.query('count'))));
});

const server = serve({ fetch: app.fetch, port: listenPort(), hostname: listenHost() }, (info) => {
  announce('hono', info.port);
  cache.warm();
});
closeOnSignals(async () => {
  await closeServer(server);
  await db.end();
});
