/**
 * The options of `compression()` and their resolution, once, into the settings a response
 * reads: which codings in which order, at which levels, above which size, for which types.
 */
import { CompressedCache, type CacheOptions } from './cache.js';
import { checkLevel, codings, defaultLevel, KNOWN_CODINGS, type CodingName } from './codings.js';
import { isCompressible } from './compressible.js';
import { Negotiator } from './negotiate.js';

export interface CompressionOptions {
  /**
   * The codings to offer, most preferred first; among codings the client accepts with the same
   * q-value, the first here wins. Codings this runtime lacks (zstd on Node 20) are skipped.
   * Default `['zstd', 'br', 'gzip', 'deflate']`.
   */
  encodings?: readonly CodingName[];
  /**
   * Levels per coding (gzip/deflate 0–9, br 0–11, zstd 1–19). Defaults, for dynamic content
   * (see docs/compression.md for the benchmark behind them): gzip 5, deflate 5, br 4, zstd 3.
   */
  levels?: Partial<Record<CodingName, number>>;
  /** Bodies whose length is known and smaller than this many bytes are sent as they are. Default 1024. */
  threshold?: number;
  /**
   * Whether a response of this Content-Type is compressed. Default: mime-db's `compressible`
   * flag, `text/*`, `+json`/`+xml`/`+text` suffixes, event streams and NDJSON.
   */
  filter?: (contentType: string | undefined) => boolean;
  /**
   * Flush the compressor after every write of a streamed body. `'auto'` (default): for event
   * streams and NDJSON, so each message reaches the client at once; `true`: every stream;
   * `false`: only at the end (best ratio).
   */
  flush?: boolean | 'auto';
  /**
   * Complete bodies up to this many bytes are compressed on the calling thread (cheaper for
   * small bodies); larger ones on zlib's thread pool. Default 32 KiB; 0 sends every body to the pool.
   */
  syncLimit?: number;
  /**
   * Keep compressed bytes of complete bodies, keyed by a hash of the body, the coding and the
   * level: for responses that repeat (static pages, fixed JSON). Off by default.
   */
  cache?: boolean | CacheOptions;
}

export interface Settings {
  readonly enabled: boolean;
  readonly negotiator: Negotiator;
  readonly levels: Readonly<Record<CodingName, number>>;
  readonly threshold: number;
  readonly syncLimit: number;
  readonly flush: boolean | 'auto';
  readonly filter: (contentType: string | undefined) => boolean;
  readonly cache: CompressedCache | null;
  /** The offered codings available here, in order. */
  readonly offered: readonly CodingName[];
}

const DEFAULT_ORDER: readonly CodingName[] = ['zstd', 'br', 'gzip', 'deflate'];

function sizeOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`compression: ${name} must be a whole number of bytes ≥ 0, got ${String(value)}`);
  }
  return value;
}

/** Checks the options and resolves them (start-up errors name the option). */
export function resolveSettings(options: CompressionOptions | false = {}): Settings {
  if (options === false) return DISABLED;
  if (typeof options !== 'object' || options === null) throw new TypeError('compression: options must be an object or false');
  const order = options.encodings ?? DEFAULT_ORDER;
  if (!Array.isArray(order)) throw new TypeError('compression: encodings must be an array of coding names');
  for (const name of order) {
    if (!KNOWN_CODINGS.includes(name)) throw new TypeError(`compression: unknown coding "${String(name)}" in encodings (known: ${KNOWN_CODINGS.join(', ')})`);
  }
  const offered = [...new Set(order)].filter((name) => codings.has(name));
  const levels = { zstd: defaultLevel('zstd'), br: defaultLevel('br'), gzip: defaultLevel('gzip'), deflate: defaultLevel('deflate') };
  for (const [name, level] of Object.entries(options.levels ?? {})) {
    if (!KNOWN_CODINGS.includes(name as CodingName)) throw new TypeError(`compression: unknown coding "${name}" in levels`);
    if (level !== undefined) levels[name as CodingName] = checkLevel(name as CodingName, level);
  }
  const flush = options.flush ?? 'auto';
  if (flush !== true && flush !== false && flush !== 'auto') throw new TypeError(`compression: flush must be true, false or 'auto'`);
  if (options.filter !== undefined && typeof options.filter !== 'function') throw new TypeError('compression: filter must be a function');
  const cache = options.cache === undefined || options.cache === false ? null : new CompressedCache(options.cache === true ? {} : options.cache);
  return {
    enabled: offered.length > 0,
    negotiator: new Negotiator(offered),
    levels,
    threshold: sizeOption('threshold', options.threshold, 1024),
    syncLimit: sizeOption('syncLimit', options.syncLimit, 32 * 1024),
    flush,
    filter: options.filter ?? isCompressible,
    cache,
    offered,
  };
}

const DISABLED: Settings = {
  enabled: false,
  negotiator: new Negotiator([]),
  levels: { zstd: 3, br: 4, gzip: 4, deflate: 4 },
  threshold: 0,
  syncLimit: 0,
  flush: false,
  filter: () => false,
  cache: null,
  offered: [],
};
