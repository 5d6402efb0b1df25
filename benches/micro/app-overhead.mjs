#!/usr/bin/env node
// Micro benchmark of the app layer's per-request CPU cost, without the kernel: batches of 16
// pipelined `GET /users/123` requests are fed to an engine Connection over an in-memory socket,
// answered (a) by a raw engine handler that parses the path itself and writes {"id":"123"}, and
// (b) by an app route /users/:id with one middleware and a JSON response (and variants). Reports
// ns per request, median of samples, with the overhead of each variant over (a).
//   npx tsc -b packages/core && taskset -c 1 node benches/micro/app-overhead.mjs
import { nsPerRequest } from '../lib/memory-socket.mjs';
import { createApp } from '../../packages/core/dist/index.js';


const raw = (req, res) => {
  const path = req.path;
  if (path.startsWith('/users/') && path.indexOf('/', 7) === -1 && path.length > 7) {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ id: path.slice(7) }));
    return;
  }
  res.statusCode = 404;
  res.end();
};

const gate = (ctx, next) => (ctx.get('x-blocked') !== undefined ? null : next());
const asyncGate = async (ctx, next) => (ctx.get('x-blocked') !== undefined ? null : await next());
const handler = (ctx) => ({ id: ctx.params.id });

function appWith(setup) {
  const app = createApp();
  setup(app);
  return app.handle;
}

const variants = [
  ['engine, raw handler', raw],
  ['engine, deferred raw handler', async (req, res) => { await null; raw(req, res); }],
  ['app, no middleware', appWith((app) => app.get('/users/:id', handler))],
  ['app, one middleware', appWith((app) => app.use(gate).get('/users/:id', handler))],
  ['app, one async middleware', appWith((app) => app.use(asyncGate).get('/users/:id', handler))],
  ['app, async handler + mw', appWith((app) => app.use(gate).get('/users/:id', async (ctx) => ({ id: ctx.params.id })))],
  ['app, mw + 2 hooks', appWith((app) => app.use(gate).onRequest(() => undefined).preHandler(() => undefined).get('/users/:id', handler))],
];

const batch = Buffer.from('GET /users/123 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n'.repeat(16)); // what wrk sends
const iterations = 10000;
const samples = Number(process.env.SAMPLES ?? 9);

const measure = (handle) => nsPerRequest(handle, {
  batch, perBatch: 16, expect: '{"id":"123"}', iterations, samples, clock: 'wall',
  settle: () => new Promise((r) => process.nextTick(r)), // async answers finish before the next batch
});

// warm up every variant, then measure them interleaved, twice
for (const [, h] of variants) await measure(h);
const results = new Map(variants.map(([name]) => [name, []]));
for (let round = 0; round < 2; round++) for (const [name, h] of variants) results.get(name).push(await measure(h));
const base = Math.min(...results.get(variants[0][0]));
for (const [name] of variants) {
  const ns = Math.min(...results.get(name));
  console.log(`${name.padEnd(28)} ${ns.toFixed(0).padStart(5)} ns/request   ${name === variants[0][0] ? '' : `+${(ns - base).toFixed(0)} ns, engine/app = ${((base / ns) * 100).toFixed(1)}%`}`);
}
