/**
 * Gateways: WebSocket endpoints as DI classes. `@WebSocketGateway('/chat')` makes the class a
 * controller with one route, the handshake (`GET /chat`), so the class's guards, interceptors,
 * filters and module middleware run on the handshake as on any route, and the class is created
 * and injected by the container. Messages `{ "event": "…", "data": … }` go to the
 * `@SubscribeMessage('…')` method of that event; what it returns is sent back as JSON.
 */
import { Controller, Get, HttpError, inject, methodsOf, type Context } from '@armature/core';
import type { WebSocketData, WebSocketPeer } from './peer.js';
import { WebSocketHub } from './hub.js';

/** `handleConnection(peer)`: called when a peer has connected (after the handshake's guards). */
export interface OnGatewayConnection<D = Record<string, unknown>> {
  handleConnection(peer: WebSocketPeer<D>): unknown;
}

/** `handleDisconnect(peer, code, reason)`: called once a peer's connection is gone. */
export interface OnGatewayDisconnect<D = Record<string, unknown>> {
  handleDisconnect(peer: WebSocketPeer<D>, code: number, reason: string): unknown;
}

/** `handleMessage(peer, data, isBinary)`: messages that are not `{ event, data }` JSON of a subscribed event. */
export interface OnGatewayMessage<D = Record<string, unknown>> {
  handleMessage(peer: WebSocketPeer<D>, data: WebSocketData, isBinary: boolean): unknown;
}

/** A message of the event protocol: `{ "event": "chat", "data": { … } }`. */
export interface WsResponse<T = unknown> {
  event: string;
  data: T;
}

/** Methods by event name, keyed by the decorated method's function. */
const subscriptions = new WeakMap<Function, string[]>();
const HANDSHAKE = Symbol('websocket handshake');
const HUB = Symbol('websocket hub');

type GatewayClass = abstract new (...args: any[]) => object;

/**
 * Subscribes a gateway method to messages `{ "event": event, "data": … }`. It is called with
 * `(peer, data)`; a value it returns (or resolves to) other than undefined is sent back as JSON
 * (return `{ event, data }` to answer in the same protocol). A thrown HttpError is sent as
 * `{ "event": "exception", "data": { "status", "message" } }` and the connection stays open;
 * any other error is reported and sent as a 500 the same way.
 */
export function SubscribeMessage(event: string): (value: Function, context: ClassMethodDecoratorContext) => void {
  if (typeof event !== 'string' || event === '') throw new TypeError('@SubscribeMessage() needs an event name');
  return (value, context) => {
    if (typeof context !== 'object' || context === null || context.kind !== 'method' || context.static || context.private) {
      throw new TypeError(`@SubscribeMessage(${JSON.stringify(event)}) goes on a public instance method of a gateway (standard decorators: remove experimentalDecorators from tsconfig.json)`);
    }
    const list = subscriptions.get(value);
    if (list === undefined) subscriptions.set(value, [event]);
    else list.push(event);
  };
}

export interface GatewayOptions {
  /**
   * Constructor arguments, as for `@Controller({ deps })`. Fields that call `inject()` need none
   * (`private readonly hub = inject(WebSocketHub)`).
   */
  deps?: readonly unknown[];
}

/** Event name → method name, over the class and its ancestors (a subclass's override wins). */
function eventsOf(cls: Function): Map<string, string | symbol> {
  const events = new Map<string, string | symbol>();
  for (const { key, fn } of methodsOf(cls)) {
    for (const event of subscriptions.get(fn) ?? []) {
      if (events.has(event)) throw new Error(`${cls.name}: two methods subscribe to the event "${event}"`);
      events.set(event, key);
    }
  }
  return events;
}

/**
 * Makes a class a WebSocket gateway on `path` of the app (list it in a module's `controllers`,
 * since it serves a route, and import `WebSocketModule.forRoot()` once). The handshake is
 * `GET path`: `@UseGuards`, `@UseInterceptors` and `@UseFilters` on the class, and module
 * middleware, apply to it; a denied handshake gets the guard's answer (403, 401 …).
 */
export function WebSocketGateway(path: string = '/', options: GatewayOptions = {}): <C extends GatewayClass>(value: C, context: ClassDecoratorContext<C>) => C {
  if (typeof path !== 'string') {
    throw new TypeError(`@WebSocketGateway() takes a path (gateways are served on the app's own port), got ${String(path)}`);
  }
  return <C extends GatewayClass>(value: C, context: ClassDecoratorContext<C>): C => {
    if (typeof context !== 'object' || context === null || context.kind !== 'class') {
      throw new TypeError('@WebSocketGateway() goes on a class (standard decorators: remove experimentalDecorators from tsconfig.json)');
    }
    const Base = value as unknown as new (...args: any[]) => Record<string | symbol, any>;
    let events: Map<string, string | symbol> | null = null;
    // a subclass that takes its hub from the container and answers the handshake
    const Gateway = class extends Base {
      [HUB]: WebSocketHub = inject(WebSocketHub);

      [HANDSHAKE](ctx: Context<any, any, any, any>): void {
        const hub = this[HUB];
        events ??= eventsOf(Gateway);
        const table = events;
        hub.upgrade(ctx, (peer) => bind(this, hub, peer, table));
      }
    };
    Object.defineProperty(Gateway, 'name', { value: value.name });
    Controller({ path, deps: options.deps as never })(Gateway as never, context as never);
    const handshake = Gateway.prototype[HANDSHAKE];
    Get('/')(handshake as never, {
      kind: 'method', name: HANDSHAKE, static: false, private: false, metadata: context.metadata,
      access: { has: (o: object) => HANDSHAKE in o, get: (o: any) => o[HANDSHAKE] },
      addInitializer: () => {},
    } as never);
    return Gateway as unknown as C;
  };
}

/** Wires a connected peer to its gateway instance. */
function bind(gateway: Record<string | symbol, any>, hub: WebSocketHub, peer: WebSocketPeer<any>, events: Map<string, string | symbol>): void {
  peer.raw.on('message', (data: Buffer, isBinary: boolean) => {
    peer.alive = true;
    const text = isBinary ? null : data.toString();
    const method = text === null ? undefined : methodFor(text, events);
    if (method !== undefined) {
      hub.run(peer, () => answer(gateway, hub, peer, method.name, method.data));
      return;
    }
    if (typeof gateway.handleMessage === 'function') hub.run(peer, () => gateway.handleMessage(peer, text ?? data, isBinary));
  });
  hub.watch(peer, (code, reason) => {
    if (typeof gateway.handleDisconnect === 'function') hub.run(peer, () => gateway.handleDisconnect(peer, code, reason));
  });
  if (typeof gateway.handleConnection === 'function') hub.run(peer, () => gateway.handleConnection(peer));
}

function methodFor(text: string, events: Map<string, string | symbol>): { name: string | symbol; data: unknown } | undefined {
  if (text.charCodeAt(0) !== 123) return undefined; // '{'
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  const event = (message as { event?: unknown }).event;
  if (typeof event !== 'string') return undefined;
  const name = events.get(event);
  return name === undefined ? undefined : { name, data: (message as { data?: unknown }).data };
}

/** Runs a subscribed method; its result is sent back, an error as an `exception` event. */
async function answer(gateway: Record<string | symbol, any>, hub: WebSocketHub, peer: WebSocketPeer<any>, name: string | symbol, data: unknown): Promise<void> {
  let result: unknown;
  try {
    result = await gateway[name](peer, data);
  } catch (error) {
    const status = error instanceof HttpError ? error.status : 500;
    const expose = error instanceof HttpError && error.expose;
    if (!expose) hub.reportError(error);
    peer.json({ event: 'exception', data: { status, message: expose ? (error as Error).message : 'Internal server error' } });
    return;
  }
  if (result !== undefined) peer.json(result);
}
