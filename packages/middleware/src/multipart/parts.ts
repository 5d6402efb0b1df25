/**
 * Parts one at a time, for handlers that stream files elsewhere (object storage, a hash, a
 * parser) without touching the disk: `for await (const part of multipartParts(ctx)) …`. A file
 * part's stream must be consumed (or `resume()`d) before the loop asks for the next part;
 * busboy's backpressure then reaches the client.
 */
import type { Readable } from 'node:stream';
import type { Context } from '@armature/core';
import type { MultipartLimits } from './limits.js';
import { readMultipart, type FileInfo } from './parse.js';

export type MultipartPart =
  | { readonly kind: 'field'; readonly name: string; readonly value: string }
  | ({ readonly kind: 'file'; readonly stream: Readable } & FileInfo);

export async function* multipartParts(ctx: Context, options: { limits?: MultipartLimits } = {}): AsyncGenerator<MultipartPart, void, undefined> {
  const queue: MultipartPart[] = [];
  let wake: (() => void) | null = null;
  let finished = false;
  let failure: unknown = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const done = readMultipart(ctx, options.limits, {
    field(name, value) {
      queue.push({ kind: 'field', name, value });
      notify();
    },
    file(info, stream) {
      const ended = new Promise<void>((resolve, reject) => {
        stream.once('end', resolve);
        stream.once('close', resolve);
        stream.once('error', reject);
      });
      queue.push({ kind: 'file', ...info, stream });
      notify();
      return ended;
    },
  }).then(
    () => {
      finished = true;
      notify();
    },
    (error: unknown) => {
      failure = error;
      finished = true;
      notify();
    },
  );
  let current: Readable | null = null;
  try {
    for (;;) {
      if (queue.length > 0) {
        const part = queue.shift()!;
        current = part.kind === 'file' ? part.stream : null;
        yield part;
        // the consumer moved on without reading the whole file: drop the rest of it
        if (current !== null && !current.readableEnded) current.resume();
        current = null;
        continue;
      }
      if (failure !== null) throw failure;
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    current?.resume();
    for (const part of queue) if (part.kind === 'file') part.stream.resume();
    await done;
  }
}
