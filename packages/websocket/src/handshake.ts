/**
 * The checks of an opening handshake (RFC 6455 §4.2.1) made before the connection is taken over
 * from HTTP, so that a refused handshake is an ordinary HTTP answer (problem document, app hooks
 * and middleware) with a status and a reason the client can read.
 */
import { HttpError } from '@armature/core/http';
import type { HttpRequest } from '@armature/core/http';

/** Which `Origin` values may open a connection (cross-site WebSocket hijacking is a browser's request with the user's cookies). */
export type OriginPolicy = '*' | readonly string[] | ((origin: string | undefined, req: HttpRequest) => boolean);

/** 16 random bytes in base64: 22 characters and `==`. */
const KEY = /^[+/0-9A-Za-z]{21}[AQgw]==$/;

function hasToken(value: string | undefined, token: string): boolean {
  if (value === undefined) return false;
  for (const part of value.split(',')) if (part.trim().toLowerCase() === token) return true;
  return false;
}

/**
 * Throws the HttpError a bad handshake is answered with: 426 (with `Upgrade: websocket`) for a
 * request that is not a WebSocket upgrade at all or asks for another version (with
 * `Sec-WebSocket-Version: 13`), 400 for a malformed one, 403 for an origin the policy refuses.
 * Returns nothing when the handshake may go on.
 */
export function checkHandshake(req: HttpRequest, origins: OriginPolicy): void {
  const headers = req.headers;
  if (req.upgrade !== true || !hasToken(headers.get('upgrade'), 'websocket')) {
    throw new HttpError(426, 'This endpoint speaks WebSocket: send a GET with "Connection: Upgrade" and "Upgrade: websocket"', {
      headers: { Upgrade: 'websocket', Connection: 'Upgrade' },
    });
  }
  if (req.httpVersion !== '1.1') throw new HttpError(400, 'A WebSocket handshake needs HTTP/1.1');
  const version = headers.get('sec-websocket-version');
  if (version === undefined) throw new HttpError(400, 'Missing Sec-WebSocket-Version header');
  if (version !== '13') {
    throw new HttpError(426, `Unsupported WebSocket version "${version.slice(0, 16)}": this server speaks version 13`, {
      headers: { 'Sec-WebSocket-Version': '13' },
    });
  }
  const key = headers.get('sec-websocket-key');
  if (key === undefined) throw new HttpError(400, 'Missing Sec-WebSocket-Key header');
  if (!KEY.test(key)) throw new HttpError(400, 'Invalid Sec-WebSocket-Key header: not 16 bytes in base64');
  if (origins === '*') return;
  const origin = headers.get('origin');
  // a list checks browsers (which always send Origin); other clients could claim any origin anyway
  const allowed = typeof origins === 'function' ? origins(origin, req) : origin === undefined || origins.includes(origin);
  if (!allowed) throw new HttpError(403, `Origin ${origin === undefined ? '(none)' : origin.slice(0, 200)} is not allowed to open a WebSocket here`);
}
