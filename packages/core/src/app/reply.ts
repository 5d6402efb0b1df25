import { Readable } from 'node:stream';
import type { HttpResponse } from '../http/response.js';
import { EventStream } from './sse.js';

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const BYTES = 'application/octet-stream';

/** Compiled JSON serializers of a route, indexed by status code (from its response schemas). */
export type Serializers = Array<((value: unknown) => string) | undefined>;

function isAsyncIterable(value: object): value is AsyncIterable<string | Uint8Array> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/**
 * Turns what a handler returned into a response: string → text/plain, object → JSON,
 * bytes → octet-stream, Readable or async iterable → streamed, fetch Response → passed
 * through, an event stream → kept open until it closes, nothing → 204 (unless the handler
 * already answered or chose a status). JSON goes through the route's compiled serializer for
 * the status, where a response schema gave one. Returns a promise while a body is streaming.
 */
export function reply(res: HttpResponse, value: unknown, serializers: Serializers | null = null): void | Promise<void> {
  if (res.finished || res.headersSent) {
    if (value instanceof EventStream) return value.done;
    return;
  }
  if (typeof value === 'object' && value !== null && (value.constructor === Object || Array.isArray(value))) return json(res, value, serializers);
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
      return json(res, value, serializers);
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
  return json(res, value, serializers);
}

function json(res: HttpResponse, value: unknown, serializers: Serializers | null): void {
  const serialize = serializers === null ? undefined : serializers[res.statusCode];
  const text = serialize === undefined ? JSON.stringify(value) : serialize(value);
  if (!res.hasHeader('content-type')) res.setHeader('Content-Type', JSON_TYPE);
  res.end(text);
}

function passThrough(res: HttpResponse, response: Response): void | Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'set-cookie') res.appendHeader(name, value);
  });
  for (const cookie of response.headers.getSetCookie()) res.appendHeader('Set-Cookie', cookie);
  if (response.body === null) {
    res.end();
    return;
  }
  return res.send(response.body as unknown as AsyncIterable<Uint8Array>);
}
