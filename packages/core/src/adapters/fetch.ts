import { RequestBody } from '../http/body.js';
import { IterableSource } from '../http/iterable-source.js';
import { AdapterRequest, bodyLimit } from './adapter-request.js';
import { HttpResponse, type BodyChunk } from '../http/response.js';
import { statusHasNoBody } from '../http/status.js';
import type { Handles } from './node.js';

/** A fetch Request as the app's request; the Host field comes from its URL when absent. */
function fetchRequest(request: Request, limit: number): AdapterRequest {
  const url = new URL(request.url);
  const names: string[] = [];
  const values: string[] = [];
  request.headers.forEach((value, name) => {
    names.push(name);
    values.push(value);
  });
  const parts = {
    method: request.method,
    url: url.pathname + url.search,
    httpVersion: '1.1',
    names,
    values,
    authority: url.host,
    remoteAddress: '',
    secure: url.protocol === 'https:',
  };
  return new AdapterRequest(parts, () => {
    const declared = request.headers.get('content-length');
    const length = request.body === null ? 0 : declared !== null && /^\d+$/.test(declared) ? Number(declared) : -1;
    const source = new IterableSource(request.body as unknown as AsyncIterable<Uint8Array> | null);
    const body = new RequestBody(length, limit, source);
    source.body = body;
    return body;
  });
}

function bytes(chunk: BodyChunk): Uint8Array {
  return typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
}

class FetchResponse extends HttpResponse {
  readonly response: Promise<Response>;
  private resolve!: (r: Response) => void;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private pull: (() => void) | null = null;
  private readonly head: boolean;

  constructor(head: boolean) {
    super();
    this.head = head;
    this.response = new Promise((resolve) => { this.resolve = resolve; });
  }

  private headers(): Headers {
    const h = new Headers();
    const f = this.fields;
    for (let i = 0; i < f.length; i += 3) {
      const key = f[i]!;
      if (key !== 'content-length' && key !== 'transfer-encoding' && key !== 'connection') h.append(f[i + 1]!, f[i + 2]!);
    }
    return h;
  }

  end(body?: BodyChunk): void {
    if (this.finished) throw new Error('Response already ended');
    if (!this.headersSent) {
      this.headersSent = true;
      this.finished = true;
      const empty = body === undefined || this.head || statusHasNoBody(this.status_);
      if (body !== undefined) this.countBody(body);
      this.resolve(new Response(empty ? null : bytes(body), { status: this.status_, headers: this.headers() }));
      this.finishedAs(false);
      return;
    }
    if (body !== undefined) this.write(body);
    this.finished = true;
    this.controller?.close();
    this.finishedAs(false);
  }

  write(chunk: BodyChunk): boolean {
    if (this.finished) throw new Error('write() after end()');
    if (!this.headersSent) {
      this.headersSent = true;
      const stream = new ReadableStream<Uint8Array>(
        {
          start: (c) => { this.controller = c; },
          pull: () => {
            const p = this.pull;
            this.pull = null;
            p?.();
          },
          cancel: () => {
            this.finished = true;
            this.transportClosed();
            this.finishedAs(true);
          },
        },
        { highWaterMark: 16 },
      );
      const empty = this.head || statusHasNoBody(this.status_);
      this.resolve(new Response(empty ? null : stream, { status: this.status_, headers: this.headers() }));
    }
    if (this.finished) return true;
    this.countBody(chunk);
    if (this.head) return true;
    this.controller!.enqueue(bytes(chunk));
    return (this.controller!.desiredSize ?? 1) > 0;
  }

  drained(): Promise<void> {
    if (this.controller === null || (this.controller.desiredSize ?? 1) > 0 || this.finished) return Promise.resolve();
    return new Promise((resolve) => { this.pull = resolve; });
  }

  abort(error?: unknown): void {
    this.finished = true;
    this.controller?.error(error ?? new Error('Response aborted'));
    this.finishedAs(true);
  }
}

/** The app as a fetch handler: `(request: Request) => Promise<Response>`. */
export function toFetchHandler(app: Handles): (request: Request) => Promise<Response> {
  const limit = bodyLimit(app);
  return async (request) => {
    const req = fetchRequest(request, limit);
    const res = new FetchResponse(request.method === 'HEAD');
    const done = app.handle(req, res);
    if (done !== undefined) done.catch((error: unknown) => res.abort(error));
    return res.response;
  };
}
