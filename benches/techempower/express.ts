// TechEmpower test types on Express 5 (single process), written the way Express apps are: one
// middleware for the Server header, res.json / res.send, X-Powered-By off. Express 5 passes a
// rejected handler promise to its error handler. plaintext and json need no database (see shared.ts).
import express from 'express';
import { HELLO, HTML_TYPE, TEXT_TYPE, TfbDatabase, WorldCache, parseCount, randomId, renderFortunes } from './shared.js';
import { announce, closeOnSignals, closeServer, listenHost, listenPort } from './runtime.js';

const db = new TfbDatabase();
const cache = new WorldCache(db);
const app = express();
app.disable('x-powered-by');

app.use((_req, res, next) => {
  res.setHeader('Server', 'Express');
  next();
});

app.get('/plaintext', (_req, res) => {
  res.type(TEXT_TYPE).send(HELLO);
});

app.get('/json', (_req, res) => {
  res.json({ message: HELLO });
});

app.get('/db', async (_req, res) => {
  res.json(await db.world(randomId()));
});

app.get('/queries', async (req, res) => {
  res.json(await db.randomWorlds(parseCount(req.query.queries)));
});

app.get('/fortunes', async (_req, res) => {
  res.type(HTML_TYPE).send(renderFortunes(await db.fortunes()));
});

app.get('/updates', async (req, res) => {
  res.json(await db.updateRandomWorlds(parseCount(req.query.queries)));
});

app.get('/cached-queries', async (req, res) => {
  res.json(await cache.sample(parseCount(req.query.count)));
});

const server = app.listen(listenPort(), listenHost(), (error) => {
  if (error) throw error;
  announce('express', (server.address() as { port: number }).port);
  cache.warm();
});
closeOnSignals(async () => {
  await closeServer(server);
  await db.end();
});
