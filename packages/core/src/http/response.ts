import { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { INVALID_VALUE_CHAR, hasUpperCase, isToken } from './chars.js';
import { isValidStatus } from './status.js';

/** A connection handed over by its HTTP transport for another protocol (see HttpResponse.takeOver). */
export interface TakenOverConnection {
  /** The raw socket: no longer read or written by the HTTP side. */
  readonly socket: Socket;
  /** Bytes the client sent after the request head, already read from the socket (may be empty). */
  readonly head: Buffer;
}

export type HeaderValue = string | number | readonly string[];
export type BodyChunk = string | Uint8Array;

/**
 * Told once when a response is over (see HttpResponse.observe): `aborted` false when it ended
 * (all of it handed to the transport: what Node's `'finish'` means) or its connection was taken
 * over, true when it was cut short (`abort()`, or the transport closed before the end: a
 * `'close'` without `'finish'`). An object rather than a function, so that per-request state
 * (a logger's or a metric's) can observe without a closure per request.
 */
export interface ResponseObserver {
  responseFinished(res: HttpResponse, aborted: boolean): void;
  /**
   * Told when the request's handling threw `error` and the app is about to answer it (or cut the
   * response short, once its head is out): see HttpResponse.failedWith. Optional.
   */
  responseFailed?(res: HttpResponse, error: unknown): void;
}

/**
 * The response side shared by the engine and every adapter: status, header fields (validated
 * against response splitting when set), and the write/end/stream operations each transport
 * implements.
 */
export abstract class HttpResponse {
  protected status_ = 200;
  /**
   * The fields set so far, flat: lowercased name, name as given, value; repeated for each field
   * (one array per response rather than three). The first field set replaces the array (with
   * one of its exact size): read it when the head is written, do not keep it.
   */
  protected fields: string[] = [];
  headersSent = false;
  finished = false;
  /** Some header value holds a non-ASCII character (the head is then written as UTF-8). */
  protected nonAsciiHeaders = false;
  /** Body bytes counted so far (see bodyBytes). */
  private bodyCount = 0;
  /** The last string chunk, measured only when bodyBytes is read (nobody may ask). */
  private unmeasured: string | null = null;
  /** Observers of the end: none, one, or several (see observe). */
  private observers: ResponseObserver | ResponseObserver[] | null = null;
  /** How the response was over, as observers are told: 0 not yet, 1 ended, 2 cut short. */
  private outcome = 0;

  get statusCode(): number {
    return this.status_;
  }

  set statusCode(code: number) {
    if (!isValidStatus(code)) throw new RangeError(`Invalid status code ${String(code)}: must be an integer in 100..999`);
    this.status_ = code;
  }

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  /** Sets a field, replacing earlier values. Throws on an invalid name or a CR/LF/NUL in a value. */
  setHeader(name: string, value: HeaderValue): this {
    const key = checkName(name);
    this.removeKey(key);
    this.add(key, name, value);
    return this;
  }

  /**
   * Sets fields checked once in advance (`new PreparedFields(...)`), replacing earlier values of
   * the same names, as `setHeader` for each would: for middleware that sets the same fields on
   * every response (security headers, CORS), without checking them again each time.
   */
  setFields(prepared: PreparedFields): this {
    const flat = prepared.flat;
    if (flat.length === 0) return this;
    if (this.headersSent) throw new Error(`Cannot set header "${flat[1]}": headers were already sent`);
    const f = this.fields;
    if (f.length > 0) for (let i = 0; i < flat.length; i += 3) this.removeKey(flat[i]!);
    for (let i = 0; i < flat.length; i++) f.push(flat[i]!);
    if (prepared.nonAscii) this.nonAsciiHeaders = true;
    return this;
  }

  /** Adds a field value, keeping earlier ones (e.g. several Set-Cookie fields). */
  appendHeader(name: string, value: HeaderValue): this {
    this.add(checkName(name), name, value);
    return this;
  }

  /** Index of the first field with lowercased name `key`, or -1. */
  protected indexOfKey(key: string): number {
    const f = this.fields;
    for (let i = 0; i < f.length; i += 3) if (f[i] === key) return i;
    return -1;
  }

  /** Index of the first field named `name` in any case, or -1 (a lowercase name is scanned once). */
  private indexOfName(name: string): number {
    const i = this.indexOfKey(name);
    if (i !== -1 || !hasUpperCase(name)) return i;
    return this.indexOfKey(name.toLowerCase());
  }

  getHeader(name: string): string | undefined {
    const i = this.indexOfName(name);
    return i === -1 ? undefined : this.fields[i + 2];
  }

  hasHeader(name: string): boolean {
    return this.indexOfName(name) !== -1;
  }

  removeHeader(name: string): this {
    this.removeKey(name.toLowerCase());
    return this;
  }

  /** Removes every field set so far (before an error answer replaces a half-built response). */
  clearHeaders(): this {
    this.fields.length = 0;
    return this;
  }

  /** All fields as [name, value] pairs in the order set. */
  headerEntries(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (let i = 0; i < this.fields.length; i += 3) out.push([this.fields[i + 1]!, this.fields[i + 2]!]);
    return out;
  }

  private add(key: string, name: string, value: HeaderValue): void {
    if (this.headersSent) throw new Error(`Cannot set header "${name}": headers were already sent`);
    if (typeof value === 'object') {
      for (const v of value) this.add(key, name, v);
      return;
    }
    const v = typeof value === 'string' ? value : String(value);
    if (checkedValues.get(v) !== true) {
      if (UNUSUAL_VALUE_CHAR.test(v)) {
        if (INVALID_VALUE_CHAR.test(v)) throw new TypeError(`Invalid character (CR, LF or NUL) in value of header "${name}"`);
        this.nonAsciiHeaders = true;
      } else if (v.length <= 64 && checkedValues.size < 1024) {
        checkedValues.set(v, true); // ASCII and free of CR/LF/NUL: constants such as content types recur
      }
    }
    const f = this.fields;
    // the first field makes an array of its exact size (a push onto [] reserves 17 slots)
    if (f.length === 0) this.fields = [key, name, v];
    else f.push(key, name, v);
  }

  private removeKey(key: string): void {
    const f = this.fields;
    for (let i = f.length - 3; i >= 0; i -= 3) if (f[i] === key) f.splice(i, 3);
  }

  /** Ends the response, with an optional complete body. */
  abstract end(body?: BodyChunk): void;
  /** Writes a chunk of a streamed body; false means wait for `drained()`. */
  abstract write(chunk: BodyChunk): boolean;
  /** Resolves when more may be written. */
  abstract drained(): Promise<void>;
  /** Aborts a response whose head is already sent (the transport is closed). */
  abstract abort(error?: unknown): void;

  private closeListeners: Array<() => void> | null = null;

  /**
   * Calls `listener` once when the transport under this response goes away before or while it
   * is written (the client disconnected, the connection was closed): for long-lived responses
   * such as event streams. Returns a function that stops listening. Transports without such a
   * signal (inject) never call it. The engine serves clients that half-close after sending their
   * requests, so a client that closed is noticed at the latest on the next write to it.
   */
  onClose(listener: () => void): () => void {
    (this.closeListeners ??= []).push(listener);
    return () => {
      const list = this.closeListeners;
      const i = list === null ? -1 : list.indexOf(listener);
      if (i !== -1) list!.splice(i, 1);
    };
  }

  /**
   * For a request with `upgrade` set, before anything was written: detaches the connection from
   * the HTTP transport and hands it over (the caller writes the `101` and speaks the new
   * protocol; the response counts as finished and ignores later writes). Null when the
   * transport cannot (fetch, inject, node:http listeners) or the request asked for no upgrade.
   */
  takeOver(): TakenOverConnection | null {
    return null;
  }

  /**
   * Adds `observer`, told once when this response is over (see ResponseObserver): after
   * `end()` has handed it to the transport, when it is aborted, or when its transport closes
   * before the end. Every transport (engine, node:http/https/http2, fetch, inject) tells it; a
   * response already over tells it at once. Observers run in the order added, inside the call
   * that ended the response; they must not throw (an error escaping one is rethrown as an
   * uncaught exception, as from a `'finish'` listener, after the others ran). For logging and
   * metrics (`@armature/observability`): `bodyBytes` and `statusCode` are final when it runs.
   */
  observe(observer: ResponseObserver): void {
    if (this.outcome !== 0) {
      tell(observer, this, this.outcome === 2);
      return;
    }
    const o = this.observers;
    if (o === null) this.observers = observer;
    else if (Array.isArray(o)) o.push(observer);
    else this.observers = [o, observer];
  }

  /**
   * The request's handling threw `error` (a handler, a hook, a middleware, the reply): the app
   * calls this before it answers with the error, so that observers with `responseFailed` (a
   * request log, a trace) know what the answer is made of. Once per error the app handles.
   */
  failedWith(error: unknown): void {
    const o = this.observers;
    if (o === null) return;
    if (!Array.isArray(o)) tellFailure(o, this, error);
    else for (const one of o) tellFailure(one, this, error);
  }

  /** The first observer that is an instance of `type`, or undefined (to find your own again). */
  observerOf<T extends ResponseObserver>(type: abstract new (...args: never[]) => T): T | undefined {
    const o = this.observers;
    if (o === null) return undefined;
    if (!Array.isArray(o)) return o instanceof type ? o : undefined;
    for (const one of o) if (one instanceof type) return one;
    return undefined;
  }

  /** Transports call this once the response is over: ended (false) or cut short (true). Only the first call counts. */
  protected finishedAs(aborted: boolean): void {
    if (this.outcome !== 0) return;
    this.outcome = aborted ? 2 : 1;
    const o = this.observers;
    if (o === null) return;
    this.observers = null;
    if (!Array.isArray(o)) tell(o, this, aborted);
    else for (const one of o) tell(one, this, aborted);
  }

  /**
   * Body bytes handed to the transport so far, counted by the transport: what `end()` and
   * `write()` were given (strings as UTF-8), after any content coding; for HEAD and statuses
   * without content, the bytes the body would have had.
   */
  get bodyBytes(): number {
    if (this.unmeasured !== null) {
      this.bodyCount += Buffer.byteLength(this.unmeasured);
      this.unmeasured = null;
    }
    return this.bodyCount;
  }

  /** Adds `bytes` body bytes, already measured (see bodyBytes). */
  protected addBodyBytes(bytes: number): void {
    this.bodyCount += bytes;
  }

  /** Adds `chunk` to bodyBytes; a string is measured only if someone asks (see bodyBytes). */
  protected countBody(chunk: BodyChunk): void {
    if (typeof chunk !== 'string') {
      this.bodyCount += chunk.byteLength;
      return;
    }
    if (this.unmeasured !== null) this.bodyCount += Buffer.byteLength(this.unmeasured);
    this.unmeasured = chunk;
  }

  /** Transports call this when the connection under the response is gone. */
  protected transportClosed(): void {
    const list = this.closeListeners;
    if (list === null) return;
    this.closeListeners = null;
    for (const listener of list) listener();
  }

  /**
   * Streams a Node Readable or any (async) iterable of chunks with backpressure, then ends.
   * If the source fails, the error is passed on; once the head is out, the response is first
   * cut short (abort) so the client cannot take a truncated body for a whole one.
   */
  async send(source: Readable | AsyncIterable<BodyChunk> | Iterable<BodyChunk>): Promise<void> {
    try {
      for await (const chunk of source as AsyncIterable<BodyChunk>) {
        if (this.finished) break;
        if (!this.write(chunk)) await this.drained();
      }
    } catch (error) {
      if (this.headersSent && !this.finished) this.abort();
      throw error;
    }
    if (!this.finished) this.end();
  }
}

/** Runs one observer; what it throws cannot be the transport's problem (see HttpResponse.observe). */
function tell(observer: ResponseObserver, res: HttpResponse, aborted: boolean): void {
  try {
    observer.responseFinished(res, aborted);
  } catch (error) {
    uncaught(error);
  }
}

/** Tells one observer the error the app answers, if it asks for it (see HttpResponse.failedWith). */
function tellFailure(observer: ResponseObserver, res: HttpResponse, error: unknown): void {
  if (observer.responseFailed === undefined) return;
  try {
    observer.responseFailed(res, error);
  } catch (thrown) {
    uncaught(thrown);
  }
}

/** An observer's own error: reported as an uncaught exception, after the caller is done. */
function uncaught(error: unknown): void {
  process.nextTick(() => {
    throw error;
  });
}

/**
 * Header fields validated once (names are tokens, values free of CR/LF/NUL), to be set on many
 * responses with `res.setFields(prepared)`. A name given twice keeps its last value, as two
 * `setHeader` calls would; an array value is several fields of one name, as with `setHeader`.
 */
export class PreparedFields {
  /** @internal Lowercased name, name as given, value; per field. */
  readonly flat: readonly string[];
  /** @internal */
  readonly nonAscii: boolean;

  constructor(entries: Iterable<readonly [name: string, value: HeaderValue]>) {
    const flat: string[] = [];
    let nonAscii = false;
    for (const [name, value] of entries) {
      const key = checkName(name);
      for (let i = flat.length - 3; i >= 0; i -= 3) if (flat[i] === key) flat.splice(i, 3);
      for (const v of typeof value === 'object' ? value : [typeof value === 'string' ? value : String(value)]) {
        if (INVALID_VALUE_CHAR.test(v)) throw new TypeError(`Invalid character (CR, LF or NUL) in value of header "${name}"`);
        if (UNUSUAL_VALUE_CHAR.test(v)) nonAscii = true;
        flat.push(key, name, v);
      }
    }
    this.flat = Object.freeze(flat);
    this.nonAscii = nonAscii;
  }

  /** The fields as [name, value] pairs, in order. */
  entries(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (let i = 0; i < this.flat.length; i += 3) out.push([this.flat[i + 1]!, this.flat[i + 2]!]);
    return out;
  }
}

/** CR, LF, NUL or any non-ASCII character: the slow path of a value check. */
const UNUSUAL_VALUE_CHAR = /[\r\n\0\u0080-\uffff]/;

/** Short plain-ASCII values already checked (bounded). */
const checkedValues = new Map<string, true>();

/** Names already validated, with their lowercased keys (bounded: handlers use a few names). */
const checkedNames = new Map<string, string>();

function checkName(name: string): string {
  const known = checkedNames.get(name);
  if (known !== undefined) return known;
  if (!isToken(name)) throw new TypeError(`Invalid header name "${name}"`);
  const key = name.toLowerCase();
  if (checkedNames.size < 1024) checkedNames.set(name, key);
  return key;
}
