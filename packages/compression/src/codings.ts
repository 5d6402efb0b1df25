/**
 * The content codings this package can produce (RFC 9110 §8.4.1, RFC 8878 for zstd), each with
 * its streaming encoder, its one-shot encoders (synchronous and on zlib's thread pool) and the
 * flush that pushes out everything written so far. zstd is listed only where the runtime's zlib
 * has it (Node ≥ 22.15 / 23.8); Node 20 has gzip, deflate and br.
 */
import zlib from 'node:zlib';

export type CodingName = 'zstd' | 'br' | 'gzip' | 'deflate';

/** Encoders of one coding at one level. */
export interface Encoder {
  readonly coding: CodingName;
  readonly level: number;
  /** A stream that compresses what is written to it (runs on zlib's thread pool). */
  stream(): zlib.Gzip | zlib.Deflate | zlib.BrotliCompress;
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
  createZstdCompress(options: object): zlib.Gzip;
  zstdCompressSync(body: Buffer, options: object): Buffer;
  zstdCompress(body: Buffer, options: object, done: (error: Error | null, out: Buffer) => void): void;
}
const zstdZlib = zlib as unknown as Partial<ZstdZlib>;

/** True when this runtime's zlib can produce zstd. */
export const zstdAvailable = typeof zstdZlib.createZstdCompress === 'function' && typeof zstdZlib.zstdCompressSync === 'function';

const gzipTable: CodingTable = {
  name: 'gzip',
  min: 0,
  max: 9,
  defaultLevel: 4,
  make: (level) => {
    const options = { level };
    return {
      coding: 'gzip',
      level,
      flushKind: C.Z_SYNC_FLUSH,
      stream: () => zlib.createGzip(options),
      sync: (body) => zlib.gzipSync(body, options),
      async: (body, done) => zlib.gzip(body, options, done),
    };
  },
};

const deflateTable: CodingTable = {
  name: 'deflate',
  min: 0,
  max: 9,
  defaultLevel: 4,
  make: (level) => {
    const options = { level };
    // "deflate" is the zlib format (RFC 1950), not raw deflate: RFC 9110 §8.4.1.2
    return {
      coding: 'deflate',
      level,
      flushKind: C.Z_SYNC_FLUSH,
      stream: () => zlib.createDeflate(options),
      sync: (body) => zlib.deflateSync(body, options),
      async: (body, done) => zlib.deflate(body, options, done),
    };
  },
};

const brotliTable: CodingTable = {
  name: 'br',
  min: 0,
  max: 11,
  defaultLevel: 4,
  make: (level) => {
    const options = { params: { [C.BROTLI_PARAM_QUALITY]: level, [C.BROTLI_PARAM_MODE]: C.BROTLI_MODE_TEXT } };
    return {
      coding: 'br',
      level,
      flushKind: C.BROTLI_OPERATION_FLUSH,
      stream: () => zlib.createBrotliCompress(options),
      sync: (body) => zlib.brotliCompressSync(body, options),
      async: (body, done) => zlib.brotliCompress(body, options, done),
    };
  },
};

const zstdTable: CodingTable = {
  name: 'zstd',
  min: 1,
  max: 19, // above 19 the window may exceed the 8 MiB RFC 9659 allows for HTTP
  defaultLevel: 3,
  make: (level) => {
    const options = { params: { [(C as Record<string, number>).ZSTD_c_compressionLevel!]: level } };
    const z = zstdZlib as ZstdZlib;
    return {
      coding: 'zstd',
      level,
      flushKind: (C as Record<string, number>).ZSTD_e_flush!,
      stream: () => z.createZstdCompress(options),
      sync: (body) => z.zstdCompressSync(body, options),
      async: (body, done) => z.zstdCompress(body, options, done),
    };
  },
};

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
