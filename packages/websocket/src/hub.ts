/**
 * The WebSockets of one app: turns routes into WebSocket endpoints (handshake checks, then the
 * connection is taken over from the engine and handed to `ws` for framing), and owns what spans
 * connections: the limits, the heartbeat, rooms and broadcast, graceful shutdown.
 */
import type { App, Context } from '@armature/core';
import { HttpError, PROBLEM_TYPE, problemJson } from '@armature/core/http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RoomMessage } from './broadcaster.js';
import { checkHandshake } from './handshake.js';
import { resolveWebSocketOptions, type ResolvedWebSocketOptions, type WebSocketOptions } from './options.js';
import { WebSocketPeer, type RoomSender, type WebSocketData } from './peer.js';
import { Rooms } from './rooms.js';

/** What an endpoint does with its connections. Errors thrown (or rejected) are reported and close the peer with 1011. */
export interface WebSocketHandlers<D = Record<string, unknown>> {
  /** The connection is open (the `101` was sent). */
  open?(peer: WebSocketPeer<D>): unknown;
  /** A whole message: text as a string, binary as a Buffer (fragments reassembled). */
  message?(peer: WebSocketPeer<D>, data: WebSocketData, isBinary: boolean): unknown;
  /** The connection is closed (code and reason of the close frame; 1006 when there was none). */
  close?(peer: WebSocketPeer<D>, code: number, reason: string): unknown;
}

/** Counters of a hub. */
export interface WebSocketStats {
  /** Handshakes refused for maxConnections or shutdown (503). */
  refused: number;
  /** Peers closed for a buffered amount over maxBufferedAmount. */
  slowConsumersClosed: number;
  /** Messages dropped for a buffered amount over maxBufferedAmount ('drop' policy). */
  dropped: number;
  /** Peers cut off for not answering a ping. */
  pingTimeouts: number;
}

export interface HubCloseOptions {
  /** Peers that have not completed the closing handshake after this many ms are cut off. Default: the hub's closeTimeout, else 10 s. */
  timeout?: number;
}

type AnyContext = Context<any, any, any, any>;

/** Time a peer closed as a slow consumer gets for its close frame before it is cut off. */
const SLOW_CONSUMER_GRACE = 1000;

export class WebSocketHub {
  readonly options: ResolvedWebSocketOptions;
  /** Open peers of this process. */
  readonly peers = new Set<WebSocketPeer<any>>();
  readonly stats: WebSocketStats = { refused: 0, slowConsumersClosed: 0, dropped: 0, pingTimeouts: 0 };
  private readonly app: App | null;
  private readonly rooms = new Rooms();
  private readonly server: WebSocketServer;
  private readonly report: (error: unknown) => void;
  private heartbeat: NodeJS.Timeout | null = null;
  private closing: Promise<void> | null = null;
  private readonly started: Promise<void>;
  private idleWaiters: Array<() => void> = [];

  /**
   * With an app, the hub closes with it (`app.close()` sends 1001 to every peer) and `route()`
   * registers on it.
   */
  constructor(app: App | null, options?: WebSocketOptions & { onError?: (error: unknown) => void }) {
    this.app = app;
    this.options = resolveWebSocketOptions(options);
    this.report = options?.onError ?? ((error) => console.error(error));
    this.server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: this.options.maxPayload,
      perMessageDeflate: this.options.perMessageDeflate,
    });
    const broadcaster = this.options.broadcaster;
    this.started = broadcaster === null ? Promise.resolve() : Promise.resolve(broadcaster.start((m) => this.deliver(m)));
    this.started.catch(this.report);
    app?.onClose((o) => this.close(o));
  }

  /** Resolves once the broadcaster is subscribed (messages of other processes arrive from then on). */
  ready(): Promise<void> {
    return this.started;
  }

  /** Open peers of this process. */
  get connections(): number {
    return this.peers.size;
  }

  /** `app.get(path, hub.handler(handlers))`: a WebSocket endpoint on the hub's app. */
  route(path: string, handlers: WebSocketHandlers<any>): this {
    if (this.app === null) throw new Error('WebSocketHub.route() needs the hub to be created with an app; use app.get(path, hub.handler(handlers))');
    this.app.get(path, this.handler(handlers));
    return this;
  }

  /**
   * A route handler that accepts WebSocket handshakes: register it with `get()` on an app or
   * group, so hooks, middleware, guards and validation run on the handshake request as on any
   * other. A request that is not a valid handshake gets 426/400/403; over the limit or during
   * shutdown, 503.
   */
  handler<D = Record<string, unknown>>(handlers: WebSocketHandlers<D>): (ctx: AnyContext) => void {
    return (ctx) => this.upgrade(ctx, (peer) => this.attach(peer, handlers));
  }

  /**
   * Checks the handshake of `ctx`, takes its connection over and opens the WebSocket; `opened` is
   * called with the new peer. Throws the HttpError of a refused handshake.
   */
  upgrade(ctx: AnyContext, opened: (peer: WebSocketPeer<any>) => void): void {
    checkHandshake(ctx.req, this.options.origins);
    const max = this.options.maxConnections;
    if (this.closing !== null || (max > 0 && this.peers.size >= max)) {
      // an expected condition, answered here rather than thrown: a thrown 5xx is reported as a fault
      this.stats.refused++;
      const res = ctx.res;
      res.statusCode = 503;
      res.setHeader('Retry-After', '1');
      res.setHeader('Content-Type', PROBLEM_TYPE);
      res.end(problemJson(503, this.closing !== null ? 'The server is shutting down' : 'Too many WebSocket connections', { instance: ctx.path }));
      return;
    }
    ctx.res.statusCode = 101;
    const taken = ctx.res.takeOver();
    if (taken === null) {
      ctx.res.statusCode = 200;
      throw new HttpError(501, 'WebSockets are served by the engine (app.listen()); this transport cannot hand its connection over');
    }
    const req = { method: 'GET', url: ctx.req.url, headers: ctx.req.headers.toObject() };
    this.server.handleUpgrade(req as never, taken.socket, taken.head, (raw: WebSocket) => {
      const peer = new WebSocketPeer<any>(raw, ctx, this);
      this.peers.add(peer);
      this.startHeartbeat();
      opened(peer);
    });
    // the engine paused reading while the handshake was decided; `ws` reads from here on
    taken.socket.resume();
  }

  /** Wires a peer's events to handlers (the functional API; gateways have their own). */
  private attach(peer: WebSocketPeer<any>, handlers: WebSocketHandlers<any>): void {
    const raw = peer.raw;
    const message = handlers.message;
    // per message: no closure, no promise unless the handler returns one
    raw.on('message', (data: Buffer, isBinary: boolean) => {
      peer.alive = true;
      if (message === undefined) return;
      try {
        const result = message(peer, isBinary ? data : data.toString(), isBinary) as Promise<unknown> | undefined;
        if (result !== null && typeof result === 'object' && typeof result.then === 'function') result.then(undefined, (error: unknown) => this.failed(peer, error));
      } catch (error) {
        this.failed(peer, error);
      }
    });
    this.watch(peer, (code, reason) => {
      if (handlers.close !== undefined) this.run(peer, () => handlers.close!(peer, code, reason));
    });
    if (handlers.open !== undefined) this.run(peer, () => handlers.open!(peer));
  }

  /** @internal Heartbeat and close bookkeeping of a peer; `closed` runs once it is gone. */
  watch(peer: WebSocketPeer<any>, closed: (code: number, reason: string) => void): void {
    const raw = peer.raw;
    raw.on('pong', () => (peer.alive = true));
    // protocol errors (invalid frames, too large a message) close the connection with the
    // right code in `ws`; they are the client's fault, not ours: nothing to report
    raw.on('error', () => {});
    raw.on('close', (code: number, reason: Buffer) => {
      this.peers.delete(peer);
      this.rooms.leaveAll(peer);
      closed(code, reason.toString());
      if (this.peers.size === 0) {
        this.stopHeartbeat();
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    });
  }

  /** @internal Reports an unexpected error (the hub's onError). */
  reportError(error: unknown): void {
    try {
      this.report(error);
    } catch {
      // a failing reporter must not take the connection down
    }
  }

  /** @internal DI shutdown, first step: the closing handshakes start while HTTP drains. */
  beforeApplicationShutdown(): void {
    void this.close();
  }

  /** @internal DI shutdown, last step: waits for the peers (up to closeTimeout). */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  /** @internal Runs a handler; a throw or rejection is reported and closes the peer with 1011. */
  run(peer: WebSocketPeer<any>, fn: () => unknown): void {
    try {
      const result = fn() as Promise<unknown> | undefined;
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') result.then(undefined, (error: unknown) => this.failed(peer, error));
    } catch (error) {
      this.failed(peer, error);
    }
  }

  private failed(peer: WebSocketPeer<any>, error: unknown): void {
    this.reportError(error);
    if (peer.readyState === 1) peer.close(1011, 'Internal error');
  }

  // ---- rooms and broadcast -----------------------------------------------------------------

  /** @internal (peer.join) */
  join(peer: WebSocketPeer<any>, room: string): void {
    this.rooms.join(peer, room);
  }

  /** @internal (peer.leave) */
  leave(peer: WebSocketPeer<any>, room: string): void {
    this.rooms.leave(peer, room);
  }

  /** Local peers of a room. */
  members(room: string): ReadonlySet<WebSocketPeer<any>> {
    return this.rooms.members(room);
  }

  /** Sends to every peer of `room`, in every process when there is a broadcaster. */
  to(room: string): RoomSender {
    return {
      send: (data) => this.send(room, data, null),
      json: (value) => this.send(room, JSON.stringify(value), null),
    };
  }

  /** Sends to every peer, in every process when there is a broadcaster. */
  broadcast(data: string | Uint8Array): void {
    this.send(null, data, null);
  }

  /** @internal Local delivery, then to the other processes. */
  send(room: string | null, data: string | Uint8Array, except: string | null): void {
    const message: RoomMessage = { room, data, except };
    this.deliver(message);
    this.options.broadcaster?.publish(message);
  }

  private deliver(message: RoomMessage): void {
    const targets = message.room === null ? this.peers : this.rooms.members(message.room);
    const except = message.except;
    for (const peer of targets) if (except === null || peer.id !== except) peer.send(message.data);
  }

  /** @internal The slow-consumer policy: whether `bytes` more may be queued for `peer`. */
  admit(peer: WebSocketPeer<any>, bytes: number): boolean {
    if (peer.raw.bufferedAmount + bytes <= this.options.maxBufferedAmount) return true;
    if (this.options.slowConsumer === 'drop') {
      this.stats.dropped++;
      return false;
    }
    this.stats.slowConsumersClosed++;
    peer.close(1008, 'Slow consumer: too much data waiting to be sent');
    setTimeout(() => peer.terminate(), SLOW_CONSUMER_GRACE).unref();
    return false;
  }

  // ---- heartbeat and shutdown ----------------------------------------------------------------

  private startHeartbeat(): void {
    const interval = this.options.pingInterval;
    if (this.heartbeat !== null || interval === 0) return;
    this.heartbeat = setInterval(() => {
      for (const peer of this.peers) {
        if (!peer.alive) {
          this.stats.pingTimeouts++;
          peer.terminate();
          continue;
        }
        peer.alive = false;
        if (peer.readyState === 1) peer.raw.ping();
      }
    }, interval);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat === null) return;
    clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /**
   * Graceful shutdown: refuses new handshakes (503), sends every peer a close frame with 1001
   * (going away), waits for the closing handshakes, and cuts off whoever has not finished by the
   * deadline. Called by the app's close().
   */
  close(options: HubCloseOptions = {}): Promise<void> {
    if (this.closing !== null) return this.closing;
    const timeout = this.options.closeTimeout ?? options.timeout ?? 10_000;
    this.closing = new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(deadline);
        this.stopHeartbeat();
        this.server.close();
        Promise.resolve(this.options.broadcaster?.close()).then(() => resolve(), (error: unknown) => {
          this.report(error);
          resolve();
        });
      };
      const deadline = setTimeout(() => {
        for (const peer of this.peers) peer.terminate();
      }, timeout);
      if (this.peers.size === 0) done();
      else {
        this.idleWaiters.push(done);
        for (const peer of this.peers) peer.close(1001, 'Server shutting down');
      }
    });
    return this.closing;
  }
}

/** The hub of each app that has one: the first made for it (`app.ws()` registers there). */
const hubs = new WeakMap<App, WebSocketHub>();

/** The app's hub: the first one made for it, or one with the default options made now. */
export function appHub(app: App): WebSocketHub {
  let hub = hubs.get(app);
  if (hub === undefined) {
    hub = new WebSocketHub(app);
    hubs.set(app, hub);
  }
  return hub;
}

/** Creates the hub of `app`: `websocket(app, options).route('/chat', handlers)`. */
export function websocket(app: App, options?: WebSocketOptions & { onError?: (error: unknown) => void }): WebSocketHub {
  const hub = new WebSocketHub(app, options);
  if (!hubs.has(app)) hubs.set(app, hub);
  return hub;
}
