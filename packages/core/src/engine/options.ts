/** Engine limits and timeouts, with their defaults and checks. */
import { checkRefusalHeaders, encodeRefusalHeaders } from './refusal.js';

/** Engine limits and timeouts. Every limit has a default and a documented status code. */
import { reportToConsole } from '../http/report.js';

export interface EngineOptions {
  /** Bytes of request line + header fields. Default 16 KiB. Exceeded → 431. */
  maxHeaderSize?: number;
  /** Number of header fields. Default 100. Exceeded → 431. */
  maxHeaderCount?: number;
  /** Length of the request target. Default 8 KiB. Exceeded → 414. */
  maxUriLength?: number;
  /** Bytes of request content. Default 1 MiB. Exceeded → 413. */
  maxBodySize?: number;
  /** Time allowed to receive a complete request head (slowloris guard). Default 10 s → 408 and close. */
  headersTimeout?: number;
  /** Idle keep-alive connections are closed after this long. Default 5 s. */
  keepAliveTimeout?: number;
  /** Time a handler has to answer before a 503 is sent and the connection closed. Default 30 s; 0 disables. */
  requestTimeout?: number;
  /** Requests served on one connection before it is closed. Default 0 (no limit). */
  maxRequestsPerConnection?: number;
  /**
   * HTTP/2 only (`listen({ http2 })`): streams a client may have open at once on one session
   * (SETTINGS_MAX_CONCURRENT_STREAMS); more are refused with RST_STREAM. Default 100.
   */
  maxConcurrentStreams?: number;
  /**
   * Open connections (the hard limit). At the limit, a connection that has not delivered a
   * complete request head is closed to make room; when there is none, the new connection gets
   * 503 and is closed. Default 10,000; 0 disables.
   */
  maxConnections?: number;
  /**
   * Output a connection may hold unsent (socket buffer, output being batched, responses held
   * back behind an earlier one), in bytes. Past it no further pipelined request is dispatched and
   * reading pauses until the client takes its data. Default 1 MiB.
   */
  outputBudget?: number;
  /**
   * A connection whose unsent output makes no progress for this long is closed: a client that
   * stopped reading. Default 30 s; 0 disables.
   */
  sendTimeout?: number;
  /**
   * Connection pressure: when open connections pass `softConnections` (a fraction of
   * maxConnections), the heap passes `heapRatio` of its limit, or the event loop utilization
   * (averaged over about five seconds) passes `eventLoopUtilization`, idle connections are closed
   * (those without a complete request head first, then idle keep-alive ones, least recently used
   * first) and the keep-alive timeout shrinks towards `minKeepAliveTimeout`. `false` turns it off.
   * Defaults: 0.9, 0.9, 0.9, 1 s.
   */
  pressure?: false | PressureOptions;
  /**
   * Size of the pooled buffers that response output and request heads arriving in pieces are
   * assembled in: `'auto'` follows recent traffic (an average of the sizes seen, bounded); a
   * number of bytes fixes the output buffers' size; 0 turns pooling off. Default `'auto'`. See
   * docs/connections.md.
   */
  bufferSize?: 'auto' | number;
  /** Value of the `Server` header; none is sent when empty. Default none. */
  serverName?: string;
  /**
   * Header fields added to the engine's own refusals (a malformed head, 408, 413 on
   * Content-Length, 414, 431, 503), which never reach the app's middleware: e.g.
   * `{ 'Access-Control-Allow-Origin': '*' }`. Checked and encoded once at start-up. Default none.
   */
  refusalHeaders?: Record<string, string>;
  /** Development mode: 500 answers include the error's stack trace. Default false. */
  development?: boolean;
  /** Where unexpected errors are reported. Default: console.error. */
  onError?: (error: unknown) => void;
}

export interface PressureOptions {
  softConnections?: number;
  heapRatio?: number;
  eventLoopUtilization?: number;
  minKeepAliveTimeout?: number;
}

export interface ResolvedEngineOptions {
  maxHeaderSize: number;
  maxHeaderCount: number;
  maxUriLength: number;
  maxBodySize: number;
  headersTimeout: number;
  keepAliveTimeout: number;
  requestTimeout: number;
  maxRequestsPerConnection: number;
  maxConcurrentStreams: number;
  maxConnections: number;
  outputBudget: number;
  sendTimeout: number;
  /** Null when pressure handling is off. */
  pressure: Required<PressureOptions> | null;
  /** 'auto', a fixed size in bytes, or 0 (no pooling). */
  bufferSize: 'auto' | number;
  /** Pre-encoded `Server: …\r\n` line, or ''. */
  serverLine: string;
  /** refusalHeaders, checked (for the HTTP/2 refusals, which node:http2 encodes). */
  refusalHeaders: Readonly<Record<string, string>>;
  /** Pre-encoded refusalHeaders lines, or ''. */
  refusalLines: string;
  development: boolean;
  onError: (error: unknown) => void;
}

function positive(name: string, value: number | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new TypeError(`Engine option ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${String(value)}`);
  }
  return value;
}

export function resolveEngineOptions(o: EngineOptions = {}): ResolvedEngineOptions {
  const serverName = o.serverName ?? '';
  const refusalHeaders = checkRefusalHeaders(o.refusalHeaders);
  if (/[\r\n\0]/.test(serverName)) throw new TypeError('Engine option serverName must not contain CR, LF or NUL');
  return {
    maxHeaderSize: positive('maxHeaderSize', o.maxHeaderSize, 16 * 1024),
    maxHeaderCount: positive('maxHeaderCount', o.maxHeaderCount, 100),
    maxUriLength: positive('maxUriLength', o.maxUriLength, 8 * 1024),
    maxBodySize: positive('maxBodySize', o.maxBodySize, 1024 * 1024, true),
    headersTimeout: positive('headersTimeout', o.headersTimeout, 10_000),
    keepAliveTimeout: positive('keepAliveTimeout', o.keepAliveTimeout, 5_000),
    requestTimeout: positive('requestTimeout', o.requestTimeout, 30_000, true),
    maxRequestsPerConnection: positive('maxRequestsPerConnection', o.maxRequestsPerConnection, 0, true),
    maxConcurrentStreams: positive('maxConcurrentStreams', o.maxConcurrentStreams, 100),
    maxConnections: positive('maxConnections', o.maxConnections, 10_000, true),
    outputBudget: positive('outputBudget', o.outputBudget, 1024 * 1024),
    sendTimeout: positive('sendTimeout', o.sendTimeout, 30_000, true),
    pressure: resolvePressure(o.pressure),
    bufferSize: resolveBufferSize(o.bufferSize),
    serverLine: serverName === '' ? '' : `Server: ${serverName}\r\n`,
    refusalHeaders,
    refusalLines: encodeRefusalHeaders(refusalHeaders),
    development: o.development ?? false,
    onError: o.onError ?? reportToConsole,
  };
}

function resolveBufferSize(size: 'auto' | number | undefined): 'auto' | number {
  if (size === undefined || size === 'auto') return 'auto';
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new TypeError(`Engine option bufferSize must be 'auto' or a whole number of bytes, got ${String(size)}`);
  return size;
}

function fraction(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) throw new TypeError(`Engine option pressure.${name} must be a fraction in (0, 1], got ${String(value)}`);
  return value;
}

function resolvePressure(p: false | PressureOptions | undefined): Required<PressureOptions> | null {
  if (p === false) return null;
  const o = p ?? {};
  return {
    softConnections: fraction('softConnections', o.softConnections, 0.9),
    heapRatio: fraction('heapRatio', o.heapRatio, 0.9),
    eventLoopUtilization: fraction('eventLoopUtilization', o.eventLoopUtilization, 0.9),
    minKeepAliveTimeout: positive('pressure.minKeepAliveTimeout', o.minKeepAliveTimeout, 1000),
  };
}
