// Shared by the WebSocket tests: a raw client on node:net (for handshakes and frames the `ws`
// client would refuse to send) and small waits.
import net from 'node:net';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Buffer } from 'node:buffer';

export const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

export function handshake(path: string, extra: Record<string, string> = {}): string {
  const fields = { Host: '127.0.0.1', Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': KEY, ...extra };
  return `GET ${path} HTTP/1.1\r\n${Object.entries(fields).filter(([, v]) => v !== '').map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}

/** A client frame: FIN set, masked (as RFC 6455 requires of clients) unless `masked` is false. */
export function frame(opcode: number, payload: Buffer, masked = true, fin = true): Buffer {
  const len = payload.length;
  const head: number[] = [(fin ? 0x80 : 0) | opcode];
  const maskBit = masked ? 0x80 : 0;
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) head.push(maskBit | 126, len >> 8, len & 255);
  else throw new Error('test frames stay under 64 KiB');
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i & 3]!;
  return Buffer.concat([Buffer.from(head), mask, body]);
}

/** A raw connection that collects everything the server sends. */
export class RawClient {
  readonly socket: net.Socket;
  received = Buffer.alloc(0);
  closed: Promise<void>;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => (this.received = Buffer.concat([this.received, chunk])));
    socket.on('error', () => {});
    this.closed = once(socket, 'close').then(() => undefined);
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new RawClient(socket);
  }

  get text(): string {
    return this.received.toString('latin1');
  }

  /** Waits until the received bytes satisfy `test` (or fails after `ms`). */
  async until(test: (text: string) => boolean, ms = 3000): Promise<string> {
    const end = Date.now() + ms;
    while (!test(this.text)) {
      if (Date.now() > end) throw new Error(`timed out; received: ${JSON.stringify(this.text.slice(0, 500))}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.text;
  }

  /** Server frames after the 101 head: [opcode, payload]. Unmasked, as servers send them. */
  frames(): Array<[number, Buffer]> {
    const start = this.received.indexOf('\r\n\r\n') + 4;
    const out: Array<[number, Buffer]> = [];
    let b = this.received.subarray(start);
    while (b.length >= 2) {
      let len = b[1]! & 127;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) break;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) break;
        len = Number(b.readBigUInt64BE(2));
        off = 10;
      }
      if (b.length < off + len) break;
      out.push([b[0]! & 15, b.subarray(off, off + len)]);
      b = b.subarray(off + len);
    }
    return out;
  }
}

/** Close code of a server close frame (opcode 8). */
export function closeCode(frames: Array<[number, Buffer]>): number | null {
  const close = frames.find(([op]) => op === 8);
  return close === undefined ? null : close[1].readUInt16BE(0);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitFor(test: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}
