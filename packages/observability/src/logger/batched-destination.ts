/**
 * A pino destination that gathers lines in a buffer and writes them with one system call: at the
 * end of the event-loop turn that produced them (default), when `bufferSize` bytes are waiting,
 * or every `flushInterval` ms when one is given. Under load one turn answers many requests, so
 * their lines cost one `write(2)` between them instead of one each (and no thread-pool round
 * trip: the write is synchronous, like pino's own default for stdout). Measured on this
 * project's machine: see benches/README.md "## Observability".
 *
 * The buffer holds bytes: pino's lines are encoded into it as they come, and the request line
 * is written into it directly (LineBuffer), so a line is never a string that has to be joined
 * with the others and encoded again at write time.
 *
 * Durability: a line is in the file (the kernel's page cache) once the turn that wrote it ends;
 * whatever is buffered is written on process exit and by `flush()`/`end()`. A process killed by
 * a signal it does not handle (SIGKILL, a default SIGTERM) loses the lines of its current turn
 * (or of the current interval, with `flushInterval`).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { tellEnded } from '../exchange.js';
import { atTurnEnd } from '../turn-end.js';

/**
 * Where a line is written as bytes: `room(n)` makes sure `n` more bytes fit at `at` and returns
 * the buffer; the writer fills it from `at` and calls `commit(end)`.
 */
export interface LineBuffer {
  at: number;
  room(bytes: number): Buffer;
  commit(end: number): void;
}

/** The destinations with lines that process exit must write. */
const open = new Set<BatchedDestination>();
let exitHooked = false;
function writeAllOnExit(): void {
  for (const destination of open) destination.flushSync();
}

/** For a short sleep when a non-blocking descriptor (a pipe) is full. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Room past `bufferSize` so that a line seldom has to be written apart. */
const HEADROOM = 16384;

export class BatchedDestination implements LineBuffer {
  private readonly fd: number;
  private readonly owned: boolean;
  private readonly limit: number;
  /** The bytes not written yet: buffer[0, at). */
  private buffer: Buffer;
  at = 0;
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
   * @param bufferSize bytes gathered at most before they are written
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
    this.buffer = Buffer.allocUnsafeSlow(bufferSize + HEADROOM);
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
    const most = line.length * 3; // UTF-8 bytes at most
    if (most > this.buffer.length - this.at) {
      this.flushSync();
      if (most > this.buffer.length) {
        // longer than the whole buffer: written on its own, in its place among the lines
        this.writeAll(Buffer.from(line), 0);
        return true;
      }
    }
    this.commit(this.at + this.buffer.write(line, this.at));
    return true;
  }

  room(bytes: number): Buffer {
    while (this.buffer.length - this.at < bytes) {
      if (this.at === 0 || this.closed) {
        this.buffer = Buffer.allocUnsafeSlow(Math.max(bytes, this.limit) + HEADROOM);
        this.at = 0;
      } else {
        this.flushSync();
      }
    }
    return this.buffer;
  }

  commit(end: number): void {
    if (this.closed) {
      this.at = 0;
      return;
    }
    this.at = end;
    if (end >= this.limit) this.flushSync();
    else if (!this.scheduled && this.timer === null) {
      this.scheduled = true;
      atTurnEnd(this.flushAtTurnEnd);
    }
  }

  /** Writes what is buffered now; then calls `callback` (pino's `logger.flush(cb)` calls this). */
  flush(callback?: (error?: Error) => void): void {
    this.flushSync();
    callback?.();
  }

  /** Writes what is buffered now, with the lines of the responses that ended in this turn. */
  flushSync(): void {
    tellEnded();
    if (this.at === 0 || this.closed) return;
    const end = this.at;
    this.at = 0;
    this.writeAll(this.buffer, 0, end);
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

  /** Writes data[start, end), through partial writes and a full pipe (waiting up to about a second). */
  private writeAll(data: Buffer, start: number, end = data.length): void {
    let waits = 0;
    while (start < end) {
      try {
        start += writeSync(this.fd, data, start, end - start);
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
