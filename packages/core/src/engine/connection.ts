import { Buffer } from 'node:buffer';
import { nextTick } from 'node:process';
import type { Socket } from 'node:net';
import { RequestBody, type BodySource } from '../http/body.js';
import { HttpError } from '../http/errors.js';
import { prepareErrorResponse, sendProblem } from '../http/problem.js';
import { ChunkedDecoder } from './chunked.js';
import { ParseError } from './errors.js';
import { parseHeadAt, reusableHead, scanRequestLine, type ParsedHead } from './parser.js';
import { EngineRequest } from './engine-request.js';
import { EngineResponse } from './engine-response.js';
import { JOIN_LIMIT, type ResponseSink } from './response-sink.js';
import type { TakenOverConnection } from '../http/response.js';
import type { EngineServer } from './server.js';
import { refusal } from './refusal.js';
import type { HeadCache } from './head-cache.js';

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';
/** Pipelined requests in flight before the connection stops reading. */
const MAX_PIPELINE = 32;
const HIGH_WATER = 64 * 1024;
const EMPTY_BODY = new RequestBody(0, 0);
/** Every connection parses into this one: a head is read (dispatched) before the next is parsed. */
const HEAD = reusableHead();
/** Empty lines tolerated before a request line (RFC 9112 §2.2 asks for at least one). */
const MAX_EMPTY_LINES = 8;
/** Buffers up to this size are copied into a pooled output buffer; larger ones are written as they are. */
const COPY_LIMIT = 16 * 1024;

const enum State { Head, FixedBody, ChunkedBody }

/** Bytes a response produced before its turn to be written. */
interface HeldOutput {
  parts: Array<string | Buffer>;
  bytes: number;
}

type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string; latin1Write(s: string, offset: number): number };
/** buf.toString('latin1', start, end) without its argument checks (Buffer's own fast method). */
const latin1 = (buf: Buffer, start: number, end: number): string => (buf as Latin1Buffer).latin1Slice(start, end);

/**
 * Connections whose answers to this turn's input wait to be written: at the end of the
 * event-loop turn (one setImmediate for all), every such connection writes what it has, one
 * write each as before. The answers of a turn then leave together, so a client on the same
 * machine, or a proxy in front, is woken once per turn rather than once per answer (each wake-up
 * costs the writer kernel time: measured in benches/README.md "Observability"). A turn that
 * reads one request writes at once after it (the check phase follows the poll phase).
 */
const writeAtTurnEnd: Connection[] = [];
let turnWriteQueued = false;

function writeTurn(): void {
  turnWriteQueued = false;
  for (let i = 0; i < writeAtTurnEnd.length; i++) writeAtTurnEnd[i]!.turnEnded();
  writeAtTurnEnd.length = 0;
}

/**
 * An empty response queue with room for one response: a connection holds one at a time unless
 * its client pipelines, and a push onto [] would reserve 17 slots (about 100 bytes more for every
 * idle connection).
 */
function newQueue(): EngineResponse[] {
  const queue: Array<EngineResponse | null> = [null];
  queue.pop();
  return queue as EngineResponse[];
}

/** Where a socket keeps its connection, for the shared listeners below (undefined once taken over). */
const kConnection = Symbol('armature.connection');
type OwnedSocket = Socket & { [kConnection]?: Connection };

function onSocketData(this: OwnedSocket, chunk: Buffer): void {
  this[kConnection]!.onData(chunk);
}
function onSocketEnd(this: OwnedSocket): void {
  this[kConnection]!.onEnd();
}
function onSocketDrain(this: OwnedSocket): void {
  this[kConnection]!.onDrain();
}
function onSocketError(this: OwnedSocket): void {
  this[kConnection]!.destroy();
}
function onSocketClose(this: OwnedSocket): void {
  this[kConnection]!.onClose();
}

/**
 * One client connection: parses requests from the socket, dispatches them to the handler, and
 * writes their responses strictly in request order. Output produced while a batch of pipelined
 * requests is handled is coalesced into one write.
 */
export class Connection implements BodySource, ResponseSink {
  readonly socket: Socket;
  private readonly server: EngineServer;
  private readonly secure: boolean;
  readonly serverLine: string;
  private buf: Buffer | null = null;
  /**
   * The pooled buffer a head arriving in pieces is gathered in (`buf` is then a view of it), or
   * null. Given back to the pool once nothing refers to it.
   */
  private headBuf: Buffer | null = null;
  private state = State.Head;
  private body: RequestBody = EMPTY_BODY;
  private bodyRes: EngineResponse | null = null;
  private remaining = 0;
  private decoder: ChunkedDecoder | null = null;
  /** Responses in request order; the first is the one being written. */
  private queue: EngineResponse[] = newQueue();
  /** Output of responses that are not first in line, held back until their turn. */
  private held: Map<EngineResponse, HeldOutput> | null = null;
  private outStr = '';
  private outParts: Array<string | Buffer> | null = null;
  private outBytes = 0;
  private flushScheduled = false;
  /** In writeAtTurnEnd: what this turn's input produced is written at the end of the turn. */
  private turnWrite = false;
  private inBatch = false;
  private parsing = false;
  private requests = 0;
  /**
   * Clock time the header timer started, or 0: the first byte after the last response (an
   * empty line counts), or the end of that response for bytes that came before it.
   */
  private headStart = 0;
  /** Empty lines skipped since the last request line. */
  private emptyLines = 0;
  /** The request line of the head still arriving has been checked. */
  private lineChecked = false;
  /** Bytes of that head known to hold no CR or LF (its request line has not ended there). */
  private lineScanned = 0;
  lastActive: number;
  /** No further requests are read (a close is on its way). */
  private stopped = false;
  private ending = false;
  private readEnded = false;
  private bodyPaused = false;
  /** Reading paused: too many requests in flight, or too much output unsent (outputBudget). */
  private dispatchPaused = false;
  /** Bytes held back in `held`. */
  private heldTotal = 0;
  /** Clock time the socket's unsent output was last seen not to progress (send timeout), or 0. */
  private stallSince = 0;
  /** The socket's unsent bytes at the last sweep. */
  private lastUnsent = 0;
  private continueFor: EngineResponse | null = null;
  /** An upgrade request in flight: reading is paused, its later bytes kept for takeOver(). */
  private upgradeRes: EngineResponse | null = null;
  /** A canned error answer to send once the responses before it are written. */
  private errorWire: string | null = null;
  /** Responses waiting in drained(), each released once it may write again. */
  private drainWaiters: Array<{ res: EngineResponse; resolve: () => void }> | null = null;
  closed = false;

  constructor(server: EngineServer, socket: Socket, secure: boolean) {
    this.server = server;
    this.socket = socket;
    this.secure = secure;
    this.serverLine = server.options.serverLine;
    this.lastActive = server.now;
    socket.setNoDelay(true);
    // one listener function per event for all connections (the socket leads to its connection),
    // rather than five closures per connection: an idle connection holds about 300 bytes less
    (socket as OwnedSocket)[kConnection] = this;
    socket.on('data', onSocketData);
    socket.on('end', onSocketEnd);
    socket.on('drain', onSocketDrain);
    socket.on('error', onSocketError);
    socket.on('close', onSocketClose);
  }

  // ---- input -------------------------------------------------------------------------------

  onData(chunk: Buffer): void {
    // closing: read and drop, so the close is not turned into a reset; the linger is bounded
    // from when the close began (input does not extend it)
    if (this.ending) return;
    // no further requests are read (the body of the last one still is): drop, unless they are
    // the first bytes of the protocol an upgrade request may switch to (reading is paused)
    if (this.stopped && this.state === State.Head) {
      if (this.upgradeRes !== null) this.buf = this.buf === null ? chunk : Buffer.concat([this.buf, chunk]);
      return;
    }
    this.buf = this.buf === null ? chunk : this.join(this.buf, chunk);
    this.inBatch = true;
    this.parse();
    this.inBatch = false;
    this.flushAtTurnEnd();
  }

  /** Writes what the turn's input produced at the end of the turn, with the other connections' (see writeAtTurnEnd). */
  private flushAtTurnEnd(): void {
    if (this.turnWrite) return;
    this.turnWrite = true;
    writeAtTurnEnd.push(this);
    if (!turnWriteQueued) {
      turnWriteQueued = true;
      setImmediate(writeTurn);
    }
  }

  /** The turn is over (writeTurn): what waits is written. */
  turnEnded(): void {
    this.turnWrite = false;
    this.flush();
  }

  private parse(): void {
    if (this.parsing) return;
    this.parsing = true;
    try {
      this.parseLoop();
    } catch (error) {
      if (error instanceof ParseError) this.parseFailed(error);
      else throw error;
    } finally {
      this.parsing = false;
    }
  }

  private parseLoop(): void {
    const opts = this.server.options;
    let buf = this.buf;
    if (buf === null) return;
    let pos = 0;
    const len = buf.length;
    // Heads are searched and parsed in a latin1 string view of the buffer, made once for a batch
    // of pipelined requests (string search and slices are cheaper than Buffer calls per request);
    // the parser scans the same bytes in viewBytes, which is cheaper than charCodeAt.
    let view = '';
    let viewBytes: Uint8Array = buf;
    let viewStart = 0;
    while (pos < len && !this.bodyPaused) {
      if (this.state === State.FixedBody) {
        if (this.headBuf !== null) this.headBuf = null; // body bytes are views: the buffer stays theirs
        const n = Math.min(this.remaining, len - pos);
        const more = this.body.push(buf.subarray(pos, pos + n));
        pos += n;
        this.remaining -= n;
        if (this.remaining === 0) this.bodyDone();
        if (!more) this.pauseFor('body');
        continue;
      }
      if (this.state === State.ChunkedBody) {
        if (this.headBuf !== null) this.headBuf = null;
        const body = this.body;
        pos = this.decoder!.feed(buf, pos, (chunk) => {
          if (!body.push(chunk)) this.pauseFor('body');
        });
        if (this.decoder!.done) this.bodyDone();
        continue;
      }
      if (this.stopped) break;
      // backpressure: dispatch no further pipelined request while too much is in flight or
      // unsent (the output of this batch is looked at on its own: it is a field, the rest is not)
      if (this.outBytes > opts.outputBudget || (this.queue.length > 0 && !this.mayDispatch())) {
        this.pauseFor('dispatch');
        break;
      }
      // tolerate a few CRLFs between messages (RFC 9112 §2.2); they start the header timer
      if (buf[pos] === 13) {
        while (pos + 1 < len && buf[pos] === 13 && buf[pos + 1] === 10) {
          pos += 2;
          if (++this.emptyLines > MAX_EMPTY_LINES) throw new ParseError(400, 'Too many empty lines before a request line');
        }
        if (this.headStart === 0) this.headStart = this.server.now;
        if (pos >= len) break;
      }
      let viewEnd = viewStart + view.length;
      let end = pos >= viewStart && pos < viewEnd ? view.indexOf('\r\n\r\n', pos - viewStart) : -1;
      if (end === -1 && (pos < viewStart || pos >= viewEnd || viewEnd < len)) {
        // the view does not reach far enough: view from here (a head longer than this is refused)
        viewStart = pos;
        view = latin1(buf, pos, Math.min(len, pos + opts.maxHeaderSize + 4));
        // (the whole read, the usual case: the buffer itself, no view object made)
        viewBytes = pos === 0 && view.length === len ? buf : buf.subarray(pos, pos + view.length);
        viewEnd = viewStart + view.length;
        end = view.indexOf('\r\n\r\n');
      }
      if (end === -1) {
        if (this.headStart === 0) this.headStart = this.server.now;
        this.checkLine(view, viewBytes, pos - viewStart, view.length);
        if (len - pos > opts.maxHeaderSize) throw new ParseError(431, `Request head is larger than ${opts.maxHeaderSize} bytes`);
        break;
      }
      end += viewStart;
      if (end + 4 - pos > opts.maxHeaderSize) {
        this.checkLine(view, viewBytes, pos - viewStart, end + 2 - viewStart);
        throw new ParseError(431, `Request head is larger than ${opts.maxHeaderSize} bytes`);
      }
      const head = parseHeadAt(view, viewBytes, pos - viewStart, end + 2 - viewStart, opts, HEAD);
      if (this.headBuf !== null) this.server.buffers!.observeHead(end + 4 - pos);
      pos = end + 4;
      this.headStart = 0;
      this.emptyLines = 0;
      this.lineChecked = false;
      this.lineScanned = 0;
      // the bytes after an upgrade request's head are the next protocol's: kept where a
      // takeOver() during the dispatch finds them
      if (head.upgrade) this.buf = pos < len ? buf.subarray(pos) : null;
      this.dispatch(head);
      if (this.closed) return;
    }
    if (this.closed) return;
    if (pos >= len) {
      this.buf = null;
      if (this.headBuf !== null) {
        this.server.buffers!.giveHead(this.headBuf);
        this.headBuf = null;
      }
    } else if (pos > 0) this.buf = buf.subarray(pos);
    if (this.stopped && this.state === State.Head && this.upgradeRes === null) this.buf = null;
    buf = null;
  }

  /**
   * Input that continues what is left of the last (a head arriving in pieces, or a body paused):
   * gathered in a pooled head buffer, appended in place while it has room and moved to one twice
   * as large when not, so a head that arrives a byte at a time costs linear time.
   */
  private join(buf: Buffer, chunk: Buffer): Buffer {
    const pool = this.server.buffers;
    if (pool === null) return Buffer.concat([buf, chunk]);
    const need = buf.length + chunk.length;
    const acc = this.headBuf;
    if (acc !== null && buf.buffer === acc.buffer) {
      const start = buf.byteOffset - acc.byteOffset;
      if (start + need <= acc.length) {
        acc.set(chunk, start + buf.length);
        return acc.subarray(start, start + need);
      }
    }
    const next = pool.takeHead(need);
    next.set(buf, 0);
    next.set(chunk, buf.length);
    if (acc !== null) pool.giveHead(acc);
    this.headBuf = next;
    return next.subarray(0, need);
  }

  /**
   * A head still arriving (or too large): its request line is checked as soon as it has ended,
   * so a bad one is refused at once rather than after the whole head or the header timeout; a
   * target past the URI limit is refused (414) before its line ends. `start..end` is the head's
   * part of the view.
   */
  private checkLine(view: string, bytes: Uint8Array, start: number, end: number): void {
    if (this.lineChecked) return;
    let i = start + this.lineScanned;
    while (i < end && bytes[i] !== 13 && bytes[i] !== 10) i++;
    if (i >= end || (bytes[i] === 13 && i + 1 === end)) {
      // not ended yet (or only by a CR whose LF may follow)
      this.lineScanned = i - start;
      const sp1 = view.indexOf(' ', start);
      if (sp1 === -1 || sp1 >= i) return;
      const sp2 = view.indexOf(' ', sp1 + 1);
      const maxUri = this.server.options.maxUriLength;
      if ((sp2 === -1 || sp2 > i ? i : sp2) - sp1 - 1 > maxUri) throw new ParseError(414, `Request target is longer than ${maxUri} bytes`);
      return;
    }
    this.lineChecked = true;
    scanRequestLine(view, bytes, start, i + 2, this.server.options);
  }

  private dispatch(head: ParsedHead): void {
    const opts = this.server.options;
    let body = EMPTY_BODY;
    if (head.contentLength > 0) {
      body = new RequestBody(head.contentLength, opts.maxBodySize, this);
      this.state = State.FixedBody;
      this.remaining = head.contentLength;
    } else if (head.chunked) {
      body = new RequestBody(-1, opts.maxBodySize, this);
      this.state = State.ChunkedBody;
      this.decoder = new ChunkedDecoder(opts.maxBodySize, opts.maxHeaderSize);
    }
    const req = new EngineRequest(head, body, this.socket, this.secure);
    const res = new EngineResponse(this, req, this.server.now);
    this.requests++;
    const maxRequests = this.server.maxRequests;
    if (!head.keepAlive || (maxRequests > 0 && this.requests >= maxRequests)) this.stopped = true;
    if (head.upgrade) {
      // what follows the head belongs to the next protocol, if the app takes it over
      this.stopped = true;
      this.upgradeRes = res;
      this.socket.pause();
    }
    this.queue.push(res);
    if (body !== EMPTY_BODY) {
      this.body = body;
      this.bodyRes = res;
    }
    try {
      const result = this.server.handler(req, res) as Promise<unknown> | undefined;
      if (result !== undefined && result !== null && typeof result.then === 'function') {
        result.then(undefined, (error: unknown) => this.handlerFailed(res, error));
      }
    } catch (error) {
      this.handlerFailed(res, error);
    }
  }

  private bodyDone(): void {
    this.body.end();
    this.body = EMPTY_BODY;
    this.bodyRes = null;
    this.decoder = null;
    this.state = State.Head;
  }

  private parseFailed(error: ParseError): void {
    this.stopped = true;
    this.buf = null;
    this.headStart = 0;
    if (this.state !== State.Head) {
      // the body of a dispatched request is broken: its handler sees the error, the connection closes
      this.body.fail(new HttpError(error.status, error.message));
      this.bodyDone();
      // once the responses in flight are written (advance() closes a stopped connection whose
      // queue empties); at once when they all were
      if (this.queue.length === 0) this.closeAfterFlush();
      return;
    }
    this.answerError(error.status, error.message);
  }

  /** Queues a canned error response after those in flight, then closes. */
  private answerError(status: number, message: string): void {
    this.stopped = true;
    const wire = refusal(status, message, this.serverLine, this.server.options.refusalLines);
    if (this.queue.length === 0) {
      this.append(wire);
      this.closeAfterFlush();
    } else {
      this.errorWire = wire;
    }
  }
  onEnd(): void {
    this.readEnded = true;
    if (this.state !== State.Head) this.body.fail(new HttpError(400, 'Connection closed before the request body was complete'));
    if (this.queue.length === 0) this.closeAfterFlush();
  }

  // ---- BodySource ----------------------------------------------------------------------------

  pause(): void {
    this.bodyPaused = true;
    this.updateFlow();
  }

  resume(): void {
    if (!this.bodyPaused) return;
    this.bodyPaused = false;
    this.updateFlow();
    if (this.buf !== null) setImmediate(() => this.reparse());
  }

  start(): void {
    const res = this.bodyRes;
    if (res === null || !res.request.expectContinue || res.headersSent) return;
    if (this.queue[0] === res) {
      this.append(CONTINUE);
      this.flush();
    } else {
      this.continueFor = res;
    }
  }

  private pauseFor(reason: 'body' | 'dispatch'): void {
    if (reason === 'body') this.bodyPaused = true;
    else this.dispatchPaused = true;
    this.updateFlow();
  }

  private updateFlow(): void {
    if (this.closed) return;
    if (this.bodyPaused || this.dispatchPaused) this.socket.pause();
    else this.socket.resume();
  }

  private reparse(): void {
    if (this.closed || this.bodyPaused || this.dispatchPaused) return;
    this.inBatch = true;
    this.parse();
    this.inBatch = false;
    this.flush();
  }

  // ---- output --------------------------------------------------------------------------------

  /**
   * Called by a response with bytes to write; held back unless it is first in line.
   * Strings must be ASCII: they are coalesced and written as latin1, the cheapest encoding.
   */
  send(res: EngineResponse, data: string | Buffer): void {
    if (res === this.queue[0]) {
      this.append(data);
      return;
    }
    const map = (this.held ??= new Map());
    const held = map.get(res);
    if (held === undefined) map.set(res, { parts: [data], bytes: data.length });
    else {
      held.parts.push(data);
      held.bytes += data.length;
    }
    this.heldTotal += data.length;
  }

  /** Output produced and not yet sent: batched, in the socket's buffer, held back. */
  unsentBytes(): number {
    return this.outBytes + this.socket.writableLength + this.heldTotal;
  }

  /** Whether one more pipelined request may be dispatched (the queue's length aside). */
  private mayDispatch(): boolean {
    return this.queue.length < MAX_PIPELINE && this.unsentBytes() <= this.server.options.outputBudget;
  }

  /** Reading was paused for backpressure and may go on now. */
  private resumeDispatch(): void {
    if (!this.dispatchPaused || this.closed || this.queue.length > MAX_PIPELINE / 2 || !this.mayDispatch()) return;
    this.dispatchPaused = false;
    this.updateFlow();
    if (this.buf !== null) setImmediate(() => this.reparse());
  }

  /** Bytes `res` has produced that wait for their turn. */
  heldBytes(res: EngineResponse): number {
    return this.held?.get(res)?.bytes ?? 0;
  }

  private append(data: string | Buffer): void {
    if (typeof data === 'string' && this.outParts === null && data.length <= JOIN_LIMIT) this.outStr += data;
    else {
      if (this.outParts === null) {
        this.outParts = this.outStr === '' ? [] : [this.outStr];
        this.outStr = '';
      }
      this.outParts.push(data);
    }
    this.outBytes += data.length;
    if (!this.inBatch && !this.flushScheduled) {
      this.flushScheduled = true;
      nextTick(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.closed) return;
    const socket = this.socket;
    if (this.outParts !== null) {
      const parts = this.outParts;
      this.outParts = null;
      if (!this.writePooled(parts)) this.writeParts(parts);
    } else if (this.outStr !== '') {
      socket.write(this.outStr, 'latin1');
      this.outStr = '';
    }
    this.outBytes = 0;
    if (this.ending && !socket.writableEnded) socket.end();
    // a write the kernel took whole returns true and emits no 'drain': release the waiters here
    else if (this.drainWaiters !== null && this.drainWaiters.length > 0 && socket.writableLength === 0) this.onDrain();
  }

  /** Writes the parts of a batch as they are, in one writev. */
  private writeParts(parts: Array<string | Buffer>): void {
    const socket = this.socket;
    socket.cork();
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (typeof part === 'string') socket.write(part, 'latin1');
      else socket.write(part);
    }
    socket.uncork();
  }

  /**
   * Copies the parts of a batch into a pooled output buffer and writes it, when they fit and are
   * worth copying (no Buffer larger than COPY_LIMIT) and the socket has nothing queued (its
   * bytes then leave in this write, and the buffer goes back to the pool at once; when the
   * kernel takes only part of them, the socket keeps the buffer and the pool makes a new one).
   * Not for TLS, whose socket may keep the bytes until the handshake is over.
   */
  private writePooled(parts: Array<string | Buffer>): boolean {
    const pool = this.server.buffers;
    const socket = this.socket;
    if (pool === null || this.secure || socket.writableLength !== 0) return false;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (typeof part !== 'string' && part.length > COPY_LIMIT) return false;
    }
    const out = pool.takeOutput(this.outBytes);
    if (out === null) return false;
    let n = 0;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (typeof part === 'string') n += (out as Latin1Buffer).latin1Write(part, n);
      else {
        out.set(part, n);
        n += part.length;
      }
    }
    socket.write(out.subarray(0, n));
    if (socket.writableLength === 0) pool.giveOutput(out);
    return true;
  }

  /** Whether `res` may write more now (false: wait for drained()). */
  writable(res: EngineResponse): boolean {
    if (res !== this.queue[0]) return this.heldBytes(res) < HIGH_WATER;
    return this.outBytes + this.socket.writableLength < HIGH_WATER;
  }

  drained(res: EngineResponse): Promise<void> {
    if (this.closed || this.writable(res)) return Promise.resolve();
    return new Promise((resolve) => (this.drainWaiters ??= []).push({ res, resolve }));
  }

  /**
   * Releases the waiters that may write now. One still held back behind an earlier response
   * keeps waiting: released on every drain it would add a chunk each time, without bound.
   */
  onDrain(): void {
    this.stallSince = 0; // the client is reading
    this.resumeDispatch();
    const waiters = this.drainWaiters;
    if (waiters === null || waiters.length === 0) return;
    let kept = 0;
    for (let i = 0; i < waiters.length; i++) {
      const w = waiters[i]!;
      if (this.closed || w.res.detached || this.writable(w.res)) w.resolve();
      else waiters[kept++] = w;
    }
    waiters.length = kept;
  }

  get keepAliveLine(): string {
    return this.server.keepAliveLine;
  }

  /** @internal */
  get heads(): HeadCache {
    return this.server.heads;
  }

  decideClose(res: EngineResponse): boolean {
    const req = res.request;
    // a client told no `100 Continue` may never send the body it announced: the connection
    // cannot be reused, since its next bytes may or may not be that body
    const unsentBody = req.expectContinue && !req.body.complete && (!req.body.used || this.continueFor === res);
    if (res.closesConnection || !req.keepAlive || unsentBody) {
      this.stopped = true;
      return true;
    }
    // a queued error answer follows this response and closes the connection itself
    if (this.errorWire !== null) return false;
    if (this.server.closing || this.stopped || this.readEnded) {
      if (res !== this.queue[this.queue.length - 1]) return false;
      // announced close: read no request that this response would leave unanswered
      this.stopped = true;
      return true;
    }
    return false;
  }

  /** Called by a response when it has ended. */
  finish(res: EngineResponse): void {
    // the rest of an unread body is dropped as it arrives (or, if the response closes the
    // connection, not read at all)
    if (!res.request.body.complete) res.request.body.discard();
    if (res.closesConnection) this.stopped = true;
    if (res === this.queue[0]) this.advance();
  }

  private advance(): void {
    const queue = this.queue;
    while (queue.length > 0 && queue[0]!.finished) {
      const done = queue.shift()!;
      if (done.closesConnection) {
        this.dropQueue();
        this.closeAfterFlush();
        return;
      }
      const next = queue[0];
      if (next !== undefined) {
        const held = this.held === null || this.held.size === 0 ? undefined : this.held.get(next);
        if (held !== undefined) {
          this.held!.delete(next);
          this.heldTotal -= held.bytes;
          for (const p of held.parts) this.append(p);
        }
        if (this.continueFor === next && !next.headersSent) this.append(CONTINUE);
        if (this.continueFor === next) this.continueFor = null;
      }
    }
    this.onDrain();
    if (queue.length === 0) {
      const now = this.server.now;
      this.lastActive = now; // the keep-alive idle time starts now
      if (this.headStart !== 0) this.headStart = now; // so does the header time of bytes already here
      if (this.errorWire !== null) {
        this.append(this.errorWire);
        this.errorWire = null;
        this.closeAfterFlush();
        return;
      }
      if (this.readEnded || (this.stopped && this.state === State.Head) || (this.server.closing && this.buf === null)) {
        this.closeAfterFlush();
        return;
      }
    }
    this.resumeDispatch();
  }

  /**
   * A handler threw or rejected. An HttpError (e.g. 413 or 400 from a body reader) is answered
   * with its status, anything else with 500; only server errors are reported. Development mode
   * adds the stack trace.
   */
  private handlerFailed(res: EngineResponse, error: unknown): void {
    if (res.headersSent) this.reportError(error);
    if (res.finished || res.detached) return;
    if (res.headersSent) {
      res.abort();
      return;
    }
    const report = (e: unknown): void => this.reportError(e);
    prepareErrorResponse(res, error, report);
    sendProblem(res, error, res.request.path, this.server.options.development, report);
  }

  reportError(error: unknown): void {
    try {
      this.server.options.onError(error);
    } catch {
      // a failing error reporter must not take the connection down
    }
  }

  // ---- timers and closing ---------------------------------------------------------------------

  /**
   * Called by the server's sweep. Times were stamped with the coarse clock, which may be up to
   * one sweep interval (`slack`) behind the event; a timeout fires once it has certainly passed,
   * never early.
   */
  checkTimers(now: number, slack: number): void {
    if (this.closed) return;
    const server = this.server;
    const opts = server.options;
    // send timeout: output waiting in the socket that has not moved since the last sweeps
    const unsent = this.socket.writableLength;
    if (unsent === 0 || opts.sendTimeout === 0) this.stallSince = 0;
    else if (this.stallSince === 0 || unsent < this.lastUnsent) this.stallSince = now;
    else if (now - this.stallSince >= opts.sendTimeout + slack) {
      server.stats.sendTimeouts++;
      this.destroy();
      return;
    }
    this.lastUnsent = unsent;
    if (this.ending) {
      if (now - this.lastActive >= opts.keepAliveTimeout + slack) this.destroy();
      return;
    }
    const first = this.queue[0];
    if (first !== undefined) {
      if (opts.requestTimeout > 0 && !first.headersSent && now - first.startTime >= opts.requestTimeout + slack) this.timeOut(first);
      return;
    }
    if (this.headStart !== 0 && now - this.headStart >= opts.headersTimeout + slack) {
      this.buf = null;
      this.answerError(408, 'Request head was not received in time');
      this.flush();
      return;
    }
    // idle: nothing since the last response but (at most) empty lines, which are no activity
    if (this.buf === null && now - this.lastActive >= server.keepAliveTimeout + slack) this.closeAfterFlush();
  }

  /**
   * What culling under pressure may do with this connection: 0 leave it (a request in flight,
   * output unsent, closing); 1 it has not delivered a complete request head since connecting or
   * since its last response (closed first); 2 an idle keep-alive connection.
   */
  cullClass(): 0 | 1 | 2 {
    if (this.closed || this.ending || this.queue.length > 0 || this.state !== State.Head) return 0;
    if (this.outBytes + this.socket.writableLength > 0) return 0;
    return this.requests === 0 || this.headStart !== 0 || this.buf !== null ? 1 : 2;
  }

  /** Closed by culling: a connection without a complete head is cut, an idle one closed with a FIN. */
  cull(cls: 1 | 2): void {
    if (cls === 1) this.destroy();
    else this.closeAfterFlush();
  }

  private timeOut(res: EngineResponse): void {
    this.reportError(new Error(`Request ${res.request.method} ${res.request.path} timed out after ${this.server.options.requestTimeout} ms`));
    this.dropQueue();
    if (this.state !== State.Head) this.body.fail(new HttpError(503, 'The request was not answered in time'));
    this.stopped = true;
    this.errorWire = null;
    this.answerError(503, 'The request was not answered in time');
    this.flush();
  }

  /** The responses not yet written will never be: detach them and drop their held output. */
  private dropQueue(): void {
    for (const r of this.queue) r.detach();
    this.queue = newQueue();
    this.held = null;
    this.heldTotal = 0;
  }

  /** Graceful shutdown: idle connections close now, busy ones after their last response. */
  shutdown(): void {
    if (this.closed || this.ending) return;
    if (this.queue.length === 0 && this.buf === null) this.closeAfterFlush();
  }

  private closeAfterFlush(): void {
    if (this.closed || this.ending) return;
    this.stopped = true;
    this.ending = true;
    this.lastActive = this.server.now;
    if (!this.inBatch) this.flush();
    // keep reading (and dropping) until the peer closes, so unread input does not turn into a reset
    if (this.socket.isPaused()) this.socket.resume();
  }

  destroy(): void {
    if (this.closed) return;
    this.socket.destroy();
    this.onClose();
  }

  takeOver(res: EngineResponse): TakenOverConnection | null {
    if (res !== this.upgradeRes || res !== this.queue[0] || this.closed || this.ending) return null;
    const socket = this.socket;
    this.flush();
    socket.off('data', onSocketData);
    socket.off('end', onSocketEnd);
    socket.off('drain', onSocketDrain);
    socket.off('error', onSocketError);
    socket.off('close', onSocketClose);
    (socket as OwnedSocket)[kConnection] = undefined;
    // a copy: the bytes may sit in a pooled head buffer, which is not handed over
    const head = this.buf === null ? Buffer.alloc(0) : Buffer.from(this.buf);
    this.buf = null;
    this.headBuf = null;
    this.upgradeRes = null;
    this.queue = newQueue();
    this.closed = true;
    this.server.connectionTakenOver(this);
    return { socket, head };
  }

  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.state !== State.Head) this.body.fail(new HttpError(400, 'Connection closed before the request body was complete'));
    this.dropQueue();
    this.onDrain();
    this.server.connectionClosed(this);
  }
}
