import { EventEmitter } from 'node:events';
import type { HttpRequest } from '../http/request.js';
import type { HttpResponse } from '../http/response.js';

const nothing = (): void => {};

/**
 * Calls `listener` once the transport under a response closes (the client went away, or the
 * connection ended), for long-lived responses such as event streams. Returns a function that
 * stops watching. Where no close signal can be reached (fetch, inject), nothing is called and
 * callers fall back to checking `res.finished`, which the engine and the fetch adapter set when
 * the client is gone.
 *
 * Stopgap: HttpResponse has no close event yet, so this looks for the underlying emitter of the
 * two socket transports (the engine request's socket; the node adapter's ServerResponse). It
 * will use `res.onClose(listener)` once the response API offers one.
 */
export function onDisconnect(req: HttpRequest, res: HttpResponse, listener: () => void): () => void {
  const standard = (res as unknown as { onClose?: unknown }).onClose;
  if (typeof standard === 'function') {
    const stop = (standard as (l: () => void) => unknown).call(res, listener);
    return typeof stop === 'function' ? (stop as () => void) : nothing;
  }
  const emitter = transportEmitter(req, res);
  if (emitter === null) return nothing;
  if ((emitter as { destroyed?: boolean }).destroyed === true) {
    queueMicrotask(listener);
    return nothing;
  }
  emitter.once('close', listener);
  return () => {
    emitter.off('close', listener);
  };
}

function transportEmitter(req: HttpRequest, res: HttpResponse): EventEmitter | null {
  const nodeResponse = (res as unknown as { res?: unknown }).res;
  if (nodeResponse instanceof EventEmitter) return nodeResponse;
  const socket = (req as unknown as { socket?: unknown }).socket;
  if (socket instanceof EventEmitter) return socket;
  return null;
}
