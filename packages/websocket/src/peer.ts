/**
 * One open WebSocket as handlers see it: send with the hub's backpressure policy, rooms, close,
 * and the handshake's context (params, query, headers, client address).
 */
import { randomUUID } from 'node:crypto';
import type { Context } from '@armature/core';
import type { WebSocket } from 'ws';

/** What a peer needs of its hub. */
export interface PeerHost {
  /** Applies the slow-consumer policy; returns whether the message may be sent. */
  admit(peer: WebSocketPeer<any>, bytes: number): boolean;
  join(peer: WebSocketPeer<any>, room: string): void;
  leave(peer: WebSocketPeer<any>, room: string): void;
  send(room: string | null, data: string | Uint8Array, except: string | null): void;
}

/** A message as received: text frames as a string, binary ones as a Buffer. */
export type WebSocketData = string | Buffer;

/** Sends to the peers of a room (or all), but not to the peer it was taken from. */
export interface RoomSender {
  send(data: string | Uint8Array): void;
  json(value: unknown): void;
}

export class WebSocketPeer<D = Record<string, unknown>> {
  private id_: string | null = null;
  /** The `ws` WebSocket under it. */
  readonly raw: WebSocket;
  /** The context of the handshake request: `ctx.params`, `ctx.query`, `ctx.headers`, `ctx.ip`, state set by middleware. */
  readonly ctx: Context<any, any, any, any>;
  private rooms_: Set<string> | null = null;
  private data_: D | null = null;
  /** @internal Something arrived since the last ping (heartbeat). */
  alive = true;
  private readonly host: PeerHost;

  constructor(raw: WebSocket, ctx: Context<any, any, any, any>, host: PeerHost) {
    this.raw = raw;
    this.ctx = ctx;
    this.host = host;
  }

  /** Unique id (also across processes); made on first use, as most peers never need one. */
  get id(): string {
    return (this.id_ ??= randomUUID());
  }

  /** Rooms this peer is in. */
  get rooms(): Set<string> {
    return (this.rooms_ ??= new Set());
  }

  /** @internal Whether the peer is in any room (without making the set). */
  get inRooms(): boolean {
    return this.rooms_ !== null && this.rooms_.size > 0;
  }

  /** Per-connection data of the application (an empty object until set). */
  get data(): D {
    return (this.data_ ??= {} as D);
  }

  set data(value: D) {
    this.data_ = value;
  }

  /** Sends a text (string) or binary message. False when it was dropped or the peer is not open (see slowConsumer). */
  send(data: string | Uint8Array): boolean {
    if (this.raw.readyState !== 1) return false;
    const bytes = typeof data === 'string' ? data.length : data.byteLength;
    if (!this.host.admit(this, bytes)) return false;
    this.raw.send(data);
    return true;
  }

  /** Sends a value as a JSON text message. */
  json(value: unknown): boolean {
    return this.send(JSON.stringify(value));
  }

  /** Unsent bytes: the socket's buffer and frames queued for it. */
  get bufferedAmount(): number {
    return this.raw.bufferedAmount;
  }

  /** 0 connecting, 1 open, 2 closing, 3 closed (as WebSocket.readyState). */
  get readyState(): number {
    return this.raw.readyState;
  }

  join(room: string): this {
    this.host.join(this, room);
    return this;
  }

  leave(room: string): this {
    this.host.leave(this, room);
    return this;
  }

  /** Sends to every peer of `room` (in every process, with a broadcaster) except this one. */
  to(room: string): RoomSender {
    return this.sender(room);
  }

  /** Sends to every peer of the hub (in every process, with a broadcaster) except this one. */
  broadcast(data: string | Uint8Array): void {
    this.host.send(null, data, this.id);
  }

  private sender(room: string | null): RoomSender {
    const host = this.host;
    const id = this.id;
    return {
      send: (data) => host.send(room, data, id),
      json: (value) => host.send(room, JSON.stringify(value), id),
    };
  }

  /** Starts the closing handshake (code 1000 by default). */
  close(code?: number, reason?: string): void {
    this.raw.close(code, reason);
  }

  /** Cuts the connection without a closing handshake. */
  terminate(): void {
    this.raw.terminate();
  }
}
