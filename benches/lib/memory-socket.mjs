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
