import { Buffer } from 'node:buffer';
import type { RequestBody, BodySource } from './body.js';
import { HttpError } from './errors.js';

/**
 * Feeds a RequestBody from an async iterable (a node:http IncomingMessage, a fetch body stream),
 * starting when a reader first asks and waiting while the body asks to pause.
 */
export class IterableSource implements BodySource {
  body: RequestBody | null = null;
  private readonly source: AsyncIterable<Uint8Array> | null;
  private paused = false;
  private started = false;
  private wake: (() => void) | null = null;

  constructor(source: AsyncIterable<Uint8Array> | null) {
    this.source = source;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    const body = this.body!;
    try {
      if (this.source !== null) {
        for await (const chunk of this.source) {
          body.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          while (this.paused) await new Promise<void>((resolve) => { this.wake = resolve; });
        }
      }
      body.end();
    } catch (error) {
      body.fail(new HttpError(400, 'Request body could not be read', { cause: error }));
    }
  }
}
