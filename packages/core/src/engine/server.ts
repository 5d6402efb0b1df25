import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { dateLine } from './date.js';
import { BufferPool, type BufferStats } from './buffer-pool.js';
import { Connection } from './connection.js';
import { HeadCache } from './head-cache.js';
import { resolveEngineOptions, type EngineOptions, type ResolvedEngineOptions } from './options.js';
import type { EngineRequest } from './engine-request.js';
import type { EngineResponse } from './engine-response.js';
import { refusal } from './refusal.js';
import { Http2Sessions, type Http2Listener } from './http2.js';

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
  /**
   * Serve HTTP/2 as well, through node:http2, on the same port as HTTP/1.1: with `tls`, clients
   * that offer 'h2' by ALPN get HTTP/2 and the others HTTP/1.1; `'h2c'` (or `true` without `tls`)
   * serves HTTP/2 in cleartext to clients that open with its preface (prior knowledge) and
   * HTTP/1.1 to the others. Needs the server's HTTP/2 listener (the app provides it). See
   * docs/http2.md.
   */
  http2?: boolean | 'h2c';
}

/** Counters and the current state of connection handling and buffers (see docs/connections.md). */
export interface EngineStats extends BufferStats {
  /** Connections closed by culling under pressure (or to make room at maxConnections). */
  culled: number;
  /** New connections refused with 503 (over maxConnections with nothing to cull, or shutting down). */
  refused: number;
  /** Connections closed because their client stopped reading (sendTimeout). */
  sendTimeouts: number;
  /** Pressure now, 0 (none) to 1 (at a limit): the largest of the connection, heap and event-loop signals. */
  pressure: number;
  /** Event loop utilization, averaged over about five seconds (0..1). */
  eventLoopUtilization: number;
  /** The keep-alive idle timeout in force (ms), lowered under pressure. */
  keepAliveTimeout: number;
  /** Requests per connection in force (0: no limit), lowered under pressure. */
  maxRequestsPerConnection: number;
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
  /** The keep-alive idle timeout in force (ms): keepAliveTimeout, lowered under pressure. */
  keepAliveTimeout: number;
  /** Requests per connection in force (0: no limit): maxRequestsPerConnection, lowered under pressure. */
  maxRequests: number;
  /** `Keep-Alive: timeout=…\r\n` advertising keepAliveTimeout, or '' when pressure handling is off. */
  keepAliveLine = '';
  readonly stats: EngineStats;
  /** @internal The last response head built, for the next response like it. */
  readonly heads = new HeadCache();
  /** Pooled buffers for output and heads arriving in pieces; null when bufferSize is 0. */
  readonly buffers: BufferPool | null;
  private elu: EventLoopUtilization | null = null;
  closing = false;
  private readonly connections = new Set<Connection>();
  /** Sockets handed over to another protocol (takeOver), cut off at close()'s deadline if still open. */
  private readonly takenOver = new Set<net.Socket>();
  private server: net.Server | null = null;
  private sweep: NodeJS.Timeout | null = null;
  private closed: Promise<void> | null = null;
  private idleWaiters: Array<() => void> = [];
  private readonly http2Listener: Http2Listener | null;
  /** HTTP/2 sessions, when listening with `http2`. */
  private h2: Http2Sessions | null = null;
  /** h2c: plain sockets are peeked at for the HTTP/2 preface. */
  private h2c = false;

  /**
   * `http2Listener` serves the requests of HTTP/2 sessions (`listen({ http2 })`): a node:http2
   * compatibility-API listener, such as `app.nodeListener()`.
   */
  constructor(handler: EngineHandler, options?: EngineOptions, http2Listener?: Http2Listener) {
    this.handler = handler;
    this.http2Listener = http2Listener ?? null;
    this.options = resolveEngineOptions(options);
    this.keepAliveTimeout = this.options.keepAliveTimeout;
    this.maxRequests = this.options.maxRequestsPerConnection;
    this.stats = {
      culled: 0, refused: 0, sendTimeouts: 0, pressure: 0, eventLoopUtilization: 0,
      keepAliveTimeout: this.keepAliveTimeout, maxRequestsPerConnection: this.maxRequests,
      outputBufferSize: 0, buffersAllocated: 0, unpooledOutputs: 0,
    };
    const size = this.options.bufferSize;
    this.buffers = size === 0 ? null : new BufferPool(size, this.options.maxHeaderSize, this.stats);
    this.advertise();
  }

  /** Connections open now (HTTP/2 sessions included). */
  get connectionCount(): number {
    return this.connections.size + (this.h2 === null ? 0 : this.h2.count);
  }

  listen(options: ListenOptions = {}): Promise<AddressInfo> {
    if (this.server !== null) return Promise.reject(new Error('Server is already listening'));
    const secure = options.tls !== undefined;
    const http2 = options.http2 ?? false;
    if (http2 !== false) {
      if (this.http2Listener === null) return Promise.reject(new TypeError('listen({ http2 }) needs an HTTP/2 listener: new EngineServer(handler, options, http2Listener)'));
      if (http2 === 'h2c' && secure) return Promise.reject(new TypeError("listen({ http2: 'h2c' }) is cleartext HTTP/2: with tls, use http2: true"));
      if (http2 !== true && http2 !== 'h2c') return Promise.reject(new TypeError(`listen option http2 must be true or 'h2c', got ${String(http2)}`));
      this.h2 = new Http2Sessions(this, this.http2Listener);
      this.h2c = !secure;
    }
    const server = secure
      ? tls.createServer({ ALPNProtocols: http2 === false ? ['http/1.1'] : ['h2', 'http/1.1'], ...options.tls }, (s) => this.accept(s, true))
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
    const h2 = this.h2;
    // at the limit, connections that have not delivered a request head make room first
    // (a hundredth of the limit at a time, so the scan is paid once per many accepts)
    if (!this.closing && max > 0 && this.connectionCount >= max) this.cull(Math.max(1, Math.floor(max / 100)), false, 0);
    if (this.closing || (max > 0 && this.connectionCount >= max)) {
      this.stats.refused++;
      if (h2 !== null && (socket as tls.TLSSocket).alpnProtocol === 'h2') {
        // no HTTP/1.1 answer on an HTTP/2 connection: closed before its session starts
        socket.destroy();
        return;
      }
      socket.on('error', () => socket.destroy());
      socket.end(refusal(503, this.closing ? 'The server is shutting down' : 'Too many connections', o.serverLine, o.refusalLines), 'latin1');
      // read (and drop) until the peer closes, so its FIN is seen and the socket released; a
      // peer that never closes is cut off after a second
      socket.resume();
      const timer = setTimeout(() => socket.destroy(), 1000);
      socket.once('close', () => clearTimeout(timer));
      return;
    }
    if (h2 !== null) {
      if (this.h2c) return h2.peek(socket);
      if ((socket as tls.TLSSocket).alpnProtocol === 'h2') return h2.serve(socket);
    }
    if (secure) (socket as net.Socket & { allowHalfOpen: boolean }).allowHalfOpen = true;
    this.connections.add(new Connection(this, socket, secure));
  }

  /** @internal h2c: a plain socket whose first bytes are not the HTTP/2 preface. */
  serveHttp1(socket: net.Socket): void {
    this.connections.add(new Connection(this, socket, false));
  }

  /** @internal An HTTP/2 session (or a socket peeked at) closed. */
  http2Closed(): void {
    this.notifyIdle();
  }

  /** @internal A connection's socket was handed over to another protocol: no longer counted, but still closed by close()'s deadline. */
  connectionTakenOver(conn: Connection): void {
    const socket = conn.socket;
    this.takenOver.add(socket);
    socket.once('close', () => this.takenOver.delete(socket));
    this.connectionClosed(conn);
  }

  /** @internal */
  connectionClosed(conn: Connection): void {
    this.connections.delete(conn);
    if (this.connections.size === 0 && this.idleWaiters.length > 0) this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.connectionCount === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private onSweep(): void {
    const now = Date.now();
    this.now = now;
    if (this.options.pressure !== null) this.adapt();
    for (const conn of this.connections) conn.checkTimers(now, this.tick);
  }

  /**
   * Measures pressure (open connections against the soft limit, heap against its limit, event
   * loop utilization averaged over about five seconds), closes idle connections while it lasts, and
   * scales the keep-alive timeout and the requests per connection down with it.
   */
  private adapt(): void {
    const p = this.options.pressure!;
    const o = this.options;
    const current = performance.eventLoopUtilization();
    const elu = this.elu === null ? 0 : performance.eventLoopUtilization(current, this.elu).utilization;
    this.elu = current;
    const stats = this.stats;
    const weight = Math.min(1, this.tick / 5000); // sustained: about five seconds
    stats.eventLoopUtilization = stats.eventLoopUtilization * (1 - weight) + elu * weight;
    let pressure = 0;
    const size = this.connections.size;
    const soft = Math.floor(o.maxConnections * p.softConnections);
    if (o.maxConnections > 0 && size > soft) pressure = Math.min(1, (size - soft) / Math.max(1, o.maxConnections - soft));
    if (stats.eventLoopUtilization > p.eventLoopUtilization) {
      pressure = Math.max(pressure, Math.min(1, (stats.eventLoopUtilization - p.eventLoopUtilization) / Math.max(0.01, 1 - p.eventLoopUtilization)));
    }
    const heap = getHeapStatistics();
    if (heap.used_heap_size > heap.heap_size_limit * p.heapRatio) pressure = 1;
    stats.pressure = Math.round(pressure * 100) / 100;
    if (pressure > 0) {
      // above the soft limit: down to it, at once; on heap or event-loop pressure alone, a share
      // of the connections idle for at least minKeepAliveTimeout (a busy loop is no reason to
      // cut a client between two requests)
      const excess = o.maxConnections > 0 && size > soft ? size - soft : 0;
      if (excess > 0) this.cull(excess, true, 0);
      else this.cull(Math.ceil((size * pressure) / 10), true, p.minKeepAliveTimeout);
    }
    const timeout = Math.round(Math.max(Math.min(p.minKeepAliveTimeout, o.keepAliveTimeout), o.keepAliveTimeout * (1 - pressure)));
    // requests per connection: unchanged without pressure, down to 100 at full pressure
    const configured = o.maxRequestsPerConnection;
    const maxRequests = pressure === 0 ? configured : Math.min(configured || Infinity, Math.max(100, Math.round(10_000 * (1 - pressure))));
    if (timeout !== this.keepAliveTimeout || maxRequests !== this.maxRequests) {
      this.keepAliveTimeout = timeout;
      this.maxRequests = maxRequests;
      this.advertise();
    }
  }

  /** Publishes the keep-alive figures in force (the Keep-Alive header line and the stats). */
  private advertise(): void {
    this.stats.keepAliveTimeout = this.keepAliveTimeout;
    this.stats.maxRequestsPerConnection = this.maxRequests;
    this.keepAliveLine = this.options.pressure === null ? '' : `Keep-Alive: timeout=${Math.max(1, Math.floor(this.keepAliveTimeout / 1000))}\r\n`;
  }

  /**
   * Closes up to `count` connections that are not busy: first those without a complete request
   * head, then (with `idle`) idle keep-alive ones, each group least recently active first; only
   * those inactive for at least `minAge` ms. Returns how many were closed.
   */
  private cull(count: number, idle: boolean, minAge: number): number {
    const headless: Connection[] = [];
    const waiting: Connection[] = [];
    const since = this.now - minAge;
    for (const conn of this.connections) {
      if (minAge > 0 && conn.lastActive > since) continue;
      const cls = conn.cullClass();
      if (cls === 1) headless.push(conn);
      else if (cls === 2 && idle) waiting.push(conn);
    }
    const byAge = (a: Connection, b: Connection): number => a.lastActive - b.lastActive;
    let closed = 0;
    for (const [group, cls] of [[headless, 1], [waiting, 2]] as const) {
      if (closed >= count || group.length === 0) continue;
      if (group.length > count - closed) group.sort(byAge);
      for (let i = 0; i < group.length && closed < count; i++, closed++) group[i]!.cull(cls);
    }
    this.stats.culled += closed;
    return closed;
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
        if (this.connectionCount === 0) r();
        else this.idleWaiters.push(r);
      });
      const listening = new Promise<void>((r) => (server === null ? r() : server.close(() => r())));
      for (const conn of this.connections) conn.shutdown();
      this.h2?.shutdown();
      // not unref'd: close() resolves by the deadline even when nothing else keeps the process
      // alive (a paused socket does not)
      const deadline = setTimeout(() => {
        for (const conn of this.connections) conn.destroy();
        for (const socket of this.takenOver) socket.destroy();
        this.h2?.destroy();
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
