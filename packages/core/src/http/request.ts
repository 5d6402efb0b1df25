import type { RequestBody } from './body.js';
import type { HeaderList } from './headers.js';

/**
 * What a handler sees of a request, whichever way it arrived: the engine's own socket, a
 * node:http/https/http2 server, a fetch Request, or app.inject().
 */
export interface HttpRequest {
  readonly method: string;
  /** Path and query as received (origin-form). */
  readonly url: string;
  /** Path without the query string (not percent-decoded). */
  readonly path: string;
  /** Raw query string without `?`; '' when absent. */
  readonly query: string;
  /** '1.0', '1.1' or '2.0'. */
  readonly httpVersion: string;
  readonly headers: HeaderList;
  readonly body: RequestBody;
  /** Peer address, or '' when there is no socket (fetch, inject). */
  readonly remoteAddress: string;
  /** True when the request arrived over TLS. */
  readonly secure: boolean;
  /**
   * True when the request asks to switch protocols (`Connection: upgrade` and an `Upgrade`
   * field, no body) on a transport that can hand its connection over: `res.takeOver()` then
   * gives the raw socket (WebSocket). Absent or false otherwise.
   */
  readonly upgrade?: boolean;
}
