/**
 * Compression of one response. The middleware puts this between the response and whatever
 * writes to it (the reply, an error answer, an event stream, a streamed download): the
 * response's `write`, `end`, `drained` and `abort` are replaced on that one object, so every
 * byte the app produces after the middleware ran passes here, whoever holds the response.
 *
 * The decision is made when the head is about to go out (first write, or end): by then status,
 * Content-Type, Cache-Control and the rest are final. A complete body (end with no write before)
 * is compressed in one shot — on the calling thread when small, on zlib's thread pool when
 * large — optionally through the cache. A streamed body goes through a zlib stream whose output
 * is written as it comes; backpressure runs from the transport through the stream to the
 * producer, and event streams are flushed per write so each event leaves at once.
 */
import { Buffer } from 'node:buffer';
import type { Transform } from 'node:stream';
import type { BodyChunk, HttpRequest, HttpResponse } from '@armature/core/http';
import { encoderFor, type Encoder } from './codings.js';
import type { Settings } from './settings.js';

const EMPTY = Buffer.alloc(0);

const kEncoding = Symbol('armature.compression');

type Patched = HttpResponse & { [kEncoding]?: ResponseEncoding };

const enum Mode {
  /** Head not sent yet: nothing decided. */
  Undecided,
  /** Sent as it is. */
  Plain,
  /** Streamed through a zlib stream. */
  Stream,
  /** A complete body is being compressed on the thread pool. */
  Pending,
}

/** Statuses that carry no content (RFC 9110 §6.4.1). */
function noContent(status: number): boolean {
  return status < 200 || status === 204 || status === 304;
}

/** True when a Cache-Control value has the `no-transform` directive. */
function noTransform(value: string | undefined): boolean {
  if (value === undefined) return false;
  return /(?:^|[,\s])no-transform\s*(?:$|[,;=])/i.test(value);
}

/** The compression state of one response. */
export class ResponseEncoding {
  settings: Settings;
  private readonly req: HttpRequest;
  private readonly res: HttpResponse;
  private readonly report: (error: unknown) => void;
  private readonly rawEnd: (body?: BodyChunk) => void;
  private readonly rawWrite: (chunk: BodyChunk) => boolean;
  private readonly rawDrained: () => Promise<void>;
  private readonly rawAbort: (error?: unknown) => void;
  private mode = Mode.Undecided;
  /** A call into the transport is under way: its own calls to write/end go straight through. */
  private passing = false;
  private stream: Transform | null = null;
  private encoder: Encoder | null = null;
  private flushEach = false;
  /** The transport asked to wait: the zlib stream is paused until it drains. */
  private blocked = false;
  private gone = false;
  private unwatch: (() => void) | null = null;

  constructor(req: HttpRequest, res: HttpResponse, settings: Settings, report: (error: unknown) => void) {
    this.req = req;
    this.res = res;
    this.settings = settings;
    this.report = report;
    this.rawEnd = res.end;
    this.rawWrite = res.write;
    this.rawDrained = res.drained;
    this.rawAbort = res.abort;
  }

  /** Puts compression between `res` and its writers; a second call (route level) replaces the settings. */
  static install(req: HttpRequest, res: HttpResponse, settings: Settings, report: (error: unknown) => void): void {
    const patched = res as Patched;
    const existing = patched[kEncoding];
    if (existing !== undefined) {
      existing.settings = settings;
      return;
    }
    patched[kEncoding] = new ResponseEncoding(req, res, settings, report);
    res.end = patchedEnd;
    res.write = patchedWrite;
    res.drained = patchedDrained;
    res.abort = patchedAbort;
  }

  /** The encoding state of a response the middleware handles, if any. */
  static of(res: HttpResponse): ResponseEncoding | undefined {
    return (res as Patched)[kEncoding];
  }

  end(body?: BodyChunk): void {
    if (this.passing) return this.rawEnd.call(this.res, body);
    switch (this.mode) {
      case Mode.Undecided:
        if (this.res.headersSent || this.res.finished) break; // let the transport say what is wrong
        return this.endWhole(body);
      case Mode.Stream:
        if (this.res.finished) throw new Error('Response already ended');
        this.res.finished = true;
        if (this.gone) return;
        if (body !== undefined) this.stream!.write(body);
        this.stream!.end();
        return;
      case Mode.Pending:
        throw new Error('Response already ended');
    }
    this.pass(body);
  }

  write(chunk: BodyChunk): boolean {
    if (this.passing) return this.rawWrite.call(this.res, chunk);
    if (this.mode === Mode.Undecided && !this.res.headersSent && !this.res.finished) this.startStream();
    if (this.mode !== Mode.Stream) return this.rawWrite.call(this.res, chunk);
    const stream = this.stream!;
    if (this.gone || stream.destroyed) return true; // the client went away: dropped, as the transport does
    if (this.res.finished) throw new Error('write() after end()');
    const more = stream.write(chunk);
    if (this.flushEach) (stream as unknown as { flush(kind: number): void }).flush(this.encoder!.flushKind);
    return more && !this.blocked;
  }

  drained(): Promise<void> {
    if (this.mode !== Mode.Stream) return this.rawDrained.call(this.res);
    const stream = this.stream!;
    if (this.gone || stream.destroyed) return Promise.resolve();
    if (!stream.writableNeedDrain && !this.blocked) return Promise.resolve();
    if (!stream.writableNeedDrain) return this.rawDrained.call(this.res);
    return new Promise((resolve) => {
      const done = (): void => {
        stream.off('drain', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('close', done);
    });
  }

  abort(error?: unknown): void {
    this.stop();
    this.rawAbort.call(this.res, error);
  }

  // ---- decisions ------------------------------------------------------------------------------

  /**
   * The coding for this response, or null to send it as it is; sets the header fields that go
   * with the answer (Content-Encoding, Vary, ETag, Content-Length). `length`: the body's size
   * when known, else -1.
   */
  private choose(length: number): Encoder | null {
    const res = this.res;
    const s = this.settings;
    if (!s.enabled || noContent(res.statusCode)) return null;
    if (res.statusCode === 206 || res.hasHeader('content-range')) return null;
    const existing = res.getHeader('content-encoding');
    if (existing !== undefined && existing.toLowerCase() !== 'identity') return null;
    if (!s.filter(res.getHeader('content-type'))) return null;
    // from here the answer depends on Accept-Encoding: caches must know
    this.addVary();
    if (this.req.method === 'HEAD') return null;
    if (noTransform(res.getHeader('cache-control'))) return null;
    const negotiated = s.negotiator.negotiate(this.req.headers.get('accept-encoding'));
    const coding = negotiated.coding;
    if (coding === null) return null;
    // below the threshold a plain body is smaller or not worth the CPU — unless plain is refused
    if (length >= 0 && length < s.threshold && negotiated.identity) return null;
    res.setHeader('Content-Encoding', coding);
    res.removeHeader('content-length');
    const etag = res.getHeader('etag');
    if (etag !== undefined && !etag.startsWith('W/')) res.setHeader('ETag', 'W/' + etag);
    return encoderFor(coding, s.levels[coding]);
  }

  private addVary(): void {
    const res = this.res;
    const vary = res.getHeader('vary');
    if (vary === undefined) {
      res.appendHeader('Vary', 'Accept-Encoding');
      return;
    }
    if (vary === '*' || /(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary)) return;
    res.setHeader('Vary', vary + ', Accept-Encoding');
  }

  // ---- a complete body ------------------------------------------------------------------------

  private endWhole(body: BodyChunk | undefined): void {
    if (body === undefined) {
      this.mode = Mode.Plain;
      return this.pass(undefined);
    }
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    const encoder = length === 0 ? null : this.choose(length);
    if (encoder === null) {
      this.mode = Mode.Plain;
      return this.pass(body);
    }
    const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const s = this.settings;
    const cache = s.cache;
    const key = cache === null ? '' : cache.key(bytes, encoder);
    if (cache !== null) {
      const hit = cache.get(key);
      if (hit !== undefined) {
        this.mode = Mode.Plain;
        return this.pass(hit);
      }
    }
    if (length <= s.syncLimit) {
      let out: Buffer;
      try {
        out = encoder.sync(bytes);
      } catch (error) {
        this.report(error);
        this.undoEncoding();
        this.mode = Mode.Plain;
        return this.pass(body);
      }
      if (cache !== null) cache.set(key, out);
      this.mode = Mode.Plain;
      return this.pass(out);
    }
    // large: off the event loop
    this.mode = Mode.Pending;
    this.res.finished = true;
    this.watch();
    encoder.async(bytes, (error, out) => {
      this.mode = Mode.Plain;
      this.unwatchClose();
      if (this.gone) return;
      if (error !== null) {
        this.report(error);
        this.undoEncoding();
        return this.finish(bytes);
      }
      if (cache !== null) cache.set(key, out);
      this.finish(out);
    });
  }

  /** Compression failed before anything was sent: send the body as it is. */
  private undoEncoding(): void {
    this.res.removeHeader('content-encoding');
  }

  // ---- a streamed body ------------------------------------------------------------------------

  private startStream(): void {
    const declared = Number(this.res.getHeader('content-length') ?? -1);
    const encoder = this.choose(Number.isSafeInteger(declared) && declared >= 0 ? declared : -1);
    if (encoder === null) {
      this.mode = Mode.Plain;
      return;
    }
    this.mode = Mode.Stream;
    this.encoder = encoder;
    const flush = this.settings.flush;
    this.flushEach = flush === true || (flush === 'auto' && streamsMessages(this.res.getHeader('content-type')));
    const stream = encoder.stream();
    this.stream = stream;
    stream.on('data', (out: Buffer) => this.output(out));
    stream.once('end', () => {
      this.unwatchClose();
      if (!this.gone) this.finish(undefined);
    });
    stream.on('error', (error: Error) => {
      if (this.gone) return;
      this.report(error);
      this.stop();
      this.rawAbort.call(this.res);
    });
    this.watch();
    // the head goes out now, as it would without compression: writers see headersSent, and a
    // client of an event stream sees it open before the first compressed block
    this.passing = true;
    try {
      this.rawWrite.call(this.res, EMPTY);
    } finally {
      this.passing = false;
    }
  }

  /** Compressed bytes out of the stream, to the transport; pauses the stream while it is full. */
  private output(out: Buffer): void {
    if (this.gone) return;
    const res = this.res;
    // after end() the response counts as finished for its writers; the tail still has to go out
    const ended = res.finished;
    let more: boolean;
    this.passing = true;
    res.finished = false;
    try {
      more = this.rawWrite.call(res, out);
    } catch (error) {
      this.report(error);
      this.stop();
      return;
    } finally {
      this.passing = false;
      if (!res.finished) res.finished = ended;
    }
    if (more || this.blocked) return;
    this.blocked = true;
    const stream = this.stream!;
    stream.pause();
    this.rawDrained.call(this.res).then(() => {
      this.blocked = false;
      if (!stream.destroyed) stream.resume();
    }, () => this.stop());
  }

  // ---- endings --------------------------------------------------------------------------------

  /** Hands the end of the response to the transport (finished is its to set). */
  private finish(body: BodyChunk | undefined): void {
    this.res.finished = false;
    this.pass(body);
  }

  private pass(body: BodyChunk | undefined): void {
    this.passing = true;
    try {
      this.rawEnd.call(this.res, body);
    } finally {
      this.passing = false;
    }
  }

  /** Destroys the zlib stream when the client goes away mid-response. */
  private watch(): void {
    this.unwatch = this.res.onClose(() => {
      this.unwatch = null;
      this.stop();
    });
  }

  private unwatchClose(): void {
    if (this.unwatch !== null) {
      this.unwatch();
      this.unwatch = null;
    }
  }

  /**
   * No more output: the zlib stream (if any) is destroyed, its memory released, and the
   * response counts as finished so that producers (send(), event streams) stop.
   */
  private stop(): void {
    this.gone = true;
    this.res.finished = true;
    this.unwatchClose();
    const stream = this.stream;
    if (stream !== null && !stream.destroyed) stream.destroy();
  }

  /** @internal For tests: the zlib stream of a streamed response. */
  get zlibStream(): Transform | null {
    return this.stream;
  }
}

/** Types whose writes are messages a client waits for: flushed one by one. */
function streamsMessages(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const t = contentType.toLowerCase();
  return t.startsWith('text/event-stream') || t.startsWith('application/x-ndjson') || t.startsWith('application/jsonl');
}

function patchedEnd(this: HttpResponse, body?: BodyChunk): void {
  (this as Patched)[kEncoding]!.end(body);
}

function patchedWrite(this: HttpResponse, chunk: BodyChunk): boolean {
  return (this as Patched)[kEncoding]!.write(chunk);
}

function patchedDrained(this: HttpResponse): Promise<void> {
  return (this as Patched)[kEncoding]!.drained();
}

function patchedAbort(this: HttpResponse, error?: unknown): void {
  (this as Patched)[kEncoding]!.abort(error);
}
