/**
 * The request body every transport delivers: chunks with backpressure, and the readers that
 * enforce a size limit (on the decoded size when a content coding is undone).
 */
import { Buffer } from 'node:buffer';
import { pipeline, Readable, type Transform } from 'node:stream';
import type { ContentCoding } from './content-coding.js';
import { BadRequestException, PayloadTooLargeException } from './errors.js';

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
const NO_CODINGS: readonly ContentCoding[] = [];

/** The 413 of every body reader. */
export function bodyTooLarge(limit: number): PayloadTooLargeException {
  return new PayloadTooLargeException(`Request body is larger than the limit of ${limit} bytes`);
}

/**
 * Checks a body limit given as an option (`bodyLimit`, a reader's `limit`): a number of bytes
 * ≥ 0 (Infinity allowed), or undefined. Throws a TypeError naming `what` otherwise.
 */
export function checkBodyLimit(value: unknown, what: string): number | undefined {
  if (value === undefined || (typeof value === 'number' && value >= 0)) return value;
  throw new TypeError(`${what} must be a number of bytes ≥ 0, got ${String(value)}`);
}

/**
 * A request body: an async iterable of chunks with backpressure (the source is paused while more
 * than 64 KiB wait unread), plus readers for bytes, text and JSON that enforce a size limit and
 * stop buffering the moment it is passed. The chunks are the content as sent; `bytes()` and
 * `stream()` undo content codings when given them (the checked readers of the app's context do
 * so from `Content-Encoding`).
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
      this.fail(bodyTooLarge(this.limit));
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

  /**
   * The body as a Node Readable stream: decoded by `codings` (in the order `requestCodings()`
   * gives), failing with 413 once more than `limit` (decoded) bytes have come.
   */
  stream(limit: number = this.limit, codings: readonly ContentCoding[] = NO_CODINGS): Readable {
    if (codings.length === 0 && limit >= this.limit) return Readable.from(this, { objectMode: false });
    if (codings.length === 0 && this.length > limit) {
      this.discard();
      throw bodyTooLarge(limit);
    }
    return Readable.from(this.chunksWithin(limit, codings), { objectMode: false });
  }

  /**
   * The whole body as bytes, decoded by `codings` (in the order `requestCodings()` gives); 413
   * once it is larger than `limit` (default: the body limit), measured after decoding: a
   * decoder is stopped the moment its output passes the limit. Corrupt coded content → 400.
   */
  async bytes(limit: number = this.limit, codings: readonly ContentCoding[] = NO_CODINGS): Promise<Buffer> {
    if (codings.length === 0) {
      if (this.length > limit) {
        this.discard();
        throw bodyTooLarge(limit);
      }
      if (this.ended && this.failure === null && this.chunks.length <= 1) {
        this.begin();
        const only = this.chunks.length === 1 ? this.chunks[0]! : EMPTY;
        this.chunks = [];
        this.buffered = 0;
        return only;
      }
    }
    const parts: Buffer[] = [];
    let total = 0;
    for await (const chunk of this.chunksWithin(limit, codings)) {
      total += chunk.length;
      parts.push(chunk);
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
  }

  /** The chunks, decoded by `codings`, with the limit enforced on what comes out. */
  private async *chunksWithin(limit: number, codings: readonly ContentCoding[]): AsyncGenerator<Buffer> {
    const source = codings.length === 0 ? this : this.decoded(codings);
    let total = 0;
    for await (const chunk of source) {
      total += chunk.length;
      if (total > limit) {
        this.discard();
        throw bodyTooLarge(limit);
      }
      yield chunk;
    }
  }

  /**
   * The chunks run through the decoders. Leaving the loop early (the limit was passed, the
   * reader went away) destroys the decoders at once, so no more is inflated than was read.
   */
  private async *decoded(codings: readonly ContentCoding[]): AsyncGenerator<Buffer> {
    let sourceError: unknown = null;
    const raw = async function* (body: RequestBody): AsyncGenerator<Buffer> {
      try {
        yield* body;
      } catch (error) {
        sourceError = error;
        throw error;
      }
    };
    const decoders = codings.map((c) => c.createDecoder());
    const output = pipeline([Readable.from(raw(this), { objectMode: false }), ...decoders], () => {}) as Transform;
    try {
      for await (const chunk of output) yield chunk as Buffer;
    } catch (error) {
      this.discard();
      if (sourceError !== null) throw sourceError;
      const names = codings.map((c) => c.name).join(', ');
      throw new BadRequestException(`Request body is not valid ${names} content`, { cause: error });
    } finally {
      for (const d of decoders) d.destroy();
    }
  }

  /** The whole body decoded as UTF-8. */
  async text(limit?: number): Promise<string> {
    return (await this.bytes(limit)).toString('utf8');
  }

  /** The whole body parsed as JSON (see `parseJsonBody`). */
  async json<T = unknown>(limit?: number): Promise<T> {
    return parseJsonBody((await this.bytes(limit)).toString('utf8')) as T;
  }
}

/**
 * Parses a JSON request body (a leading byte-order mark is dropped). Empty or malformed → 400
 * whose message says what the parser found wrong, without quoting the content.
 */
export function parseJsonBody(text: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length === 0) throw new BadRequestException('Request body is empty; expected JSON');
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 quotes the input in "Unexpected token 'x', "…" is not valid JSON": say less
    const message = (error as Error).message;
    throw new BadRequestException(`Malformed JSON in request body: ${message.includes('is not valid JSON') ? 'unexpected character' : message}`);
  }
}
