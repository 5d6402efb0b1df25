import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { RequestBody } from '../http/body.js';
import { IterableSource } from '../http/iterable-source.js';
import type { HttpRequest } from '../http/request.js';
import { AdapterRequest, bodyLimit } from './adapter-request.js';
import { HttpResponse, type BodyChunk } from '../http/response.js';

/** What an app offers an adapter. */
export interface Handles {
  handle(req: HttpRequest, res: HttpResponse): void | Promise<void>;
  readonly config: { maxBodySize?: number; serverName?: string };
}

type NodeReq = IncomingMessage | Http2ServerRequest;
type NodeRes = ServerResponse | Http2ServerResponse;

/** Fields HTTP/2 forbids (RFC 9113 §8.2.2) and fields node:http frames itself. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** A node:http/https/http2 request as the app's request; HTTP/2 pseudo-fields are dropped. */
function nodeRequest(req: NodeReq, limit: number): AdapterRequest {
  const names: string[] = [];
  const values: string[] = [];
  const raw = req.rawHeaders;
  let authority: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.charCodeAt(0) === 58 /* : pseudo-header */) {
      if (name === ':authority') authority = raw[i + 1];
      continue;
    }
    names.push(name.toLowerCase());
    values.push(raw[i + 1]!);
  }
  const socket = req.socket as TLSSocket | undefined;
  const httpVersion = req.httpVersion;
  const parts = {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    httpVersion,
    names,
    values,
    authority,
    remoteAddress: socket?.remoteAddress ?? '',
    secure: socket?.encrypted === true,
  };
  return new AdapterRequest(parts, (headers) => {
    const declared = headers.get('content-length');
    const h2 = httpVersion.startsWith('2');
    const ended = h2 && (req as Http2ServerRequest).stream?.readableEnded === true;
    const length = declared !== undefined ? Number(declared) : headers.has('transfer-encoding') || (h2 && !ended) ? -1 : 0;
    const source = new IterableSource(req as AsyncIterable<Uint8Array>);
    const body = new RequestBody(Number.isFinite(length) ? length : -1, limit, source);
    source.body = body;
    return body;
  });
}

class NodeResponse extends HttpResponse {
  private readonly res: NodeRes;
  private readonly h2: boolean;
  private readonly serverName: string | undefined;
  /** The client went away before the end: writes and end() are no-ops. */
  private detached = false;

  constructor(res: NodeRes, h2: boolean, serverName: string | undefined) {
    super();
    this.res = res;
    this.h2 = h2;
    this.serverName = serverName;
    // 'close' also follows a normal end; only one before end() means the client went away
    (res as ServerResponse).once('close', () => {
      if (this.finished) return;
      // as the engine's detach(): the response counts as finished, so send() stops pulling
      // from its source, and later writes and end() are ignored
      this.detached = true;
      this.finished = true;
      this.transportClosed();
      this.finishedAs(true);
    });
  }

  private sendHead(): void {
    this.headersSent = true;
    const res = this.res as ServerResponse;
    if (this.serverName) res.setHeader('Server', this.serverName);
    const grouped = new Map<string, string[]>();
    const f = this.fields;
    for (let i = 0; i < f.length; i += 3) {
      const key = f[i]!;
      if (key === 'transfer-encoding' || (this.h2 && HOP_BY_HOP.has(key))) continue;
      const list = grouped.get(key);
      if (list === undefined) grouped.set(key, [f[i + 2]!]);
      else list.push(f[i + 2]!);
    }
    for (const [key, list] of grouped) res.setHeader(key, list.length === 1 ? list[0]! : list);
    res.statusCode = this.status_;
  }

  end(body?: BodyChunk): void {
    if (this.detached) return;
    if (this.finished) throw new Error('Response already ended');
    if (!this.headersSent) this.sendHead();
    this.finished = true;
    if (body === undefined) this.res.end();
    else {
      this.countBody(body);
      (this.res as ServerResponse).end(body);
    }
    this.finishedAs(false);
  }

  write(chunk: BodyChunk): boolean {
    if (this.detached) return true;
    if (this.finished) throw new Error('write() after end()');
    if (!this.headersSent) this.sendHead();
    this.countBody(chunk);
    return (this.res as ServerResponse).write(chunk);
  }

  drained(): Promise<void> {
    const res = this.res as ServerResponse;
    if (!res.writableNeedDrain || res.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }

  abort(): void {
    this.finished = true;
    const res = this.res as ServerResponse & { stream?: { close(code?: number): void } };
    if (typeof res.destroy === 'function') res.destroy();
    else res.stream?.close();
    this.finishedAs(true);
  }
}

/**
 * The app as a `(req, res)` listener for node:http, node:https and node:http2 (including the
 * HTTP/1 fallback of `allowHTTP1`) servers, or for mounting inside an existing server.
 */
export function toNodeListener(app: Handles): (req: NodeReq, res: NodeRes) => void {
  const limit = bodyLimit(app);
  const serverName = app.config.serverName;
  return (req, res) => {
    const request = nodeRequest(req, limit);
    const response = new NodeResponse(res, request.httpVersion.startsWith('2'), serverName);
    const done = app.handle(request, response);
    if (done !== undefined) done.catch(() => response.abort());
  };
}
