/**
 * A pino destination that gathers lines in a buffer and writes them with one system call: at the
 * end of the event-loop turn that produced them (default), when `bufferSize` bytes are waiting,
 * or every `flushInterval` ms when one is given. Under load one turn answers many requests, so
 * their lines cost one `write(2)` between them instead of one each (and no thread-pool round
 * trip: the write is synchronous, like pino's own default for stdout). Measured on this
 * project's machine: see benches/README.md "## Observability".
 *
 * Durability: a line is in the file (the kernel's page cache) once the turn that wrote it ends;
 * whatever is buffered is written on process exit and by `flush()`/`end()`. A process killed by
 * a signal it does not handle (SIGKILL, a default SIGTERM) loses the lines of its current turn
 * (or of the current interval, with `flushInterval`).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** The destinations with lines that process exit must write. */
const open = new Set<BatchedDestination>();
let exitHooked = false;
function writeAllOnExit(): void {
  for (const destination of open) destination.flushSync();
}

/** For a short sleep when a non-blocking descriptor (a pipe) is full. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export class BatchedDestination {
  private readonly fd: number;
  private readonly owned: boolean;
  private readonly limit: number;
  /** The lines not written yet (appending to a string is cheaper per line than copying into a Buffer). */
  private pending = '';
  /** A flush at the end of this event-loop turn is pending. */
  private scheduled = false;
  private closed = false;
  private readonly timer: NodeJS.Timeout | null;
  private readonly flushAtTurnEnd = (): void => {
    this.scheduled = false;
    this.flushSync();
  };

  /**
   * @param destination a file path (opened for appending, its directory made) or a descriptor
   * @param bufferSize characters (bytes, for ASCII lines) gathered at most before they are written
   * @param flushInterval 0: write at the end of each event-loop turn; else at most every this many ms
   */
  constructor(destination: string | number, bufferSize: number, flushInterval = 0) {
    if (typeof destination === 'number') {
      this.fd = destination;
      this.owned = false;
    } else {
      mkdirSync(dirname(destination), { recursive: true });
      this.fd = openSync(destination, 'a');
      this.owned = true;
    }
    this.limit = bufferSize;
    if (flushInterval > 0) {
      this.timer = setInterval(() => this.flushSync(), flushInterval);
      this.timer.unref();
    } else {
      this.timer = null;
    }
    open.add(this);
    if (!exitHooked) {
      exitHooked = true;
      process.on('exit', writeAllOnExit);
    }
  }

  /** Called by pino with one line. */
  write(line: string): boolean {
    if (this.closed) return false;
    this.pending += line;
    if (this.pending.length >= this.limit) this.flushSync();
    else if (!this.scheduled && this.timer === null) {
      this.scheduled = true;
      setImmediate(this.flushAtTurnEnd);
    }
    return true;
  }

  /** Writes what is buffered now; then calls `callback` (pino's `logger.flush(cb)` calls this). */
  flush(callback?: (error?: Error) => void): void {
    this.flushSync();
    callback?.();
  }

  /** Writes what is buffered now. */
  flushSync(): void {
    if (this.pending === '' || this.closed) return;
    const data = this.pending;
    this.pending = '';
    let written = 0;
    try {
      written = writeSync(this.fd, data);
      // all of it (the usual case); else a pipe took part of it
      if (written === data.length && written === Buffer.byteLength(data)) return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return lost(error);
    }
    const bytes = Buffer.from(data);
    this.writeAll(bytes, written);
  }

  /** Writes what is left and closes the file (if this destination opened it). */
  end(): void {
    if (this.closed) return;
    this.flushSync();
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    open.delete(this);
    if (this.owned) closeSync(this.fd);
  }

  /** Writes `data` from `start` on, through partial writes and a full pipe (waiting up to about a second). */
  private writeAll(data: Buffer, start: number): void {
    let waits = 0;
    while (start < data.length) {
      try {
        start += writeSync(this.fd, data, start, data.length - start);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN' && waits++ < 1000) {
          Atomics.wait(sleeper, 0, 0, 1);
          continue;
        }
        return lost(error);
      }
    }
  }
}

function lost(error: unknown): void {
  process.emitWarning(`log lines lost: ${(error as Error).message}`);
}
