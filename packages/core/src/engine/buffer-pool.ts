import { Buffer } from 'node:buffer';

/**
 * The engine's pooled buffers, one pool per server, in two kinds:
 *
 * - **output buffers**: a batch of response output that is more than short strings (a large
 *   body, or a head and a Buffer) is copied into one and written with a single `socket.write`,
 *   instead of Node copying it into a fresh allocation per write (and V8 flattening a head
 *   joined to a large body);
 * - **head buffers**: a request head that arrives in several pieces is gathered in one, grown by
 *   doubling, instead of a `Buffer.concat` per piece (quadratic for a client that sends a byte
 *   at a time).
 *
 * With `size: 'auto'` each kind's size follows recent traffic: an exponentially weighted
 * average of the outputs larger than the smallest output buffer and of the heads that arrived
 * in pieces, rounded up to a power of two, with bounds and hysteresis (it grows as soon as the
 * average needs it, and shrinks once the average is below a third of the size). With a number,
 * output buffers have that fixed size (the behaviour to compare against).
 */
/** The pool's counters (fields of the server's stats). */
export interface BufferStats {
  /** Size of the pooled output buffers in force (bytes); 0 when pooling is off. */
  outputBufferSize: number;
  /** Buffers the pool has allocated (output and head buffers). */
  buffersAllocated: number;
  /** Output batches larger than the pooled size, written as they are (Node copies each into an allocation of its own). */
  unpooledOutputs: number;
}

export class BufferPool {
  /** Sizes follow traffic ('auto'), or stay fixed. */
  readonly tuned: boolean;
  /** Size of the output buffers now (bytes); outputs larger than this are not pooled. */
  outputSize: number;
  /** Size of the head buffers now (bytes). */
  headSize: number;
  private outputAverage: number;
  private headAverage: number;
  private readonly maxHead: number;
  private readonly freeOutput: Buffer[] = [];
  private readonly freeHeads: Buffer[] = [];
  private readonly stats: BufferStats;

  constructor(size: 'auto' | number, maxHeaderSize: number, stats: BufferStats) {
    this.tuned = size === 'auto';
    this.stats = stats;
    this.outputSize = size === 'auto' ? MIN_OUTPUT : size;
    stats.outputBufferSize = this.outputSize;
    this.outputAverage = this.outputSize / 2;
    this.maxHead = powerOfTwo(maxHeaderSize + 4);
    this.headSize = Math.min(this.maxHead, MIN_HEAD);
    this.headAverage = this.headSize / 2;
  }

  /** An output buffer for `bytes` bytes, or null when they exceed the pooled size. */
  takeOutput(bytes: number): Buffer | null {
    if (this.tuned && bytes > MIN_OUTPUT) this.observeOutput(bytes);
    if (bytes > this.outputSize) {
      this.stats.unpooledOutputs++;
      return null;
    }
    return this.freeOutput.pop() ?? this.allocate(this.outputSize);
  }

  /** Returns an output buffer nothing refers to any more (the socket has taken its bytes). */
  giveOutput(buf: Buffer): void {
    if (buf.length === this.outputSize && this.freeOutput.length < MAX_FREE) this.freeOutput.push(buf);
  }

  /** A buffer to gather a head of at least `bytes` bytes in. */
  takeHead(bytes: number): Buffer {
    if (bytes <= this.headSize) return this.freeHeads.pop() ?? this.allocate(this.headSize);
    const size = Math.min(this.maxHead, powerOfTwo(bytes));
    return this.allocate(size < bytes ? bytes : size);
  }

  /** Returns a head buffer nothing refers to any more. */
  giveHead(buf: Buffer): void {
    if (buf.length === this.headSize && this.freeHeads.length < MAX_FREE) this.freeHeads.push(buf);
  }

  /** A head of `bytes` bytes arrived in pieces. */
  observeHead(bytes: number): void {
    if (!this.tuned) return;
    this.headAverage += (bytes - this.headAverage) / WEIGHT;
    const size = resize(this.headSize, this.headAverage, MIN_HEAD, this.maxHead);
    if (size !== this.headSize) {
      this.headSize = size;
      this.freeHeads.length = 0;
    }
  }

  private observeOutput(bytes: number): void {
    this.outputAverage += (bytes - this.outputAverage) / WEIGHT;
    const size = resize(this.outputSize, this.outputAverage, MIN_OUTPUT, MAX_OUTPUT);
    if (size !== this.outputSize) {
      this.outputSize = size;
      this.stats.outputBufferSize = size;
      this.freeOutput.length = 0;
    }
  }

  private allocate(size: number): Buffer {
    this.stats.buffersAllocated++;
    return Buffer.allocUnsafeSlow(size);
  }
}

/**
 * Below this, a string is written by Node from stack storage without allocating: pooling
 * starts above it, and it is the smallest output buffer.
 */
const MIN_OUTPUT = 16 * 1024;
/** The largest output buffer: larger outputs are written as they are. */
const MAX_OUTPUT = 1024 * 1024;
const MIN_HEAD = 1024;
/** Free buffers kept per kind. */
const MAX_FREE = 4;
/** Weight of the newest size in the average: 1 / WEIGHT. */
const WEIGHT = 8;
/** The size holds the average with this much room. */
const ROOM = 1.25;

function powerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(n));
}

/** The size to use for `average`: grown at once when too small, shrunk only when well too large. */
function resize(size: number, average: number, min: number, max: number): number {
  const want = Math.min(max, Math.max(min, powerOfTwo(average * ROOM)));
  if (want > size || average * ROOM * 3 <= size) return want;
  return size;
}
