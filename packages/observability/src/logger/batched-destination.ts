/**
 * A pino destination that gathers lines and writes them in batches: one system call per
 * `bufferSize` bytes instead of one per line. Measured on this project's machine: about 0.3 µs
 * per line against 1.4–2.5 µs through pino.destination (sonic-boom), with or without its own
 * `minLength` (benches/observability). Lines wait at most `flushInterval` ms, and whatever is
 * buffered is written synchronously on process exit; a process killed with SIGKILL loses at
 * most one interval of lines.
 */
import { closeSync, mkdirSync, openSync, write, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export class BatchedDestination {
  private readonly fd: number;
  private readonly owned: boolean;
  private readonly limit: number;
  private parts: string[] = [];
  private size = 0;
  private writing = false;
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  private readonly onExit = (): void => this.flushSync();

  constructor(destination: string | number, bufferSize: number, flushInterval: number) {
    if (typeof destination === 'number') {
      this.fd = destination;
      this.owned = false;
    } else {
      mkdirSync(dirname(destination), { recursive: true });
      this.fd = openSync(destination, 'a');
      this.owned = true;
    }
    this.limit = bufferSize;
    this.timer = setInterval(() => this.flush(), flushInterval);
    this.timer.unref();
    process.on('exit', this.onExit);
  }

  /** Called by pino with one line. */
  write(line: string): void {
    if (this.closed) return;
    this.parts.push(line);
    this.size += line.length;
    if (this.size < this.limit) return;
    // the disk is slower than the lines come: write synchronously rather than buffer without bound
    if (this.writing) {
      if (this.size >= this.limit * 8) this.flushSync();
      return;
    }
    this.flush();
  }

  /** Writes what is buffered (asynchronously). */
  flush(): void {
    if (this.size === 0 || this.writing || this.closed) return;
    const data = this.take();
    this.writing = true;
    write(this.fd, data, (error) => {
      this.writing = false;
      if (error !== null) process.emitWarning(`log lines lost: ${error.message}`);
      else if (this.size >= this.limit) this.flush();
    });
  }

  /** Writes what is buffered now (on exit, and when the buffer is far over its size). */
  flushSync(): void {
    if (this.size === 0 || this.closed) return;
    try {
      writeSync(this.fd, this.take());
    } catch (error) {
      process.emitWarning(`log lines lost: ${(error as Error).message}`);
    }
  }

  /** Writes what is left and closes the file (if this destination opened it). */
  end(): void {
    this.flushSync();
    this.closed = true;
    clearInterval(this.timer);
    process.removeListener('exit', this.onExit);
    if (this.owned) closeSync(this.fd);
  }

  private take(): string {
    const data = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [];
    this.size = 0;
    return data;
  }
}
