/**
 * The content codings this package can produce (RFC 9110 §8.4.1, RFC 8878 for zstd), each with
 * its streaming encoder, its one-shot encoders (synchronous and on zlib's thread pool) and the
 * flush that pushes out everything written so far. zstd is listed only where the runtime's zlib
 * has it (Node ≥ 22.15 / 23.8); Node 20 has gzip, deflate and br.
 */
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';

export type CodingName = 'zstd' | 'br' | 'gzip' | 'deflate';

/** Encoders of one coding at one level. */
export interface Encoder {
  readonly coding: CodingName;
  readonly level: number;
  /** A stream that compresses what is written to it (runs on zlib's thread pool). */
  stream(): Transform;
  /** Compresses a complete body on the calling thread. */
  sync(body: Buffer): Buffer;
  /** Compresses a complete body on zlib's thread pool. */
  async(body: Buffer, done: (error: Error | null, out: Buffer) => void): void;
  /** The flush kind that makes a stream emit all it has been given, as a decodable block. */
  readonly flushKind: number;
}

interface CodingTable {
  readonly name: CodingName;
  /** Lowest, highest and default level for dynamic content. */
  readonly min: number;
  readonly max: number;
  readonly defaultLevel: number;
  make(level: number): Encoder;
}

const C = zlib.constants;

/** zlib's zstd functions (Node ≥ 22.15); typed here because @types/node for Node 20 lacks them. */
interface ZstdZlib {
  createZstdCompress(options: object): Transform;
  zstdCompressSync(body: Buffer, options: object): Buffer;
  zstdCompress(body: Buffer, options: object, done: (error: Error | null, out: Buffer) => void): void;
}
const zstdZlib = zlib as unknown as Partial<ZstdZlib>;

/** True when this runtime's zlib can produce zstd. */
export const zstdAvailable = typeof zstdZlib.createZstdCompress === 'function' && typeof zstdZlib.zstdCompressSync === 'function';

/** zlib's three entry points for one coding: a stream, a synchronous and a thread-pool call. */
interface ZlibFunctions {
  stream(options: object): Transform;
  sync(body: Buffer, options: object): Buffer;
  async(body: Buffer, options: object, done: (error: Error | null, out: Buffer) => void): void;
}

/** A coding whose encoders are zlib's functions called with `options(level)`. */
function table(name: CodingName, range: [number, number, number], flushKind: number, options: (level: number) => object, fns: () => ZlibFunctions): CodingTable {
  return {
    name,
    min: range[0],
    max: range[1],
    defaultLevel: range[2],
    make: (level) => {
      const o = options(level);
      const f = fns();
      return {
        coding: name,
        level,
        flushKind,
        stream: () => f.stream(o),
        sync: (body) => f.sync(body, o),
        async: (body, done) => f.async(body, o, done),
      };
    },
  };
}

const gzipTable = table('gzip', [0, 9, 4], C.Z_SYNC_FLUSH, (level) => ({ level }), () => ({
  stream: zlib.createGzip,
  sync: zlib.gzipSync,
  async: zlib.gzip,
}));

// "deflate" is the zlib format (RFC 1950), not raw deflate: RFC 9110 §8.4.1.2
const deflateTable = table('deflate', [0, 9, 4], C.Z_SYNC_FLUSH, (level) => ({ level }), () => ({
  stream: zlib.createDeflate,
  sync: zlib.deflateSync,
  async: zlib.deflate,
}));

const brotliTable = table(
  'br',
  [0, 11, 4],
  C.BROTLI_OPERATION_FLUSH,
  (level) => ({ params: { [C.BROTLI_PARAM_QUALITY]: level, [C.BROTLI_PARAM_MODE]: C.BROTLI_MODE_TEXT } }),
  () => ({ stream: zlib.createBrotliCompress, sync: zlib.brotliCompressSync, async: zlib.brotliCompress }),
);

const ZSTD = C as Record<string, number>;

// above level 19 the window may exceed the 8 MiB RFC 9659 allows for HTTP
const zstdTable = table('zstd', [1, 19, 3], ZSTD.ZSTD_e_flush ?? 1, (level) => ({ params: { [ZSTD.ZSTD_c_compressionLevel ?? 100]: level } }), () => {
  const z = zstdZlib as ZstdZlib;
  return { stream: z.createZstdCompress, sync: z.zstdCompressSync, async: z.zstdCompress };
});

/** The codings this runtime can produce, by name. */
export const codings: ReadonlyMap<CodingName, CodingTable> = new Map<CodingName, CodingTable>([
  ...(zstdAvailable ? [['zstd', zstdTable] as const] : []),
  ['br', brotliTable],
  ['gzip', gzipTable],
  ['deflate', deflateTable],
]);

/** Every coding name this package knows, available here or not. */
export const KNOWN_CODINGS: readonly CodingName[] = ['zstd', 'br', 'gzip', 'deflate'];

/** Checks a level against the coding's range (start-up errors, with the range in the message). */
export function checkLevel(name: CodingName, level: number): number {
  const table = codings.get(name);
  if (table === undefined) return level; // not available here: never used
  if (!Number.isInteger(level) || level < table.min || level > table.max) {
    throw new RangeError(`compression: ${name} level must be an integer from ${table.min} to ${table.max}, got ${String(level)}`);
  }
  return level;
}

const encoders = new Map<string, Encoder>();

/** The encoder of `name` at `level` (made once per pair). */
export function encoderFor(name: CodingName, level: number): Encoder {
  const key = name + level;
  let encoder = encoders.get(key);
  if (encoder === undefined) {
    const table = codings.get(name);
    if (table === undefined) throw new Error(`compression: ${name} is not available in this runtime`);
    encoder = table.make(checkLevel(name, level));
    encoders.set(key, encoder);
  }
  return encoder;
}

/** The default level of a coding for dynamic content. */
export function defaultLevel(name: CodingName): number {
  return codings.get(name)?.defaultLevel ?? 0;
}
