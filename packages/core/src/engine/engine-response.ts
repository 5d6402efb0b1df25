import { Buffer } from 'node:buffer';
import { HttpResponse, type BodyChunk, type TakenOverConnection } from '../http/response.js';
import { dateLine } from './date.js';
import type { HeadCache } from './head-cache.js';
import type { EngineRequest } from './engine-request.js';
import { JOIN_LIMIT, type ResponseSink } from './response-sink.js';
import { statusHasNoBody, statusLine } from '../http/status.js';

const FIXED = -1; // Content-Length set by the handler, body streamed as is
const CHUNKED = -2;
const NO_LENGTH = -3; // neither: HTTP/1.0 stream delimited by closing the connection
const NO_BODY = -4; // a status that has no content (1xx, 204, 304): written chunks are dropped

function toBuffer(chunk: BodyChunk): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk);
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * A response written by the engine: frames the body (Content-Length, chunked, or until close)
 * and builds the head. Its bytes go to a ResponseSink (the connection), which writes responses
 * in request order.
 */
export class EngineResponse extends HttpResponse {
  readonly request: EngineRequest;
  private readonly sink: ResponseSink;
  /** Clock time the request was dispatched (request timeout). */
  readonly startTime: number;
  /** This response ends the connection once written. */
  closesConnection = false;
  /** The connection is gone or the response timed out: writes are ignored. See detach(). */
  detached = false;
  private framing = 0;
  /** FIXED framing: bytes still owed to the handler's Content-Length. */
  private fixedRemaining = 0;

  constructor(sink: ResponseSink, request: EngineRequest, startTime: number) {
    super();
    this.sink = sink;
    this.request = request;
    this.startTime = startTime;
  }

  end(body?: BodyChunk): void {
    if (this.finished) {
      if (this.detached) return;
      throw new Error('Response already ended');
    }
    if (this.detached) {
      this.finished = true;
      return;
    }
    const sink = this.sink;
    if (!this.headersSent) {
      const noBody = statusHasNoBody(this.status_);
      let length = 0;
      if (body !== undefined) {
        length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
        this.addBodyBytes(length);
      }
      const userLength = body === undefined && this.hasHeader('content-length');
      const head = this.head(noBody || userLength ? NO_LENGTH : length, !userLength);
      this.headersSent = true;
      if (body === undefined || length === 0 || noBody || this.request.method === 'HEAD') sink.send(this, head);
      else if (typeof body === 'string' && length === body.length) {
        // all ASCII: a short body joins its head, a long one goes apart (see JOIN_LIMIT)
        if (length <= JOIN_LIMIT && typeof head === 'string') sink.send(this, head + body);
        else {
          sink.send(this, head);
          sink.send(this, body);
        }
      } else {
        sink.send(this, head);
        sink.send(this, toBuffer(body));
      }
    } else {
      if (body !== undefined) this.write(body);
      if (this.framing === CHUNKED && this.request.method !== 'HEAD') sink.send(this, '0\r\n\r\n');
      // shorter than its Content-Length: only closing the connection tells the client (reusing
      // it would make the next response part of this body)
      else if (this.framing === FIXED && this.fixedRemaining !== 0 && this.request.method !== 'HEAD') this.closesConnection = true;
    }
    this.finished = true;
    sink.finish(this);
    this.finishedAs(false);
  }

  write(chunk: BodyChunk): boolean {
    if (this.detached) return true;
    if (this.finished) throw new Error('write() after end()');
    const sink = this.sink;
    if (!this.headersSent) {
      if (statusHasNoBody(this.status_)) this.framing = NO_BODY;
      else if (this.hasHeader('content-length')) {
        const declared = Number(this.getHeader('content-length'));
        if (!Number.isSafeInteger(declared) || declared < 0) throw new TypeError(`Invalid Content-Length "${this.getHeader('content-length')}"`);
        this.framing = FIXED;
        this.fixedRemaining = declared;
      } else if (this.request.httpVersion === '1.1') this.framing = CHUNKED;
      else {
        this.framing = NO_LENGTH;
        this.closesConnection = true;
      }
      sink.send(this, this.head(this.framing === NO_BODY ? NO_LENGTH : this.framing, false));
      this.headersSent = true;
    }
    const size = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    this.addBodyBytes(size);
    if (size === 0 || this.framing === NO_BODY || this.request.method === 'HEAD') return sink.writable(this);
    // an ASCII string chunk is handed over as it is (no Buffer made for it)
    const data = typeof chunk === 'string' && size === chunk.length ? chunk : toBuffer(chunk);
    if (this.framing === CHUNKED) {
      sink.send(this, size.toString(16) + '\r\n');
      sink.send(this, data);
      sink.send(this, '\r\n');
    } else {
      if (this.framing === FIXED) {
        if (size > this.fixedRemaining) throw new RangeError(`Response body is longer than its Content-Length (${size} bytes written, ${this.fixedRemaining} left)`);
        this.fixedRemaining -= size;
      }
      sink.send(this, data);
    }
    return sink.writable(this);
  }

  drained(): Promise<void> {
    return this.sink.drained(this);
  }

  /**
   * The connection is gone or the response timed out: the response counts as finished, so
   * streams (send()) stop pulling from their source, and later writes and end() are ignored.
   */
  detach(): void {
    this.detached = true;
    this.finished = true;
    this.transportClosed();
    this.finishedAs(true); // a response already ended was told then
  }

  override takeOver(): TakenOverConnection | null {
    if (!this.request.upgrade || this.headersSent || this.finished) return null;
    const taken = this.sink.takeOver(this);
    if (taken === null) return null;
    this.headersSent = true;
    this.finished = true;
    this.detached = true;
    this.finishedAs(false);
    return taken;
  }

  abort(error?: unknown): void {
    if (error !== undefined) this.sink.reportError(error);
    this.finished = true;
    this.sink.destroy();
    this.finishedAs(true);
  }

  /**
   * Builds the status line and header block. `length` ≥ 0 adds Content-Length; FIXED keeps the
   * handler's; CHUNKED adds Transfer-Encoding; NO_LENGTH adds neither.
   */
  private head(length: number, dropUserLength: boolean): string | Buffer {
    const h = this.headText(length, dropUserLength);
    return this.nonAsciiHeaders ? Buffer.from(h, 'utf8') : h;
  }

  private headText(length: number, dropUserLength: boolean): string {
    const sink = this.sink;
    const heads = sink.heads;
    const date = dateLine();
    let h = length >= 0 ? heads.prefixFor(this.status_, this.fields, length, date) : null;
    const cached = h !== null;
    if (h === null) h = this.headPrefix(length, dropUserLength, date, heads);
    if (sink.decideClose(this)) {
      this.closesConnection = true;
      return h + 'Connection: close\r\n\r\n';
    }
    if (this.request.httpVersion === '1.0') return h + 'Connection: keep-alive\r\n' + sink.keepAliveLine + '\r\n';
    return cached ? heads.keepAliveHeadFor(sink.keepAliveLine) : h + sink.keepAliveLine + '\r\n';
  }

  /**
   * Status line, fields, framing, Server and Date lines. Kept in the server's HeadCache when it
   * has a Content-Length and no field the engine rewrites, for the next response like this one.
   */
  private headPrefix(length: number, dropUserLength: boolean, date: string, heads: HeadCache): string {
    let h = statusLine(this.status_);
    let userDate = false;
    let userServer = false;
    let rewritten = false;
    const f = this.fields;
    for (let i = 0; i < f.length; i += 3) {
      const key = f[i]!;
      switch (key) {
        case 'content-length':
          rewritten = true;
          if (dropUserLength) continue;
          break;
        case 'transfer-encoding':
          rewritten = true;
          continue; // framing is the engine's job
        case 'connection':
          rewritten = true;
          if (f[i + 2]!.toLowerCase().includes('close')) this.closesConnection = true;
          continue;
        case 'date':
          rewritten = userDate = true;
          break;
        case 'server':
          rewritten = userServer = true;
          break;
      }
      h += f[i + 1] + ': ' + f[i + 2] + '\r\n';
    }
    if (length >= 0) h += 'Content-Length: ' + length + '\r\n';
    else if (length === CHUNKED) h += 'Transfer-Encoding: chunked\r\n';
    if (!userServer) h += this.sink.serverLine;
    if (!userDate) h += date;
    if (length >= 0 && !rewritten) heads.store(this.status_, f, length, date, h);
    return h;
  }
}
