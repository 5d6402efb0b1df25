// An in-memory stand-in for a net.Socket, enough for the engine's Connection: the micro
// benchmarks feed it request bytes with emit('data', buf) and count what it is asked to write.
import { EventEmitter } from 'node:events';

export class MemorySocket extends EventEmitter {
  constructor() {
    super();
    this.bytes = 0;
    this.writes = 0;
    this.last = '';
    this.writableLength = 0;
    this.writableEnded = false;
    this.remoteAddress = '127.0.0.1';
  }
  setNoDelay() {}
  cork() {}
  uncork() {}
  pause() {}
  resume() {}
  isPaused() { return false; }
  write(data) { this.bytes += data.length; this.writes++; this.last = data; return true; }
  end() { this.writableEnded = true; }
  destroy() {}
}

/**
 * Per-request cost of `handle` (an engine handler, e.g. `app.handle`) without the kernel: `batch`
 * (`perBatch` pipelined requests) is fed to a Connection over a MemorySocket `iterations` times
 * per sample, waiting after each batch with `settle` (async answers finish and are flushed: the
 * same for every variant). `clock: 'cpu'` counts this process's CPU time (steadier on a busy
 * machine), `'wall'` elapsed time. Checks that the last answer contains `expect`. Returns ns per
 * request, the median of `samples`.
 */
export async function nsPerRequest(handle, { batch, perBatch, expect, iterations, samples, settle, clock }) {
  // the built engine (npm run build first), loaded here so that MemorySocket alone needs no build
  const { EngineServer } = await import('../../packages/core/dist/engine/server.js');
  const { Connection } = await import('../../packages/core/dist/engine/connection.js');
  const server = new EngineServer(handle, {});
  const socket = new MemorySocket();
  new Connection(server, socket, false);
  const out = [];
  for (let s = 0; s < samples; s++) {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) {
      socket.emit('data', batch);
      await settle();
    }
    if (clock === 'cpu') {
      const used = process.cpuUsage(cpu0);
      out.push(((used.user + used.system) * 1000) / (iterations * perBatch));
    } else {
      await new Promise((r) => setImmediate(r));
      out.push(Number(process.hrtime.bigint() - t0) / (iterations * perBatch));
    }
  }
  if (!String(socket.last).includes(expect)) throw new Error(`unexpected answer: ${String(socket.last).slice(0, 200)}`);
  out.sort((a, b) => a - b);
  return out[out.length >> 1];
}
