/**
 * Server-Sent Events (HTML Living Standard, "Server-sent events"): a text/event-stream response
 * with correct framing, comment heartbeats that keep proxies from closing an idle stream, and a
 * close that stops everything whether the server or the client ends it.
 */
import type { HttpResponse } from '../http/response.js';
import { reportToConsole } from '../http/report.js';

export interface SseOptions {
  /** Milliseconds between heartbeat comments; 0 turns them off. Default 15 000. */
  heartbeat?: number;
  /** Reconnection delay for the client (`retry:` field), in milliseconds. */
  retry?: number;
}

/** One event. `data` that is not a string is sent as JSON. */
export interface SseMessage {
  /** Event type (`event:`); the client's `onmessage` gets events without one. */
  event?: string;
  /** Event id (`id:`); the client sends the last one back as `Last-Event-ID` when it reconnects. */
  id?: string | number;
  data?: unknown;
  /** Reconnection delay in milliseconds (`retry:`). */
  retry?: number;
}

const LINE_BREAK = /\r\n|\r|\n/;
const BREAKS = /[\r\n]/;

/** The frame of one event: fields, one `data:` line per line of data, then a blank line. */
export function formatEvent(message: SseMessage | string): string {
  if (typeof message === 'string') return dataLines(message) + '\n';
  let out = '';
  if (message.event !== undefined) {
    if (BREAKS.test(message.event)) throw new TypeError('SSE event name must not contain CR or LF');
    out += 'event: ' + message.event + '\n';
  }
  if (message.id !== undefined) {
    const id = String(message.id);
    if (/[\r\n\0]/.test(id)) throw new TypeError('SSE event id must not contain CR, LF or NUL');
    out += 'id: ' + id + '\n';
  }
  if (message.retry !== undefined) out += 'retry: ' + checkRetry(message.retry) + '\n';
  const data = message.data;
  if (data !== undefined) out += dataLines(typeof data === 'string' ? data : JSON.stringify(data) ?? '');
  return out + '\n';
}

function dataLines(data: string): string {
  if (!BREAKS.test(data)) return 'data: ' + data + '\n';
  let out = '';
  for (const line of data.split(LINE_BREAK)) out += 'data: ' + line + '\n';
  return out;
}

function checkRetry(retry: number): number {
  if (!Number.isInteger(retry) || retry < 0) throw new TypeError(`SSE retry must be a non-negative integer of milliseconds, got ${String(retry)}`);
  return retry;
}

/**
 * An open event stream, from `ctx.sse()`. Return it from the handler so that `onResponse`
 * hooks run when it closes; send events from anywhere until then.
 */
export class EventStream {
  /** Resolves once the stream is closed, by `close()` or by the client going away. */
  readonly done: Promise<void>;
  private readonly res: HttpResponse;
  private closed_ = false;
  private timer: NodeJS.Timeout | null = null;
  private resolveDone!: () => void;
  private unwatch: () => void;
  private listeners: Array<() => void> = [];
  private controller: AbortController | null = null;
  private readonly report: (error: unknown) => void;

  constructor(res: HttpResponse, options: SseOptions = {}, report: (error: unknown) => void = reportToConsole) {
    if (res.headersSent) throw new Error('ctx.sse(): the response has already started');
    const heartbeat = options.heartbeat ?? 15_000;
    if (typeof heartbeat !== 'number' || !(heartbeat >= 0)) throw new TypeError(`ctx.sse(): heartbeat must be a number of milliseconds ≥ 0, got ${String(heartbeat)}`);
    this.res = res;
    this.report = report;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    res.statusCode = 200;
    res.removeHeader('content-length');
    res.setHeader('Content-Type', 'text/event-stream');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Accel-Buffering', 'no'); // nginx: do not buffer the stream
    // the first bytes send the head, so the client sees the stream open at once
    res.write(options.retry !== undefined ? 'retry: ' + checkRetry(options.retry) + '\n\n' : ': open\n\n');
    this.unwatch = res.onClose(() => this.close());
    if (heartbeat > 0) this.timer = setInterval(() => this.beat(), heartbeat);
  }

  /** True once closed, by either side. */
  get closed(): boolean {
    if (!this.closed_ && this.res.finished) this.close();
    return this.closed_;
  }

  /** Aborted when the stream closes: hand it to whatever produces the events. */
  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.closed_) this.controller.abort();
    }
    return this.controller.signal;
  }

  /**
   * Sends one event (a string is sent as `data`). Returns false when the client is slow and
   * `await stream.drained()` should come before more; events sent after close are dropped.
   */
  send(message: SseMessage | string): boolean {
    const frame = formatEvent(message);
    if (this.closed) return false;
    return this.res.write(frame);
  }

  /** Sends a comment line (ignored by clients; useful for debugging and keep-alive). */
  comment(text = ''): boolean {
    if (BREAKS.test(text)) throw new TypeError('SSE comment must not contain CR or LF');
    if (this.closed) return false;
    return this.res.write(': ' + text + '\n\n');
  }

  /** Resolves when more may be sent. */
  drained(): Promise<void> {
    return this.closed ? Promise.resolve() : this.res.drained();
  }

  /** Calls `listener` once when the stream closes (at once if it already has). */
  onClose(listener: () => void): void {
    if (this.closed_) listener();
    else this.listeners.push(listener);
  }

  /** Ends the stream: stops the heartbeat and ends the response. Safe to call more than once. */
  close(): void {
    if (this.closed_) return;
    this.closed_ = true;
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
    this.unwatch();
    if (!this.res.finished) {
      try {
        this.res.end();
      } catch {
        // the transport is already gone
      }
    }
    this.resolveDone();
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        this.report(error);
      }
    }
    try {
      this.controller?.abort();
    } catch (error) {
      this.report(error); // an abort listener threw
    }
  }

  private beat(): void {
    if (this.closed) return;
    try {
      this.res.write(': heartbeat\n\n');
    } catch {
      this.close();
    }
  }
}
