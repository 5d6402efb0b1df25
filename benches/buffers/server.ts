/**
 * The server of bench:buffers: an app answering `/small` with a short JSON object and `/large`
 * with a 64 KiB JSON array (serialized per request, as a handler that builds its answer does),
 * its engine's pooled buffers either following traffic (BUFFER_SIZE=auto) or of one fixed size
 * (BUFFER_SIZE=<bytes>). `/gc` answers with the garbage collection since the last `/gc`: V8 heap
 * bytes allocated, collections and their time (from v8.GCProfiler), and resets it; and with the
 * engine's buffer counters.
 */
import v8 from 'node:v8';
import { pathToFileURL } from 'node:url';

// REFERENCE_CORE: another build of @armature/core (its dist/index.js), e.g. main's before a change
const core: typeof import('@armature/core') = await import(process.env.REFERENCE_CORE ? pathToFileURL(process.env.REFERENCE_CORE).href : '@armature/core');
const size = process.env.BUFFER_SIZE ?? 'auto';
const app = core.createApp({ bufferSize: size === 'auto' ? 'auto' : Number(size), keepAliveTimeout: 60_000 });

const item = (i: number) => ({ id: i, name: `item ${i}`, tags: ['alpha', 'beta'], price: 1000 + i, available: i % 3 !== 0 });
const rows = Array.from({ length: 1024 }, (_, i) => item(i));
while (JSON.stringify(rows).length < 64 * 1024) rows.push(item(rows.length));
rows.length -= 1; // the largest array under 64 KiB

app.get('/small', () => ({ message: 'Hello, World!' }));
app.get('/large', () => rows);

let last = { buffersAllocated: 0, unpooledOutputs: 0 };
let profiler = new v8.GCProfiler();
let usedAtStart = v8.getHeapStatistics().used_heap_size;
profiler.start();
app.get('/gc', () => {
  const report = profiler.stop();
  const usedNow = v8.getHeapStatistics().used_heap_size;
  let allocated = 0;
  let previous = usedAtStart;
  let costUs = 0;
  let scavenges = 0;
  for (const gc of report.statistics) {
    allocated += gc.beforeGC.heapStatistics.usedHeapSize - previous;
    previous = gc.afterGC.heapStatistics.usedHeapSize;
    costUs += gc.cost;
    if (gc.gcType === 'Scavenge') scavenges++;
  }
  allocated += usedNow - previous;
  profiler = new v8.GCProfiler();
  usedAtStart = v8.getHeapStatistics().used_heap_size;
  profiler.start();
  // the engine's counters are totals since it started: report what changed since the last /gc
  const stats = app.engine?.stats as Record<string, number> | undefined;
  const buffersAllocated = stats?.buffersAllocated ?? 0;
  const unpooledOutputs = stats?.unpooledOutputs ?? 0;
  const since = { buffersAllocated: buffersAllocated - last.buffersAllocated, unpooledOutputs: unpooledOutputs - last.unpooledOutputs };
  last = { buffersAllocated, unpooledOutputs };
  return { allocated, collections: report.statistics.length, scavenges, gcMs: costUs / 1000, outputBufferSize: stats?.outputBufferSize ?? 0, ...since };
});

const address = await app.listen({ port: Number(process.env.PORT ?? 8080), host: '127.0.0.1' });
console.log(`buffers bench listening on http://127.0.0.1:${address.port}`);
