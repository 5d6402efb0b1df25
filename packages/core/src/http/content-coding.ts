/**
 * Content codings (RFC 9110 §8.4.1): the table of the codings Armature decodes and encodes, with
 * their zlib stream factories, and the parsers of `Content-Encoding` and `Accept-Encoding`.
 * Shared by the request-body readers (decoding) and `@armature/compression` (encoding), so that
 * both speak of the same codings by the same names. zstd is in the table only where the runtime's
 * zlib has it (Node ≥ 22.15 / 23.8); feature-detected once at load.
 */
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';
import { isToken } from './chars.js';
import { UnsupportedMediaTypeException } from './errors.js';

/** The canonical name of a coding this module knows. */
export type CodingName = 'zstd' | 'br' | 'gzip' | 'deflate';

/** One content coding: its name and its zlib streams. */
export interface ContentCoding {
  /** The registered name (lowercase), as it goes into `Content-Encoding`. */
  readonly name: CodingName;
  /** A streaming decoder. Corrupt or truncated input makes it emit an error. */
  createDecoder(): Transform;
  /** A streaming encoder at `level` (clamped to `levels`; omitted: zlib's own default). */
  createEncoder(level?: number): Transform;
  /** One-shot, synchronous encoding (for small complete bodies). */
  encodeSync(data: Uint8Array, level?: number): Buffer;
  /** One-shot encoding on zlib's thread pool (for large complete bodies: the event loop stays free). */
  encode(data: Uint8Array, level: number | undefined, done: (error: Error | null, out: Buffer) => void): void;
  /** One-shot, synchronous decoding; throws `RangeError` past `maxOutputLength` bytes. */
  decodeSync(data: Uint8Array, maxOutputLength?: number): Buffer;
  /** The flush kind for `encoder.flush(kind)` that emits everything written so far (one SSE event). */
  readonly flushKind: number;
  /** The range of `level`: zlib 0–9, brotli quality 0–11, zstd 1–22 (negative levels not offered). */
  readonly levels: { readonly min: number; readonly max: number };
}

const C = zlib.constants as typeof zlib.constants & Record<string, number>;

function clamp(level: number, min: number, max: number): number {
  if (typeof level !== 'number' || Number.isNaN(level)) throw new TypeError(`Compression level must be a number, got ${String(level)}`);
  return Math.min(max, Math.max(min, Math.trunc(level)));
}

function zlibCoding(
  name: 'gzip' | 'deflate',
  decoder: (o?: zlib.ZlibOptions) => Transform,
  encoder: (o?: zlib.ZlibOptions) => Transform,
  encodeSync: (d: Uint8Array, o?: zlib.ZlibOptions) => Buffer,
  encode: (d: Uint8Array, o: zlib.ZlibOptions, done: (error: Error | null, out: Buffer) => void) => void,
  decodeSync: (d: Uint8Array, o?: zlib.ZlibOptions) => Buffer,
): ContentCoding {
  const opts = (level: number | undefined): zlib.ZlibOptions | undefined => (level === undefined ? undefined : { level: clamp(level, 0, 9) });
  return {
    name,
    createDecoder: () => decoder(),
    createEncoder: (level) => encoder(opts(level)),
    encodeSync: (data, level) => encodeSync(data, opts(level)),
    encode: (data, level, done) => encode(data, opts(level) ?? {}, done),
    decodeSync: (data, max) => decodeSync(data, max === undefined ? undefined : { maxOutputLength: max }),
    flushKind: C.Z_SYNC_FLUSH,
    levels: { min: 0, max: 9 },
  };
}

const brotli: ContentCoding = (() => {
  const opts = (level: number | undefined): zlib.BrotliOptions | undefined =>
    level === undefined ? undefined : { params: { [C.BROTLI_PARAM_QUALITY]: clamp(level, 0, 11) } };
  return {
    name: 'br',
    createDecoder: () => zlib.createBrotliDecompress(),
    createEncoder: (level) => zlib.createBrotliCompress(opts(level)),
    encodeSync: (data, level) => zlib.brotliCompressSync(data, opts(level)),
    encode: (data, level, done) => zlib.brotliCompress(data, opts(level) ?? {}, done),
    decodeSync: (data, max) => zlib.brotliDecompressSync(data, max === undefined ? undefined : { maxOutputLength: max }),
    flushKind: C.BROTLI_OPERATION_FLUSH,
    levels: { min: 0, max: 11 },
  };
})();

type ZstdOptions = { params?: Record<number, number>; maxOutputLength?: number };
type ZstdZlib = {
  createZstdCompress?: (o?: ZstdOptions) => Transform;
  createZstdDecompress?: (o?: ZstdOptions) => Transform;
  zstdCompressSync?: (d: Uint8Array, o?: ZstdOptions) => Buffer;
  zstdCompress?: (d: Uint8Array, o: ZstdOptions, done: (error: Error | null, out: Buffer) => void) => void;
  zstdDecompressSync?: (d: Uint8Array, o?: ZstdOptions) => Buffer;
};

/** The zstd coding, or null where the runtime's zlib lacks it (Node 20). */
function zstdCoding(z: ZstdZlib): ContentCoding | null {
  const { createZstdCompress, createZstdDecompress, zstdCompressSync, zstdCompress, zstdDecompressSync } = z;
  if (
    typeof createZstdCompress !== 'function' ||
    typeof zstdCompress !== 'function' ||
    typeof createZstdDecompress !== 'function' ||
    typeof zstdCompressSync !== 'function' ||
    typeof zstdDecompressSync !== 'function' ||
    C.ZSTD_c_compressionLevel === undefined
  ) {
    return null;
  }
  const opts = (level: number | undefined): ZstdOptions | undefined =>
    level === undefined ? undefined : { params: { [C.ZSTD_c_compressionLevel]: clamp(level, 1, 22) } };
  return {
    name: 'zstd',
    createDecoder: () => createZstdDecompress(),
    createEncoder: (level) => createZstdCompress(opts(level)),
    encodeSync: (data, level) => zstdCompressSync(data, opts(level)),
    encode: (data, level, done) => zstdCompress(data, opts(level) ?? {}, done),
    decodeSync: (data, max) => zstdDecompressSync(data, max === undefined ? undefined : { maxOutputLength: max }),
    flushKind: C.ZSTD_e_flush!,
    levels: { min: 1, max: 22 },
  };
}

const zstd = zstdCoding(zlib as unknown as ZstdZlib);

/**
 * The codings this runtime supports, by canonical name, in Armature's default preference order
 * for responses (zstd where present, then br, gzip, deflate).
 */
export const CONTENT_CODINGS: ReadonlyMap<CodingName, ContentCoding> = new Map<CodingName, ContentCoding>([
  ...(zstd === null ? [] : [['zstd', zstd] as const]),
  ['br', brotli],
  ['gzip', zlibCoding('gzip', zlib.createGunzip, zlib.createGzip, zlib.gzipSync, zlib.gzip, zlib.gunzipSync)],
  ['deflate', zlibCoding('deflate', zlib.createInflate, zlib.createDeflate, zlib.deflateSync, zlib.deflate, zlib.inflateSync)],
]);

/** True where the runtime's zlib has zstd (Node ≥ 22.15 / 23.8). */
export const ZSTD_AVAILABLE = zstd !== null;

/** The names of `CONTENT_CODINGS` joined as an `Accept-Encoding` value, e.g. "zstd, br, gzip, deflate". */
export const SUPPORTED_CODINGS = [...CONTENT_CODINGS.keys()].join(', ');

/** How many codings one request body may carry; more is refused (415) to bound the work. */
export const MAX_REQUEST_CODINGS = 2;

/**
 * The canonical form of a coding name: lowercased, with the aliases RFC 9110 §8.4.1 names
 * (`x-gzip` → `gzip`, `x-compress` → `compress`) folded in.
 */
export function codingName(name: string): string {
  const lower = name.toLowerCase();
  return lower === 'x-gzip' ? 'gzip' : lower === 'x-compress' ? 'compress' : lower;
}

/** The coding of that name (case-insensitive, aliases folded), or undefined if not supported. */
export function contentCoding(name: string): ContentCoding | undefined {
  return CONTENT_CODINGS.get(codingName(name) as CodingName);
}

/**
 * The codings of a request's `Content-Encoding`, in the order they must be undone (the last one
 * applied first). `identity` and empty list elements are skipped; no field, or only those, gives
 * an empty list. A coding this runtime does not support, a malformed value or more than
 * `MAX_REQUEST_CODINGS` codings → 415 with an `Accept-Encoding` field naming what is supported
 * (RFC 9110 §15.5.16); the message does not repeat the field.
 */
export function requestCodings(header: string | undefined): ContentCoding[] {
  if (header === undefined) return [];
  const out: ContentCoding[] = [];
  for (const element of header.split(',')) {
    const name = element.trim();
    if (name === '' || name.toLowerCase() === 'identity') continue;
    const coding = isToken(name) ? contentCoding(name) : undefined;
    if (coding === undefined) throw unsupported('Unsupported Content-Encoding in the request');
    if (out.length === MAX_REQUEST_CODINGS) throw unsupported(`More than ${MAX_REQUEST_CODINGS} content codings in the request`);
    out.push(coding);
  }
  return out.reverse();
}

function unsupported(what: string): UnsupportedMediaTypeException {
  return new UnsupportedMediaTypeException(`${what}; this server decodes ${SUPPORTED_CODINGS} (at most ${MAX_REQUEST_CODINGS} in a row)`, {
    headers: { 'Accept-Encoding': SUPPORTED_CODINGS },
  });
}

/** One element of `Accept-Encoding`: a canonical coding name (or `*`, `identity`) and its weight. */
export interface AcceptedCoding {
  readonly name: string;
  /** The weight, 0..1 (1 when no `q` is given). */
  readonly q: number;
}

const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * Parses `Accept-Encoding` (RFC 9110 §12.5.3) into its elements in the order given: names
 * canonical (`codingName`), weights from `q` (other parameters ignored). Malformed elements (not
 * a token, a bad q-value) are skipped; an empty value gives an empty list, which means "identity
 * only". Linear in the length of the value. Negotiation (`*`, `identity;q=0`, preference order)
 * is the caller's.
 */
export function parseAcceptEncoding(value: string): AcceptedCoding[] {
  const out: AcceptedCoding[] = [];
  for (const element of value.split(',')) {
    const semi = element.indexOf(';');
    const name = (semi === -1 ? element : element.slice(0, semi)).trim();
    if (!isToken(name)) continue;
    let q = 1;
    let valid = true;
    if (semi !== -1) {
      for (const param of element.slice(semi + 1).split(';')) {
        const eq = param.indexOf('=');
        const key = (eq === -1 ? param : param.slice(0, eq)).trim().toLowerCase();
        if (key !== 'q') continue;
        const v = eq === -1 ? '' : param.slice(eq + 1).trim();
        if (!QVALUE.test(v)) {
          valid = false;
          break;
        }
        q = Number(v);
      }
    }
    if (valid) out.push({ name: codingName(name), q });
  }
  return out;
}

/** What an `Accept-Encoding` field lets a response use. */
export interface CodingChoice<Name extends string = string> {
  /** The coding to use, or null for none (identity). */
  readonly coding: Name | null;
  /** False when the client refused an unencoded response (`identity;q=0`, or `*;q=0` without naming identity). */
  readonly identity: boolean;
}

/**
 * Negotiates a response's content coding (RFC 9110 §12.5.3) among `offered`, the codings the
 * server can send in its order of preference: the client's highest q wins, the server's order
 * breaks ties, `*` weighs every coding the field does not name, q=0 refuses. Identity, unnamed,
 * ranks below every named coding; named with a higher q than the best coding, it wins. An
 * absent field accepts identity only. Linear in the field's length (times the few codings offered).
 */
export function negotiateCoding<Name extends string>(field: string | undefined, offered: readonly Name[]): CodingChoice<Name> {
  if (field === undefined) return { coding: null, identity: true };
  const accepted = parseAcceptEncoding(field);
  let star = -1;
  let identity = -1;
  for (const a of accepted) {
    if (a.name === '*') star = Math.max(star, a.q);
    else if (a.name === 'identity') identity = Math.max(identity, a.q);
  }
  let best: Name | null = null;
  let bestQ = 0;
  for (const name of offered) {
    let q = -1;
    for (const a of accepted) if (a.name === name) q = Math.max(q, a.q);
    if (q === -1) q = star === -1 ? 0 : star;
    if (q > bestQ) {
      best = name;
      bestQ = q;
    }
  }
  if (best !== null && identity > bestQ) best = null;
  const identityQ = identity !== -1 ? identity : star !== -1 ? star : 1;
  return { coding: best, identity: identityQ > 0 };
}
