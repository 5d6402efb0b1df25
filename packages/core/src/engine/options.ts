/** Engine limits and timeouts, with their defaults and checks. */
import { encodeRefusalHeaders } from './refusal.js';

/** Engine limits and timeouts. Every limit has a default and a documented status code. */
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
  /** Open connections; further ones get 503 and are closed. Default 10,000; 0 disables. */
  maxConnections?: number;
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

export interface ResolvedEngineOptions {
  maxHeaderSize: number;
  maxHeaderCount: number;
  maxUriLength: number;
  maxBodySize: number;
  headersTimeout: number;
  keepAliveTimeout: number;
  requestTimeout: number;
  maxRequestsPerConnection: number;
  maxConnections: number;
  /** Pre-encoded `Server: …\r\n` line, or ''. */
  serverLine: string;
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
    maxConnections: positive('maxConnections', o.maxConnections, 10_000, true),
    serverLine: serverName === '' ? '' : `Server: ${serverName}\r\n`,
    refusalLines: encodeRefusalHeaders(o.refusalHeaders),
    development: o.development ?? false,
    onError: o.onError ?? ((error) => console.error('[armature]', error)),
  };
}
