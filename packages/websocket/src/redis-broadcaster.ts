/**
 * Room messages across processes and machines through Redis pub/sub, on an `ioredis` client.
 * Each message is one PUBLISH on one channel, carrying the id of the process that sent it, so a
 * process does not deliver its own messages twice.
 */
import { randomUUID } from 'node:crypto';
import { Buffer } from 'node:buffer';
import type { Broadcaster, RoomMessage } from './broadcaster.js';

/** What the broadcaster needs of an ioredis client (a `Redis` fits). */
export interface RedisPubSubClient {
  publish(channel: string, message: string): Promise<unknown>;
  duplicate(): RedisPubSubClient;
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  quit(): Promise<unknown>;
}

export interface RedisBroadcasterOptions {
  /** An ioredis client: it publishes, and a duplicate of it subscribes. Neither is closed by close() except the duplicate. */
  client: RedisPubSubClient;
  /** Channel of the hub's messages; hubs that share it share rooms. Default `armature:ws`. */
  channel?: string;
  /** Where publish and subscription errors go. Default console.error. */
  onError?: (error: unknown) => void;
}

/** On the wire: sender, room, except, and the data as text or base64. */
interface Wire {
  s: string;
  r: string | null;
  x: string | null;
  t?: string;
  b?: string;
}

export class RedisBroadcaster implements Broadcaster {
  /** This process's id on the channel. */
  readonly id = randomUUID();
  private readonly client: RedisPubSubClient;
  private readonly channel: string;
  private readonly onError: (error: unknown) => void;
  private subscriber: RedisPubSubClient | null = null;

  constructor(options: RedisBroadcasterOptions) {
    if (options === undefined || options.client === undefined) throw new TypeError('RedisBroadcaster: pass { client: new Redis(url) } (an ioredis client)');
    this.client = options.client;
    this.channel = options.channel ?? 'armature:ws';
    this.onError = options.onError ?? ((error) => console.error(error));
  }

  async start(deliver: (message: RoomMessage) => void): Promise<void> {
    const sub = this.client.duplicate();
    this.subscriber = sub;
    sub.on('error', (error) => this.onError(error));
    sub.on('message', (channel, text) => {
      if (channel !== this.channel) return;
      let wire: Wire;
      try {
        wire = JSON.parse(text) as Wire;
      } catch (error) {
        this.onError(error);
        return;
      }
      if (wire.s === this.id) return;
      const data = wire.t ?? Buffer.from(wire.b ?? '', 'base64');
      deliver({ room: wire.r, except: wire.x, data });
    });
    await sub.subscribe(this.channel);
  }

  publish(message: RoomMessage): void {
    const wire: Wire = { s: this.id, r: message.room, x: message.except };
    if (typeof message.data === 'string') wire.t = message.data;
    else wire.b = Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength).toString('base64');
    this.client.publish(this.channel, JSON.stringify(wire)).catch(this.onError);
  }

  async close(): Promise<void> {
    const sub = this.subscriber;
    this.subscriber = null;
    if (sub !== null) await sub.quit().catch(() => {});
  }
}
