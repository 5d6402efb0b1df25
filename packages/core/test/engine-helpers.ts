/**
 * Helpers for the engine integration tests: a raw-socket client with a strict incremental
 * HTTP/1.1 response parser, a scoped engine starter, and a self-signed TLS certificate.
 * Every wait is bounded by a timeout; everything listens and connects on 127.0.0.1 only.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineServer, type EngineHandler, type ListenOptions } from '../src/engine/server.js';
import type { EngineOptions } from '../src/engine/options.js';

export const HOST = '127.0.0.1';
export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Engine {
  server: EngineServer;
  port: number;
  /** Errors passed to onError. */
  errors: unknown[];
}

/** Runs `fn` with an engine on an ephemeral port, always closing it afterwards. */
export async function withEngine<T>(
  handler: EngineHandler,
  options: EngineOptions,
  fn: (e: Engine) => Promise<T>,
  listen: ListenOptions = {},
): Promise<T> {
  const errors: unknown[] = [];
  const server = new EngineServer(handler, { onError: (e) => errors.push(e), ...options });
  const { port } = await server.listen({ port: 0, host: HOST, ...listen });
  try {
    return await fn({ server, port, errors });
  } finally {
    await server.close({ timeout: 200 });
  }
}

// ---- response parsing ------------------------------------------------------------------------

export interface Resp {
  status: number;
  reason: string;
  /** Lowercased name → value; repeated fields joined with ", ". */
  headers: Record<string, string>;
  /** [name, value] as received. */
  fields: Array<[string, string]>;
  body: Buffer;
  text: string;
  /** How the body was delimited. */
  framing: 'none' | 'length' | 'chunked' | 'close';
  /** Raw head text (status line and fields). */
  head: string;
}

/**
 * Parses as many complete responses as `data` holds. `isHead(i)` tells whether the i-th final
 * (non-1xx) response answers a HEAD request. A body delimited by close is complete only when
 * `closed`. Throws on anything that is not well-formed HTTP/1.1.
 */
export function parseResponseStream(
  data: Buffer,
  closed: boolean,
  isHead: (finalIndex: number) => boolean = () => false,
): { responses: Resp[]; consumed: number } {
  const responses: Resp[] = [];
  let pos = 0;
  let finals = 0;
  for (;;) {
    if (pos >= data.length) break;
    const end = data.indexOf('\r\n\r\n', pos, 'latin1');
    if (end === -1) break;
    const head = data.toString('latin1', pos, end);
    const lines = head.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(lines[0]!);
    if (m === null) throw new Error(`Malformed status line: ${JSON.stringify(lines[0]!.slice(0, 80))}`);
    const status = Number(m[1]);
    const fields: Array<[string, string]> = [];
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i <= 0 || /\s/.test(line.slice(0, i))) throw new Error(`Malformed header line: ${JSON.stringify(line.slice(0, 80))}`);
      const name = line.slice(0, i);
      const value = line.slice(i + 1).trim();
      fields.push([name, value]);
      const key = name.toLowerCase();
      headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
    }
    let p = end + 4;
    let body: Buffer = Buffer.alloc(0);
    let framing: Resp['framing'] = 'none';
    const informational = status < 200;
    const noBody = informational || status === 204 || status === 304 || isHead(finals);
    if (!noBody && headers['transfer-encoding'] !== undefined) {
      if (headers['transfer-encoding'] !== 'chunked') throw new Error(`Unexpected Transfer-Encoding ${headers['transfer-encoding']}`);
      if (headers['content-length'] !== undefined) throw new Error('Both Content-Length and Transfer-Encoding in a response');
      framing = 'chunked';
      const parts: Buffer[] = [];
      let complete = false;
      for (;;) {
        const e = data.indexOf('\r\n', p, 'latin1');
        if (e === -1) break;
        const sizeText = data.toString('latin1', p, e);
        if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new Error(`Bad chunk size ${JSON.stringify(sizeText.slice(0, 40))}`);
        const size = parseInt(sizeText, 16);
        if (size === 0) {
          if (data.length < e + 4) break;
          if (data.toString('latin1', e + 2, e + 4) !== '\r\n') throw new Error('Trailers are not expected in responses');
          p = e + 4;
          complete = true;
          break;
        }
        if (data.length < e + 2 + size + 2) break;
        parts.push(data.subarray(e + 2, e + 2 + size));
        if (data.toString('latin1', e + 2 + size, e + 4 + size) !== '\r\n') throw new Error('Chunk data not followed by CRLF');
        p = e + 4 + size;
      }
      if (!complete) break;
      body = Buffer.concat(parts);
    } else if (!noBody && headers['content-length'] !== undefined) {
      framing = 'length';
      const n = Number(headers['content-length']);
      if (!Number.isSafeInteger(n) || n < 0) throw new Error(`Bad Content-Length ${headers['content-length']}`);
      if (data.length < p + n) break;
      body = data.subarray(p, p + n);
      p += n;
    } else if (!noBody) {
      framing = 'close';
      if (!closed) break;
      body = data.subarray(p);
      p = data.length;
    }
    responses.push({ status, reason: m[2]!, headers, fields, body, text: body.toString('utf8'), framing, head });
    if (!informational) finals++;
    pos = p;
  }
  return { responses, consumed: pos };
}

// ---- raw client ------------------------------------------------------------------------------

/** A raw TCP client that accumulates what the server sends. */
export class RawClient {
  readonly socket: net.Socket;
  data = Buffer.alloc(0);
  ended = false;
  closed = false;
  error: Error | null = null;
  /** Which final responses answer HEAD requests (by index). */
  headIndexes = new Set<number>();
  private listeners = new Set<() => void>();

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.data = Buffer.concat([this.data, d]);
      this.notify();
    });
    socket.on('end', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('error', (e) => {
      this.error = e;
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  /** `allowHalfOpen`: keep the sending side open after the server ends its side. */
  static connect(port: number, timeoutMs = 2000, allowHalfOpen = false): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: HOST, noDelay: true, allowHalfOpen });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('connect timed out'));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', reject);
        resolve(new RawClient(socket));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Resolves when `cond` holds (checked on every socket event); rejects after `timeoutMs`. */
  waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        let ok = false;
        try {
          ok = cond();
        } catch (e) {
          cleanup();
          reject(e as Error);
          return;
        }
        if (ok) {
          cleanup();
          resolve();
        }
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received: ${JSON.stringify(this.data.toString('latin1').slice(0, 600))}`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Writes and resolves once the data is handed to the OS. */
  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.write(data, (e) => (e ? reject(e) : resolve()));
    });
  }

  /** Writes pieces one after another with `gapMs` between them (separate TCP segments). */
  async writePieces(pieces: Array<string | Buffer>, gapMs: number): Promise<void> {
    for (let i = 0; i < pieces.length; i++) {
      if (this.socket.destroyed) return;
      await this.write(pieces[i]!);
      if (gapMs > 0 && i < pieces.length - 1) await delay(gapMs);
    }
  }

  /** All complete responses so far (including 1xx). */
  parsed(): Resp[] {
    return parseResponseStream(this.data, this.ended || this.closed, (i) => this.headIndexes.has(i)).responses;
  }

  /** Waits for `n` complete final (≥ 200) responses and returns every response so far. */
  async responses(n: number, timeoutMs = 2000): Promise<Resp[]> {
    await this.waitFor(() => this.parsed().filter((r) => r.status >= 200).length >= n, timeoutMs, `${n} responses`);
    return this.parsed();
  }

  /** Waits until the server ends or closes the connection; false on timeout. */
  async waitClosed(timeoutMs = 2000): Promise<boolean> {
    try {
      await this.waitFor(() => this.ended || this.closed, timeoutMs, 'close');
      return true;
    } catch {
      return false;
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/**
 * Connects, writes `data` (pieces separated by `gapMs`), and collects until the server closes
 * the connection or `waitMs` passes.
 */
export async function exchange(
  port: number,
  data: string | Buffer | Array<string | Buffer>,
  opts: { waitMs?: number; gapMs?: number; head?: number[]; until?: (c: RawClient) => boolean } = {},
): Promise<{ responses: Resp[]; closed: boolean; raw: string; client: RawClient }> {
  const client = await RawClient.connect(port);
  for (const i of opts.head ?? []) client.headIndexes.add(i);
  try {
    const pieces = Array.isArray(data) ? data : [data];
    const writing = client.writePieces(pieces, opts.gapMs ?? 0).catch(() => {});
    const until = opts.until ?? ((c: RawClient) => c.ended || c.closed);
    try {
      await client.waitFor(() => until(client), opts.waitMs ?? 2000, 'exchange end');
    } catch {
      // timed out: report what arrived
    }
    await writing;
    return { responses: client.parsed(), closed: client.ended || client.closed, raw: client.data.toString('latin1'), client };
  } finally {
    client.destroy();
  }
}

/** Splits `text` into pieces at the given positions. */
export function splitAt(data: string | Buffer, positions: number[]): Buffer[] {
  const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  const out: Buffer[] = [];
  let last = 0;
  for (const p of positions) {
    out.push(buf.subarray(last, p));
    last = p;
  }
  out.push(buf.subarray(last));
  return out.filter((b) => b.length > 0);
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * A response without its Date value (which changes every second) and its Keep-Alive value (the
 * timeout in force, which shrinks when the event loop is busy), for comparing runs.
 */
export function comparable(r: Resp): string {
  return `${r.status}\n${r.fields.filter(([n]) => n.toLowerCase() !== 'date' && n.toLowerCase() !== 'keep-alive').map(([n, v]) => `${n}: ${v}`).join('\n')}\n\n${r.text}`;
}

// ---- TLS -------------------------------------------------------------------------------------

let certPromise: Promise<{ key: string; cert: string } | string> | null = null;

/** A self-signed key/cert for localhost made with openssl, or the reason none could be made. */
export function selfSignedCert(): Promise<{ key: string; cert: string } | string> {
  certPromise ??= new Promise((resolve) => {
    const dir = mkdtempSync(join(tmpdir(), 'armature-tls-'));
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    execFile(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', keyPath, '-out', certPath],
      { timeout: 20_000 },
      (error) => {
        try {
          if (error) resolve(`openssl could not make a certificate: ${(error as Error).message}`);
          else resolve({ key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  });
  return certPromise;
}

/** Runs a command with a timeout; resolves with its output or the reason it failed to start. */
export function run(cmd: string, args: string[], timeoutMs = 5000): Promise<{ code: number | null; stdout: string; stderr: string; missing: boolean }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const missing = (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
      const code = error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : null;
      resolve({ code, stdout, stderr, missing });
    });
  });
}
