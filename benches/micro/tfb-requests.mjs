#!/usr/bin/env node
// Per-request cost of the TechEmpower app (benches/techempower/armature.ts: module, DI,
// controller) on the engine, without the kernel: batches of `DEPTH` requests as wrk sends them
// are fed to an engine Connection over an in-memory socket. Reports, per request, the CPU time of
// this process (median of the samples) and the bytes V8 allocated on its heap (from
// v8.GCProfiler: what each collection found in use before it, plus the growth since the last one):
// the allocation figure is exact and the same on a busy machine, the CPU figure is not.
//   npm run build && node --import tsx benches/micro/tfb-requests.mjs
//   env: DEPTH=16 PATHS=/plaintext,/json SAMPLES=7 ALLOC_PROFILE=file.heapprofile (where the
//        bytes are allocated, sampled with the inspector, for the last path)
// To compare two builds, run it from each checkout (each resolves @armature/core to its own).
import inspector from 'node:inspector';
import { writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import { MemorySocket } from '../lib/memory-socket.mjs';

const { createTfbApp } = await import('../techempower/armature.ts');
const { EngineServer } = await import('../../packages/core/dist/engine/server.js');
const { Connection } = await import('../../packages/core/dist/engine/connection.js');

const depth = Number(process.env.DEPTH ?? 16);
const paths = (process.env.PATHS ?? '/plaintext,/json').split(',');
const samples = Number(process.env.SAMPLES ?? 7);
const iterations = Math.max(1, Math.round(320_000 / depth)); // batches per sample
const app = await createTfbApp();
const handle = app.app.handle;
const settle = () => new Promise((r) => process.nextTick(r)); // the batch's answers are written
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

let session = null;
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));

for (const path of paths) {
  const batch = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n`.repeat(depth));
  const socket = new MemorySocket();
  new Connection(new EngineServer(handle, {}), socket, false);
  for (let i = 0; i < iterations; i++) {
    socket.emit('data', batch);
    await settle();
  }
  const profiling = process.env.ALLOC_PROFILE !== undefined && path === paths.at(-1);
  if (profiling) {
    session = new inspector.Session();
    session.connect();
    await post('HeapProfiler.startSampling', { samplingInterval: 128, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
  }
  const ns = [];
  const bytes = [];
  for (let s = 0; s < samples; s++) {
    const profiler = new v8.GCProfiler();
    const usedBefore = v8.getHeapStatistics().used_heap_size;
    profiler.start();
    const cpu = process.cpuUsage();
    for (let i = 0; i < iterations; i++) {
      socket.emit('data', batch);
      await settle();
    }
    const used = process.cpuUsage(cpu);
    const report = profiler.stop();
    let allocated = 0;
    let previous = usedBefore;
    for (const gc of report.statistics) {
      allocated += gc.beforeGC.heapStatistics.usedHeapSize - previous;
      previous = gc.afterGC.heapStatistics.usedHeapSize;
    }
    allocated += v8.getHeapStatistics().used_heap_size - previous;
    ns.push(((used.user + used.system) * 1000) / (iterations * depth));
    bytes.push(allocated / (iterations * depth));
  }
  if (profiling) {
    const { profile } = await post('HeapProfiler.stopSampling');
    writeFileSync(process.env.ALLOC_PROFILE, JSON.stringify(profile));
  }
  if (!String(socket.last).includes(path === '/json' ? '"message"' : 'Hello, World!')) throw new Error(`unexpected answer: ${String(socket.last).slice(0, 200)}`);
  console.log(`${path} depth ${depth}: ${median(ns).toFixed(0)} ns CPU (median of ${samples}; best ${Math.min(...ns).toFixed(0)}), ${median(bytes).toFixed(0)} bytes allocated per request`);
}
process.exit(0);
