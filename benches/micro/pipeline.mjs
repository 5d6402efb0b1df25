#!/usr/bin/env node
// Micro benchmark of the engine's per-request CPU cost, without the kernel: a batch of 16
// pipelined TechEmpower plaintext requests is fed to a Connection over an in-memory socket, and
// the response bytes are checked. Reports ns per request (median of samples).
//   npm run build && node benches/micro/pipeline.mjs
import { MemorySocket } from '../lib/memory-socket.mjs';
import { createApp } from '../../packages/core/dist/index.js';
import { EngineServer } from '../../packages/core/dist/engine/server.js';
import { Connection } from '../../packages/core/dist/engine/connection.js';


const app = createApp({ serverName: 'Armature' });
app.get('/plaintext', (ctx) => {
  ctx.res.setHeader('Content-Type', 'text/plain');
  return 'Hello, World!';
});
app.get('/json', (ctx) => {
  ctx.res.setHeader('Content-Type', 'application/json');
  return { message: 'Hello, World!' };
});
// RAW=1 measures the engine alone, with a handler that answers on the engine's response directly
const raw = (req, res) => {
  res.setHeader('Content-Type', 'text/plain');
  res.end('Hello, World!');
};
const server = new EngineServer(process.env.RAW ? raw : app.handle, { serverName: 'Armature' });
const socket = new MemorySocket();
new Connection(server, socket, false);

const request = (path) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n`; // what wrk sends
for (const path of ['/plaintext', '/json']) {
  const batch = Buffer.from(request(path).repeat(16));
  const samples = [];
  const iterations = 20000;
  for (let s = 0; s < 12; s++) {
    const before = socket.bytes;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) socket.emit('data', batch);
    const t1 = process.hrtime.bigint();
    if (socket.bytes === before) throw new Error('no response written');
    samples.push(Number(t1 - t0) / (iterations * 16));
  }
  samples.sort((a, b) => a - b);
  const median = samples[samples.length >> 1];
  console.log(`${path.padEnd(12)} ${median.toFixed(0)} ns/request (median of ${samples.length} samples, best ${samples[0].toFixed(0)}; ${socket.writes} writes)`);
}
