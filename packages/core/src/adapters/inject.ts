import { Buffer } from 'node:buffer';
import { RequestBody } from '../http/body.js';
import { AdapterRequest, bodyLimit } from './adapter-request.js';
import { HttpResponse, type BodyChunk } from '../http/response.js';
import { statusHasNoBody } from '../http/status.js';
import type { Handles } from './node.js';

export interface InjectOptions {
  method?: string;
  /** Path and query, e.g. `/users/1?full=true`. */
  url: string;
  headers?: Record<string, string | readonly string[]>;
  /** A string or bytes as is; any other value is sent as JSON (with its Content-Type). */
  body?: string | Uint8Array | unknown;
  remoteAddress?: string;
}

export interface InjectResult {
  statusCode: number;
  /** Lowercased names; repeated fields (Set-Cookie) as arrays. */
  headers: Record<string, string | string[]>;
  body: string;
  rawBody: Buffer;
  json<T = unknown>(): T;
}

/** inject()'s options as the app's request: a body that is not text or bytes is sent as JSON. */
function injectRequest(o: InjectOptions, limit: number): AdapterRequest {
  if (typeof o.url !== 'string' || o.url.charCodeAt(0) !== 47) throw new TypeError(`inject: url must start with "/", got ${String(o.url)}`);
  const names: string[] = [];
  const values: string[] = [];
  for (const [name, value] of Object.entries(o.headers ?? {})) {
    for (const v of typeof value === 'string' ? [value] : value) {
      names.push(name.toLowerCase());
      values.push(v);
    }
  }
  let data: string | Uint8Array | undefined;
  if (o.body === undefined || typeof o.body === 'string' || o.body instanceof Uint8Array) data = o.body;
  else {
    data = JSON.stringify(o.body);
    if (!names.includes('content-type')) {
      names.push('content-type');
      values.push('application/json');
    }
  }
  if (data !== undefined && !names.includes('content-length')) {
    names.push('content-length');
    values.push(String(typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength));
  }
  const parts = {
    method: (o.method ?? 'GET').toUpperCase(),
    url: o.url,
    httpVersion: '1.1',
    names,
    values,
    authority: 'localhost',
    remoteAddress: o.remoteAddress ?? '127.0.0.1',
    secure: false,
  };
  return new AdapterRequest(parts, () => RequestBody.from(data, limit));
}

class InjectResponse extends HttpResponse {
  readonly done: Promise<InjectResult>;
  private resolve!: (r: InjectResult) => void;
  private readonly chunks: Buffer[] = [];
  private readonly head: boolean;

  constructor(head: boolean) {
    super();
    this.head = head;
    this.done = new Promise((resolve) => { this.resolve = resolve; });
  }

  end(body?: BodyChunk): void {
    if (this.finished) throw new Error('Response already ended');
    const streamed = this.headersSent;
    if (body !== undefined) this.write(body);
    this.headersSent = true;
    this.finished = true;
    const raw = Buffer.concat(this.chunks);
    const headers: Record<string, string | string[]> = {};
    const f = this.fields;
    for (let i = 0; i < f.length; i += 3) {
      const k = f[i]!;
      const v = f[i + 2]!;
      if (k === 'transfer-encoding') continue;
      const prev = headers[k];
      headers[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    if (!statusHasNoBody(this.status_) && (!streamed || headers['content-length'] !== undefined)) {
      if (!this.head || headers['content-length'] === undefined) headers['content-length'] = String(this.bodyBytes);
    }
    if (streamed && headers['content-length'] === undefined) headers['transfer-encoding'] = 'chunked';
    const text = raw.toString('utf8');
    this.resolve({
      statusCode: this.status_,
      headers,
      body: text,
      rawBody: raw,
      json: <T>() => JSON.parse(text) as T,
    });
    this.finishedAs(false);
  }

  write(chunk: BodyChunk): boolean {
    if (this.finished) throw new Error('write() after end()');
    this.headersSent = true;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    this.addBodyBytes(bytes.length);
    if (!this.head && !statusHasNoBody(this.status_)) this.chunks.push(bytes);
    return true;
  }

  drained(): Promise<void> {
    return Promise.resolve();
  }

  /** Ends what was written so far (the result resolves); observers are told it was cut short. */
  abort(): void {
    if (this.finished) return;
    this.finishedAs(true);
    this.end();
  }
}

/** Runs one request through the app's real pipeline, in process, without a socket. */
export async function inject(app: Handles, options: InjectOptions | string): Promise<InjectResult> {
  const o = typeof options === 'string' ? { url: options } : options;
  const req = injectRequest(o, bodyLimit(app));
  const res = new InjectResponse(req.method === 'HEAD');
  const done = app.handle(req, res);
  if (done !== undefined) await done.catch(() => res.abort());
  return res.done;
}
