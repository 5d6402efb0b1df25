/** Options of a WebSocketHub, their defaults and checks. */
import type { PerMessageDeflateOptions } from 'ws';
import type { Broadcaster } from './broadcaster.js';
import type { OriginPolicy } from './handshake.js';

/** What happens to a message for a peer whose unsent output is over `maxBufferedAmount`. */
export type SlowConsumerPolicy = 'close' | 'drop';

export interface WebSocketOptions {
  /** Largest message accepted, in bytes (after reassembling fragments and inflating); larger → close 1009. Default 1 MiB. */
  maxPayload?: number;
  /** Open WebSockets of this hub; a handshake over it is answered 503. Default 10,000; 0: no limit. */
  maxConnections?: number;
  /**
   * Every this many ms each peer is pinged; a peer that sent nothing (no pong, no message) since
   * the previous ping is cut off. Default 30 s; 0 disables.
   */
  pingInterval?: number;
  /** Unsent bytes a peer may hold (its socket's buffer and the frames queued for it). Default 1 MiB. */
  maxBufferedAmount?: number;
  /** Past `maxBufferedAmount`: 'close' the peer (1008, then cut off), or 'drop' the message. Default 'close'. */
  slowConsumer?: SlowConsumerPolicy;
  /**
   * permessage-deflate (RFC 7692), off by default: each compressing connection keeps a zlib
   * context (about 300 KiB with the default windows; see docs/websocket.md). `true` or the `ws`
   * options (`serverMaxWindowBits`, `threshold`, …).
   */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
  /** Origins allowed to open a connection: '*' (default), a list (requests without Origin pass), or a function. Refused → 403. */
  origins?: OriginPolicy;
  /** Time given to peers to answer the close frame (1001) on close(), before they are cut off. Default: close()'s timeout, else 10 s. */
  closeTimeout?: number;
  /** Delivers room messages to the other processes and machines (e.g. RedisBroadcaster). Default: this process only. */
  broadcaster?: Broadcaster;
}

export interface ResolvedWebSocketOptions {
  maxPayload: number;
  maxConnections: number;
  pingInterval: number;
  maxBufferedAmount: number;
  slowConsumer: SlowConsumerPolicy;
  perMessageDeflate: boolean | PerMessageDeflateOptions;
  origins: OriginPolicy;
  closeTimeout: number | undefined;
  broadcaster: Broadcaster | null;
}

function limit(name: string, value: number | undefined, fallback: number, allowZero: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || (!allowZero && value === 0)) {
    throw new TypeError(`WebSocket option ${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${String(value)}`);
  }
  return value;
}

export function resolveWebSocketOptions(o: WebSocketOptions = {}): ResolvedWebSocketOptions {
  const slowConsumer = o.slowConsumer ?? 'close';
  if (slowConsumer !== 'close' && slowConsumer !== 'drop') throw new TypeError(`WebSocket option slowConsumer must be 'close' or 'drop', got ${String(slowConsumer)}`);
  const origins = o.origins ?? '*';
  if (origins !== '*' && typeof origins !== 'function' && !Array.isArray(origins)) throw new TypeError("WebSocket option origins must be '*', a list of origins or a function");
  return {
    maxPayload: limit('maxPayload', o.maxPayload, 1024 * 1024, false),
    maxConnections: limit('maxConnections', o.maxConnections, 10_000, true),
    pingInterval: limit('pingInterval', o.pingInterval, 30_000, true),
    maxBufferedAmount: limit('maxBufferedAmount', o.maxBufferedAmount, 1024 * 1024, false),
    slowConsumer,
    perMessageDeflate: o.perMessageDeflate ?? false,
    origins,
    closeTimeout: o.closeTimeout === undefined ? undefined : limit('closeTimeout', o.closeTimeout, 0, true),
    broadcaster: o.broadcaster ?? null,
  };
}
