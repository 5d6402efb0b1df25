/**
 * The application's pino logger: JSON lines by default, pretty in development when `pino-pretty`
 * is installed, level from `LOG_LEVEL`, secrets redacted, and every line naming the worker that
 * wrote it (`worker`, in a multi-worker app).
 */
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { workerId } from '@armature/core';
import { BatchedDestination } from './batched-destination.js';
import pino, { type DestinationStream, type Logger, type LoggerOptions as PinoOptions } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Lowest level written: `trace` … `fatal`, or `silent`. Default `LOG_LEVEL` from the environment, else `info`. */
  level?: string;
  /**
   * Human-readable lines through `pino-pretty` (an optional dependency). Default: on when
   * NODE_ENV is not `production`, stdout is a terminal and `pino-pretty` is installed.
   */
  pretty?: boolean;
  /** Where lines go: a file path, a file descriptor or a stream. Default stdout. */
  destination?: string | number | DestinationStream;
  /**
   * Gather lines up to this many bytes and write them with one system call (stdout, a path or a
   * descriptor): much cheaper under load (see docs/observability.md). Lines wait at most
   * `flushInterval` ms and are written on exit; a SIGKILL loses at most that much. Default 0:
   * each line is written as it comes (asynchronously, through pino.destination).
   */
  bufferSize?: number;
  /** With `bufferSize`: the longest a line waits in the buffer, in ms (default 1000). */
  flushInterval?: number;
  /** Extra paths to redact (pino syntax, e.g. `body.password`), added to the defaults. */
  redact?: readonly string[];
  /** Fields on every line, next to `pid`, `hostname` and `worker`. */
  base?: Record<string, unknown>;
  /** A `name` field on every line. */
  name?: string;
  /** Any other pino option (serializers, formatters, timestamp, …). */
  pino?: PinoOptions;
}

/** Header fields whose values never reach a log line. */
export const DEFAULT_REDACT: readonly string[] = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

function resolveLevel(level: string | undefined): string {
  const value = (level ?? process.env.LOG_LEVEL ?? 'info').toLowerCase();
  if (!LEVELS.has(value)) throw new TypeError(`Log level must be one of ${[...LEVELS].join(', ')}, not "${value}"`);
  return value;
}

/** `pino-pretty` when it can be loaded (it is optional), else null. */
function loadPretty(): ((options: Record<string, unknown>) => DestinationStream) | null {
  try {
    return createRequire(import.meta.url)('pino-pretty') as (options: Record<string, unknown>) => DestinationStream;
  } catch {
    return null;
  }
}

function toStream(options: LoggerOptions): DestinationStream | undefined {
  const { destination, bufferSize = 0, flushInterval = 1000 } = options;
  if (!Number.isInteger(bufferSize) || bufferSize < 0) throw new TypeError(`bufferSize must be a whole number of bytes ≥ 0, got ${bufferSize}`);
  if (!(flushInterval > 0)) throw new TypeError(`flushInterval must be a positive number of ms, got ${flushInterval}`);
  if (typeof destination === 'object') return destination;
  if (bufferSize > 0) return new BatchedDestination(destination ?? 1, bufferSize, flushInterval);
  if (destination === undefined) return undefined;
  return pino.destination({ dest: destination, sync: false, mkdir: true });
}

/** Makes the app's logger (see LoggerOptions). */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = resolveLevel(options.level);
  const worker = workerId();
  const base: Record<string, unknown> = { pid: process.pid, hostname: hostname() };
  if (worker !== null) base.worker = worker;
  Object.assign(base, options.base);
  const config: PinoOptions = {
    ...options.pino,
    level,
    base,
    redact: { paths: [...DEFAULT_REDACT, ...(options.redact ?? [])], censor: '[Redacted]' },
  };
  if (options.name !== undefined) config.name = options.name;
  let stream = toStream(options);
  const wantPretty = options.pretty ?? (process.env.NODE_ENV !== 'production' && stream === undefined && process.stdout.isTTY === true);
  if (wantPretty) {
    const pretty = loadPretty();
    if (pretty !== null) stream = pretty({ colorize: stream === undefined && process.stdout.isTTY === true, sync: true, destination: stream ?? 1 });
    else if (options.pretty === true) throw new Error('pretty: true needs the pino-pretty package: npm install pino-pretty');
  }
  return stream === undefined ? pino(config) : pino(config, stream);
}

/**
 * An `onError` reporter for `createApp({ onError })` / `Armature.create(…, { onError })`:
 * unexpected errors (a handler's 500, a failing hook, a broken stream) go to `logger` at level
 * error, with the worker number like every other line.
 */
export function logErrors(logger: Logger): (error: unknown) => void {
  return (error) => logger.error({ err: error }, 'unhandled error');
}
