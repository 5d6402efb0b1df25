/**
 * The codings responses can be compressed with: core's table of content codings (the one the
 * request-body readers decode with; zstd only where the runtime's zlib has it), seen here as
 * encoders fixed at one level each, with the default levels for dynamic content.
 */
import type { Transform } from 'node:stream';
import { CONTENT_CODINGS, ZSTD_AVAILABLE, type CodingName, type ContentCoding } from '@armature/core/http';

export type { CodingName };

/** True when this runtime's zlib can produce zstd. */
export const zstdAvailable = ZSTD_AVAILABLE;

/** The codings this runtime can produce, by name (core's table). */
export const codings: ReadonlyMap<CodingName, ContentCoding> = CONTENT_CODINGS;

/** Every coding name this package knows, available here or not. */
export const KNOWN_CODINGS: readonly CodingName[] = ['zstd', 'br', 'gzip', 'deflate'];

/**
 * Default levels for dynamic content, chosen by `benches/compression/levels.mjs` (see
 * docs/compression.md): the knee of the CPU-per-byte-saved curve.
 */
const DEFAULT_LEVELS: Readonly<Record<CodingName, number>> = { zstd: 3, br: 4, gzip: 5, deflate: 5 };

/** zstd above 19 may use a window larger than the 8 MiB RFC 9659 allows for HTTP. */
const ZSTD_HTTP_MAX = 19;

/** Encoders of one coding at one level. */
export interface Encoder {
  readonly coding: CodingName;
  readonly level: number;
  /** A stream that compresses what is written to it (on zlib's thread pool). */
  stream(): Transform;
  /** Compresses a complete body on the calling thread. */
  sync(body: Buffer): Buffer;
  /** Compresses a complete body on zlib's thread pool. */
  async(body: Buffer, done: (error: Error | null, out: Buffer) => void): void;
  /** The flush kind that makes a stream emit all it has been given, as a decodable block. */
  readonly flushKind: number;
}

/** Checks a level against the coding's range (start-up errors, with the range in the message). */
export function checkLevel(name: CodingName, level: number): number {
  const coding = codings.get(name);
  if (coding === undefined) return level; // not available here: never used
  const max = name === 'zstd' ? Math.min(ZSTD_HTTP_MAX, coding.levels.max) : coding.levels.max;
  if (!Number.isInteger(level) || level < coding.levels.min || level > max) {
    throw new RangeError(`compression: ${name} level must be an integer from ${coding.levels.min} to ${max}, got ${String(level)}`);
  }
  return level;
}

const encoders = new Map<string, Encoder>();

/** The encoder of `name` at `level` (made once per pair). */
export function encoderFor(name: CodingName, level: number): Encoder {
  const key = name + level;
  let encoder = encoders.get(key);
  if (encoder === undefined) {
    const coding = codings.get(name);
    if (coding === undefined) throw new Error(`compression: ${name} is not available in this runtime`);
    checkLevel(name, level);
    encoder = {
      coding: name,
      level,
      flushKind: coding.flushKind,
      stream: () => coding.createEncoder(level),
      sync: (body) => coding.encodeSync(body, level),
      async: (body, done) => coding.encode(body, level, done),
    };
    encoders.set(key, encoder);
  }
  return encoder;
}

/** The default level of a coding for dynamic content. */
export function defaultLevel(name: CodingName): number {
  return DEFAULT_LEVELS[name];
}
