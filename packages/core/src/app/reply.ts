import { Readable } from 'node:stream';
import type { HttpResponse } from '../http/response.js';

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const BYTES = 'application/octet-stream';

function isAsyncIterable(value: object): value is AsyncIterable<string | Uint8Array> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/**
 * Turns what a handler returned into a response: string → text/plain, object → JSON,
 * bytes → octet-stream, Readable or async iterable → streamed, fetch Response → passed
 * through, nothing → 204 (unless the handler already answered or chose a status).
 */
export function reply(res: HttpResponse, value: unknown): void | Promise<void> {
  if (res.finished || res.headersSent) return;
  if (value === undefined || value === null) {
    if (res.statusCode === 200) res.statusCode = 204;
    res.end();
    return;
  }
  switch (typeof value) {
    case 'string':
      if (!res.hasHeader('content-type')) res.setHeader('Content-Type', TEXT);
      res.end(value);
      return;
    case 'object':
      break;
    default:
      if (!res.hasHeader('content-type')) res.setHeader('Content-Type', JSON_TYPE);
      res.end(JSON.stringify(value));
      return;
  }
  if (value instanceof Uint8Array) {
    if (!res.hasHeader('content-type')) res.setHeader('Content-Type', BYTES);
    res.end(value);
    return;
  }
  if (value instanceof Response) return passThrough(res, value);
  if (value instanceof Readable || isAsyncIterable(value)) {
    if (!res.hasHeader('content-type')) res.setHeader('Content-Type', BYTES);
    return res.send(value as AsyncIterable<string | Uint8Array>);
  }
  if (!res.hasHeader('content-type')) res.setHeader('Content-Type', JSON_TYPE);
  res.end(JSON.stringify(value));
}

function passThrough(res: HttpResponse, response: Response): void | Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'content-length' && name !== 'transfer-encoding') res.appendHeader(name, value);
  });
  if (response.body === null) {
    res.end();
    return;
  }
  return res.send(response.body as unknown as AsyncIterable<Uint8Array>);
}
