import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { dateLine } from './date.js';
import { Connection } from './connection.js';
import { resolveEngineOptions, type EngineOptions, type ResolvedEngineOptions } from './options.js';
import type { EngineRequest } from './engine-request.js';
import type { EngineResponse } from './engine-response.js';
import { refusal } from './refusal.js';

export type EngineHandler = (req: EngineRequest, res: EngineResponse) => unknown;

export interface ListenOptions {
  port?: number;
  host?: string;
  backlog?: number;
  /** Several processes may bind the same port (Node ≥ 22.12 / 23.1 on Linux; ignored elsewhere). */
  reusePort?: boolean;
  /** In a node:cluster worker: bind the port in this process rather than through the primary. */
  exclusive?: boolean;
  /** Serve HTTPS: key/cert (or pfx) and any node:tls server option. */
  tls?: tls.TlsOptions;
}

export interface CloseOptions {
  /** Connections still busy after this many ms are destroyed. Default 10 s. */
  timeout?: number;
}

/**
 * The HTTP/1.1 server on node:net (or node:tls). Owns the connections, the coarse clock that
 * drives their timeouts, the connection limit and graceful shutdown.
 */
export class EngineServer {
  readonly options: ResolvedEngineOptions;
  readonly handler: EngineHandler;
  /** Coarse clock (ms), refreshed by the sweep timer; used for all timeouts. */
  now = Date.now();
  /** Interval of the sweep (ms): how far the coarse clock may be behind. */
  private tick = 1000;
  closing = false;
  private readonly connections = new Set<Connection>();
  private server: net.Server | null = null;
  private sweep: NodeJS.Timeout | null = null;
  private closed: Promise<void> | null = null;
  private idleWaiters: Array<() => void> = [];

  constructor(handler: EngineHandler, options?: EngineOptions) {
    this.handler = handler;
    this.options = resolveEngineOptions(options);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  listen(options: ListenOptions = {}): Promise<AddressInfo> {
    if (this.server !== null) return Promise.reject(new Error('Server is already listening'));
    const secure = options.tls !== undefined;
    const server = secure
      ? tls.createServer({ ALPNProtocols: ['http/1.1'], ...options.tls }, (s) => this.accept(s, true))
      : net.createServer({ allowHalfOpen: true, noDelay: true }, (s) => this.accept(s, false));
    if (secure) server.on('tlsClientError', (_err, socket) => socket.destroy());
    this.server = server;
    dateLine();
    const o = this.options;
    // timeouts fire between their value and their value plus two ticks: at most a tenth late
    this.tick = Math.max(10, Math.min(250, Math.min(o.headersTimeout, o.keepAliveTimeout, o.requestTimeout || Infinity) / 20));
    this.sweep = setInterval(() => this.onSweep(), this.tick);
    this.sweep.unref();
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      const listenOptions: net.ListenOptions & { reusePort?: boolean } = { port: options.port ?? 0, host: options.host ?? '127.0.0.1' };
      if (options.backlog !== undefined) listenOptions.backlog = options.backlog;
      if (options.reusePort) listenOptions.reusePort = true;
      if (options.exclusive) listenOptions.exclusive = true;
      server.listen(listenOptions, () => {
        server.off('error', reject);
        resolve(server.address() as AddressInfo);
      });
    });
  }

  address(): AddressInfo | null {
    return (this.server?.address() as AddressInfo | null) ?? null;
  }

  private accept(socket: net.Socket, secure: boolean): void {
    const o = this.options;
    const max = o.maxConnections;
    if (this.closing || (max > 0 && this.connections.size >= max)) {
      socket.on('error', () => socket.destroy());
      socket.end(refusal(503, this.closing ? 'The server is shutting down' : 'Too many connections', o.serverLine, o.refusalLines), 'latin1');
      // read (and drop) until the peer closes, so its FIN is seen and the socket released; a
      // peer that never closes is cut off after a second
      socket.resume();
      const timer = setTimeout(() => socket.destroy(), 1000);
      socket.once('close', () => clearTimeout(timer));
      return;
    }
    if (secure) (socket as net.Socket & { allowHalfOpen: boolean }).allowHalfOpen = true;
    this.connections.add(new Connection(this, socket, secure));
  }

  /** @internal */
  connectionClosed(conn: Connection): void {
    this.connections.delete(conn);
    if (this.connections.size === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private onSweep(): void {
    const now = Date.now();
    this.now = now;
    for (const conn of this.connections) conn.checkTimers(now, this.tick);
  }

  /**
   * Graceful shutdown: stop accepting, close idle keep-alive connections at once, let in-flight
   * requests finish (their responses carry `Connection: close`), destroy what is left after
   * `timeout` ms.
   */
  close(options: CloseOptions = {}): Promise<void> {
    if (this.closed !== null) return this.closed;
    this.closing = true;
    const timeout = options.timeout ?? 10_000;
    const server = this.server;
    this.closed = new Promise<void>((resolve) => {
      const idle = new Promise<void>((r) => {
        if (this.connections.size === 0) r();
        else this.idleWaiters.push(r);
      });
      const listening = new Promise<void>((r) => (server === null ? r() : server.close(() => r())));
      for (const conn of this.connections) conn.shutdown();
      // not unref'd: close() resolves by the deadline even when nothing else keeps the process
      // alive (a paused socket does not)
      const deadline = setTimeout(() => {
        for (const conn of this.connections) conn.destroy();
      }, timeout);
      void Promise.all([idle, listening]).then(() => {
        clearTimeout(deadline);
        if (this.sweep !== null) clearInterval(this.sweep);
        resolve();
      });
    });
    return this.closed;
  }
}
