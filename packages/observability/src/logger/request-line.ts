/**
 * The request log's line written by hand, byte for byte the line pino would write for
 * `logger.info({ reqId, method, url, route, status, durationMs, bytes, … }, 'request completed')`,
 * without the object, pino's per-key formatting, float printing or a string per line: the line
 * is written as bytes into the destination's buffer (BatchedDestination; for any other stream a
 * buffer of its own, handed over as one string), from a few cached pieces (the start of the line
 * once per millisecond and level, the middle per route pattern, method and status) and numbers
 * written digit by digit. Only for a logger that formats lines the default way; the request
 * logger sends every other line (custom formatting, an error, extra fields) through pino.
 */
import { tracingChannel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import pino, { type Logger } from 'pino';
import type { Exchange } from '../exchange.js';
import { writeRequestId } from '../request-ids.js';
import { writeAscii, writeBytes, writeMs, writeUint } from '../ascii-bytes.js';
import type { Outcome } from '../outcomes.js';
import { BatchedDestination, type LineBuffer } from './batched-destination.js';

const S = pino.symbols as unknown as Record<string, symbol>;
/** pino's own tracing of line formatting: while someone listens, lines go through pino. */
const asJsonChannel = tracingChannel('pino_asJson');
/** The fields of the request line, in their order. */
const LINE_KEYS = ['reqId', 'method', 'url', 'route', 'status', 'durationMs', 'bytes', 'traceId', 'spanId', 'aborted'];

/**
 * Wall-clock milliseconds (what Date.now() would say) at `at`, a performance.now() reading: the
 * request's end, already read for its duration, so a line costs no clock read of its own (a
 * clock read costs 50-90 ns on a virtual machine). The monotonic clock is put on the wall clock
 * once (performance.timeOrigin) and checked against Date.now() once a second, so that a step of
 * the system clock (NTP, a manual change) is followed within a second; between the checks the
 * two clocks run at the same rate (the kernel slews both alike). Within about a millisecond.
 */
let wallOffset = performance.timeOrigin;
let checkAt = 0;
export function wallClockAt(at: number): number {
  if (at >= checkAt) {
    checkAt = at + 1000;
    const wall = Date.now(); // whole milliseconds: at most 1 below the true wall clock
    const drift = wall - (at + wallOffset);
    if (drift >= 1 || drift <= -1.5) wallOffset = wall + 0.5 - at;
  }
  return Math.floor(at + wallOffset);
}

/**
 * The middle of the line, from the end of the request id to the duration's key, as text:
 * `","method":"GET","url":"/json","route":"/json","status":200,"durationMs":`. For a request
 * whose path is its route pattern (and a standard method) it is the same each time: its bytes are
 * then kept on the request's outcome (see outcomes.ts: as many as the app's routes, methods and
 * statuses).
 */
function middle(method: string, urlJson: string, outcome: Outcome): string {
  return `","method":${JSON.stringify(method)},"url":${urlJson},"route":${outcome.routeJson},"status":${outcome.status},"durationMs":`;
}

const BYTES_KEY = Buffer.from(',"bytes":');
const ABORTED = Buffer.from(',"aborted":true');

/** Lines for a stream that takes strings: each line is made in this buffer, then handed over as one string. */
class StringLines implements LineBuffer {
  at = 0;
  private buffer = Buffer.allocUnsafeSlow(4096);
  constructor(private readonly stream: { write(line: string): unknown }) {}

  room(bytes: number): Buffer {
    if (this.buffer.length < bytes) this.buffer = Buffer.allocUnsafeSlow(bytes);
    this.at = 0;
    return this.buffer;
  }

  commit(end: number): void {
    this.stream.write(this.buffer.toString('utf8', 0, end));
  }
}

export class RequestLine {
  private readonly logger: Record<symbol, any>;
  private readonly lines: LineBuffer;
  private readonly tail: Buffer;
  /** pino's default timestamp (then printed once per millisecond). */
  private readonly epochTime: boolean;
  private headAt = -1;
  private headLevel = -1;
  private head: Buffer = Buffer.alloc(0);

  /** The line writer for `logger`, or null when pino would write the line differently (see above). */
  static for(logger: Logger): RequestLine | null {
    const l = logger as unknown as Record<symbol, any>;
    const serializers = l[S.serializersSym!] ?? {};
    const stringifiers = l[S.stringifiersSym!] ?? {};
    const hooks = l[S.hooksSym!] ?? {};
    const stream = l[S.streamSym!];
    const plain = l[S.mixinSym!] == null && l[S.formattersSym!]?.log === undefined && hooks.logMethod == null && hooks.streamWrite == null
      && typeof l[S.msgPrefixSym!] !== 'string' && !l[S.nestedKeySym!] && stringifiers[S.wildcardFirstSym!] === undefined
      && LINE_KEYS.every((k) => serializers[k] === undefined && stringifiers[k] === undefined)
      && typeof l[S.timeSym!] === 'function' && typeof l[S.chindingsSym!] === 'string' && typeof l[S.endSym!] === 'string'
      && typeof l[S.lsCacheSym!] === 'object' && stream != null && typeof stream.write === 'function' && stream[S.needsMetadataGsym!] !== true;
    return plain ? new RequestLine(l, stream) : null;
  }

  private constructor(logger: Record<symbol, any>, stream: { write(line: string): unknown }) {
    this.logger = logger;
    this.lines = stream instanceof BatchedDestination ? stream : new StringLines(stream);
    this.tail = Buffer.from(`,${JSON.stringify(String(logger[S.messageKeySym!]))}:"request completed"${logger[S.endSym!]}`);
    this.epochTime = logger[S.timeSym!] === pino.stdTimeFunctions.epochTime;
  }

  /** The lines go into a BatchedDestination (written at the end of the turn anyway). */
  get batched(): boolean {
    return this.lines instanceof BatchedDestination;
  }

  /** False while someone traces pino's formatting (the line must then go through pino). */
  get usable(): boolean {
    return !asJsonChannel.hasSubscribers;
  }

  /** Writes the line of `exchange`'s request at level `level` (a number). */
  write(level: number, exchange: Exchange): void {
    const ctx = exchange.ctx;
    const outcome = exchange.outcome;
    const head = this.start(level, exchange.end);
    const path = ctx.path;
    let cached: Buffer | undefined;
    let text = '';
    if (path === outcome.route && outcome.method !== 'other') cached = outcome.line ??= Buffer.from(middle(ctx.method, outcome.routeJson, outcome));
    else text = middle(ctx.method, JSON.stringify(path), outcome);
    const madeUp = exchange.madeUpIdNumber;
    const id = madeUp === 0 ? exchange.requestId ?? '' : '';
    let spanText = '';
    if (exchange.span !== null) {
      const { traceId, spanId } = exchange.span.spanContext();
      spanText = `,"traceId":${JSON.stringify(traceId)},"spanId":${JSON.stringify(spanId)}`;
    }
    // bytes at most: the texts as UTF-8, the id (ASCII), and 128 for the numbers and `aborted`
    const most = head.length + (cached === undefined ? text.length * 3 : cached.length) + id.length + spanText.length * 3 + this.tail.length + 128;
    const lines = this.lines;
    const into = lines.room(most);
    let at = lines.at;
    into.set(head, at);
    at += head.length;
    // request ids are well-formed (ASCII, nothing to escape)
    at = madeUp === 0 ? writeAscii(into, at, id) : writeRequestId(into, at, madeUp);
    if (cached !== undefined) {
      into.set(cached, at);
      at += cached.length;
    } else {
      at += into.write(text, at);
    }
    at = writeMs(into, at, exchange.duration);
    at = writeUint(into, writeBytes(into, at, BYTES_KEY), exchange.bytes);
    if (spanText !== '') at += into.write(spanText, at);
    if (exchange.aborted) at = writeBytes(into, at, ABORTED);
    into.set(this.tail, at);
    lines.commit(at + this.tail.length);
  }

  /**
   * `{"level":30,"time":…,"pid":…,"hostname":…,"reqId":"` as bytes, made once per millisecond and
   * level. The logger's bindings are read then too, not per line (a pino logger keeps them in a
   * dictionary-mode object: a hash lookup each time), so a `setBindings()` reaches the request
   * lines from the next millisecond on.
   */
  private start(level: number, at: number): Buffer {
    const l = this.logger;
    if (!this.epochTime) return Buffer.from(l[S.lsCacheSym!][level] + l[S.timeSym!]() + l[S.chindingsSym!] + ',"reqId":"');
    const now = wallClockAt(at);
    if (now !== this.headAt || level !== this.headLevel) {
      this.headAt = now;
      this.headLevel = level;
      this.head = Buffer.from(l[S.lsCacheSym!][level] + ',"time":' + now + l[S.chindingsSym!] + ',"reqId":"');
    }
    return this.head;
  }
}
