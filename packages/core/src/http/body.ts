import { Buffer } from 'node:buffer';
import { Readable } from 'node:stream';
import { HttpError } from './errors.js';

/** What a body tells its source: pause or resume delivery, and that a reader started. */
export interface BodySource {
  pause(): void;
  resume(): void;
  /** Called once, when a reader first asks for data (sends `100 Continue` where expected). */
  start(): void;
}

const HIGH_WATER = 64 * 1024;
const NO_SOURCE: BodySource = { pause() {}, resume() {}, start() {} };
const EMPTY = Buffer.alloc(0);

/**
 * A request body: an async iterable of chunks with backpressure (the source is paused while more
 * than 64 KiB wait unread), plus readers for bytes, text and JSON that enforce a size limit and
 * stop buffering the moment it is passed.
 */
export class RequestBody implements AsyncIterable<Buffer> {
  /** Declared length (Content-Length), or -1 when unknown (chunked) . */
  readonly length: number;
  private readonly limit: number;
  private readonly source: BodySource;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private received = 0;
  private ended: boolean;
  private failure: Error | null = null;
  private waiter: (() => void) | null = null;
  private paused = false;
  private started = false;
  private discarding = false;

  constructor(length: number, limit: number, source: BodySource = NO_SOURCE) {
    this.length = length;
    this.limit = limit;
    this.source = source;
    this.ended = length === 0;
  }

  /** An already complete body (adapters, inject). */
  static from(data: Uint8Array | string | undefined, limit = Infinity): RequestBody {
    const buf = data === undefined ? EMPTY : typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const body = new RequestBody(buf.length, limit);
    if (buf.length > 0) body.push(buf);
    body.end();
    return body;
  }

  /** True once all content has arrived (or there was none). */
  get complete(): boolean { return this.ended; }
  /** True once a reader has asked for data. */
  get used(): boolean { return this.started; }

  // ---- source side -------------------------------------------------------------------------

  /** Delivers a chunk. Returns false when the source should pause. */
  push(chunk: Buffer): boolean {
    this.received += chunk.length;
    if (this.discarding || this.failure !== null) return true;
    if (this.received > this.limit) {
      this.fail(new HttpError(413, `Request body is larger than the limit of ${this.limit} bytes`));
      return true;
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.wake();
    if (this.buffered > HIGH_WATER && !this.paused) {
      this.paused = true;
      this.source.pause();
      return false;
    }
    return true;
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  /** Ends the body with an error; buffered data is dropped and readers reject with it. */
  fail(error: Error): void {
    if (this.failure !== null) return;
    this.failure = error;
    this.dropBuffered();
    this.wake();
  }

  /** Drops everything unread and what is still to come (the response was sent without reading). */
  discard(): void {
    this.discarding = true;
    this.dropBuffered();
  }

  private dropBuffered(): void {
    this.chunks = [];
    this.buffered = 0;
    if (this.paused) {
      this.paused = false;
      this.source.resume();
    }
  }

  private wake(): void {
    const w = this.waiter;
    if (w !== null) {
      this.waiter = null;
      w();
    }
  }

  // ---- reader side -------------------------------------------------------------------------

  private begin(): void {
    if (!this.started) {
      this.started = true;
      if (!this.ended) this.source.start();
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    this.begin();
    for (;;) {
      if (this.failure !== null) throw this.failure;
      if (this.chunks.length > 0) {
        const chunk = this.chunks.shift()!;
        this.buffered -= chunk.length;
        if (this.paused && this.buffered <= HIGH_WATER / 2) {
          this.paused = false;
          this.source.resume();
        }
        yield chunk;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => { this.waiter = resolve; });
    }
  }

  /** The body as a Node Readable stream. */
  stream(): Readable {
    return Readable.from(this, { objectMode: false });
  }

  /** The whole body as bytes; 413 when it is larger than `limit` (default: the body limit). */
  async bytes(limit: number = this.limit): Promise<Buffer> {
    if (this.length > limit) {
      this.discard();
      throw new HttpError(413, `Request body is larger than the limit of ${limit} bytes`);
    }
    if (this.ended && this.failure === null && this.chunks.length <= 1) {
      this.begin();
      const only = this.chunks.length === 1 ? this.chunks[0]! : EMPTY;
      this.chunks = [];
      this.buffered = 0;
      return only;
    }
    const parts: Buffer[] = [];
    let total = 0;
    for await (const chunk of this) {
      total += chunk.length;
      if (total > limit) {
        this.discard();
        throw new HttpError(413, `Request body is larger than the limit of ${limit} bytes`);
      }
      parts.push(chunk);
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
  }

  /** The whole body decoded as UTF-8. */
  async text(limit?: number): Promise<string> {
    return (await this.bytes(limit)).toString('utf8');
  }

  /** The whole body parsed as JSON; malformed JSON → 400 with the parser's message. */
  async json<T = unknown>(limit?: number): Promise<T> {
    const text = await this.text(limit);
    if (text.length === 0) throw new HttpError(400, 'Request body is empty; expected JSON');
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new HttpError(400, `Malformed JSON in request body: ${(error as Error).message}`);
    }
  }
}
