/**
 * The request log's line written by hand, character for character the line pino would write
 * for `logger.info({ reqId, method, url, route, status, durationMs, bytes, … }, 'request completed')`,
 * without the object, pino's per-key formatting, or float printing: a handful of string pieces,
 * most of them cached (the start of the line once per millisecond and level, a part per method
 * and per route pattern). Only for a logger that formats lines the default way; the request
 * logger sends every other line (custom formatting, an error, extra fields) through pino.
 */
import { tracingChannel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import pino, { type Logger } from 'pino';
import type { Exchange } from '../exchange.js';

const S = pino.symbols as unknown as Record<string, symbol>;
/** pino's own tracing of line formatting: while someone listens, lines go through pino. */
const asJsonChannel = tracingChannel('pino_asJson');
/** The fields of the request line, in their order. */
const LINE_KEYS = ['reqId', 'method', 'url', 'route', 'status', 'durationMs', 'bytes', 'traceId', 'spanId', 'aborted'];

/** Milliseconds as `Math.round(ms * 1000) / 1000` prints, without printing a fraction (which costs more). */
export function formatMs(ms: number): string {
  const us = Math.round(ms * 1000);
  if (!(us >= 0 && us <= 0x7fffffff)) return String(us / 1000);
  const whole = Math.floor(us / 1000);
  const frac = us - whole * 1000;
  if (frac === 0) return '' + whole;
  if (frac % 100 === 0) return whole + '.' + frac / 100;
  if (frac % 10 === 0) return whole + (frac < 100 ? '.0' : '.') + frac / 10;
  return whole + (frac < 10 ? '.00' : frac < 100 ? '.0' : '.') + frac;
}

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

/** `","method":"GET","url":` per method (the standard ones; others are built per line). */
const methodParts = new Map<string, string>(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map((m) => [m, `","method":"${m}","url":`]));

/**
 * A route pattern as JSON, `,"route":<it>,"status":`, and per standard method the whole middle of
 * the line for a request whose path is the pattern (a static route):
 * `","method":"GET","url":"/json","route":"/json","status":` (patterns are few: the apps' routes).
 */
interface RoutePart {
  readonly quoted: string;
  readonly part: string;
  readonly whole: Map<string, string>;
}
const routeParts = new Map<string, RoutePart>();
const UNMATCHED: RoutePart = { quoted: 'null', part: ',"route":null,"status":', whole: new Map() };
function routePart(route: string | null): RoutePart {
  if (route === null) return UNMATCHED;
  let part = routeParts.get(route);
  if (part === undefined) {
    const quoted = JSON.stringify(route);
    routeParts.set(route, (part = { quoted, part: `,"route":${quoted},"status":`, whole: new Map() }));
  }
  return part;
}

/** The middle of the line (see RoutePart) from the method to the status. */
function middle(method: string, path: string, routePath: string | null, route: RoutePart): string {
  if (path === routePath) {
    const whole = route.whole.get(method);
    if (whole !== undefined) return whole;
    const methodPart = methodParts.get(method);
    if (methodPart !== undefined) {
      const made = methodPart + route.quoted + route.part;
      route.whole.set(method, made);
      return made;
    }
  }
  return (methodParts.get(method) ?? `","method":${JSON.stringify(method)},"url":`) + (path === routePath ? route.quoted : JSON.stringify(path)) + route.part;
}

/** `<status>,"durationMs":` per status (fewer pieces per line: each piece costs again when the turn's lines are written). */
const statusParts: Array<string | undefined> = new Array<string | undefined>(1000).fill(undefined);
function statusPart(status: number): string {
  if (!(status >= 100 && status <= 999)) return status + ',"durationMs":';
  return (statusParts[status] ??= status + ',"durationMs":');
}

export class RequestLine {
  private readonly logger: Record<symbol, any>;
  private readonly stream: { write(line: string): unknown };
  private readonly tail: string;
  /** pino's default timestamp (then printed once per millisecond). */
  private readonly epochTime: boolean;
  private headAt = -1;
  private headLevel = -1;
  private headBindings = '';
  private head = '';

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
    this.stream = stream;
    this.tail = `,${JSON.stringify(String(logger[S.messageKeySym!]))}:"request completed"${logger[S.endSym!]}`;
    this.epochTime = logger[S.timeSym!] === pino.stdTimeFunctions.epochTime;
  }

  /** False while someone traces pino's formatting (the line must then go through pino). */
  get usable(): boolean {
    return !asJsonChannel.hasSubscribers;
  }

  /** Writes the line of `exchange`'s request at level `level` (a number). */
  write(level: number, exchange: Exchange): void {
    const ctx = exchange.ctx;
    const routePath = ctx.routePath;
    const route = routePart(routePath);
    const path = ctx.path;
    const method = ctx.method;
    let line = this.start(level, exchange.end) + exchange.requestId + middle(method, path, routePath, route)
      + statusPart(exchange.status) + formatMs(exchange.duration) + ',"bytes":' + exchange.bytes;
    if (exchange.span !== null) {
      const { traceId, spanId } = exchange.span.spanContext();
      line += ',"traceId":' + JSON.stringify(traceId) + ',"spanId":' + JSON.stringify(spanId);
    }
    if (exchange.aborted) line += ',"aborted":true';
    this.stream.write(line + this.tail);
  }

  /** `{"level":30,"time":…,"pid":…,"hostname":…,"reqId":"` (request ids are well-formed: nothing to escape). */
  private start(level: number, at: number): string {
    const l = this.logger;
    if (!this.epochTime) return l[S.lsCacheSym!][level] + l[S.timeSym!]() + l[S.chindingsSym!] + ',"reqId":"';
    const now = wallClockAt(at);
    const bindings: string = l[S.chindingsSym!];
    if (now !== this.headAt || level !== this.headLevel || bindings !== this.headBindings) {
      this.headAt = now;
      this.headLevel = level;
      this.headBindings = bindings;
      this.head = l[S.lsCacheSym!][level] + ',"time":' + now + bindings + ',"reqId":"';
    }
    return this.head;
  }
}
