import type { RequestBody } from '../http/body.js';
import { HeaderList } from '../http/headers.js';
import type { HttpRequest } from '../http/request.js';
import type { Handles } from './node.js';

/** The body limit an adapter applies when the app sets none: 1 MiB, as the engine. */
export function bodyLimit(app: Handles): number {
  return app.config.maxBodySize ?? 1024 * 1024;
}

/** What a transport gives an adapter to build the app's request from. */
export interface RequestParts {
  method: string;
  /** Origin-form target: path and query. */
  url: string;
  httpVersion: string;
  /** Field names (lowercase) and values, in arrival order. */
  names: string[];
  values: string[];
  /** Where the transport carried the authority outside the fields (HTTP/2 `:authority`, a fetch URL, inject's default). */
  authority: string | undefined;
  remoteAddress: string;
  secure: boolean;
}

/**
 * The request every adapter (node:http/https/http2, fetch, inject) hands to the app, filled the
 * same way: the target split once into path and query, a Host field added from the authority
 * when the fields carry none (RFC 9113 §8.3.1 for HTTP/2). The body is made last, from the
 * finished fields, because its length comes from them.
 */
export class AdapterRequest implements HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly query: string;
  readonly httpVersion: string;
  readonly headers: HeaderList;
  readonly body: RequestBody;
  readonly remoteAddress: string;
  readonly secure: boolean;

  constructor(parts: RequestParts, body: (headers: HeaderList) => RequestBody) {
    this.method = parts.method;
    this.url = parts.url;
    const q = parts.url.indexOf('?');
    this.path = q === -1 ? parts.url : parts.url.slice(0, q);
    this.query = q === -1 ? '' : parts.url.slice(q + 1);
    this.httpVersion = parts.httpVersion;
    if (parts.authority !== undefined && !parts.names.includes('host')) {
      parts.names.push('host');
      parts.values.push(parts.authority);
    }
    this.headers = new HeaderList(parts.names, parts.values);
    this.remoteAddress = parts.remoteAddress;
    this.secure = parts.secure;
    this.body = body(this.headers);
  }
}
