/**
 * The seam between an engine response and the connection under it (the output side, as
 * `BodySource` is the input side): the response hands over its bytes and its end, asks whether
 * it may write more, and has the connection decide, as its head is built, whether the
 * connection closes after it. Responses know nothing else of the connection.
 */
import type { Buffer } from 'node:buffer';
import type { TakenOverConnection } from '../http/response.js';
import type { EngineResponse } from './engine-response.js';
import type { HeadCache } from './head-cache.js';

/**
 * Strings up to this length are joined to the output before them; longer ones (a large body) are
 * handed over apart, since a joined string is copied once more by V8 (flattened) when written.
 */
export const JOIN_LIMIT = 4096;

export interface ResponseSink {
  /** Pre-encoded `Server: …\r\n` line, or ''. */
  readonly serverLine: string;
  /** Pre-encoded `Keep-Alive: timeout=…\r\n` line for a response that keeps the connection, or ''. */
  readonly keepAliveLine: string;
  /** @internal The server's last response head, for the next response like it. */
  readonly heads: HeadCache;
  /**
   * Bytes of `res`, in order. Held back (by the sink) while responses before it are unwritten.
   * Strings must be ASCII: they are coalesced and written as latin1.
   */
  send(res: EngineResponse, data: string | Buffer): void;
  /** `res` has ended: the sink moves on to the next response once `res` is written. */
  finish(res: EngineResponse): void;
  /** Whether `res` may write more now; false: wait for drained(). */
  writable(res: EngineResponse): boolean;
  /** Resolves when `res` may write more (or the connection is gone). */
  drained(res: EngineResponse): Promise<void>;
  /**
   * Decides, as the head of `res` is built, whether the connection closes after `res`. A yes is
   * final: no further request is read, and the head carries `Connection: close`.
   */
  decideClose(res: EngineResponse): boolean;
  /** Reports an unexpected error (the server's onError). */
  reportError(error: unknown): void;
  /**
   * Hands the connection of `res` (an upgrade request, first in line, nothing written) over to
   * another protocol: the sink stops reading and writing it and forgets it. Null when it cannot.
   */
  takeOver(res: EngineResponse): TakenOverConnection | null;
  /** Cuts the connection at once (a streamed response failed after its head was sent). */
  destroy(): void;
}
