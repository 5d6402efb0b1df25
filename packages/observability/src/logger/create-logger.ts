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
   * Lines are gathered in a buffer of this many bytes and written with one system call at the
   * end of the event-loop turn that produced them (stdout, a path or a descriptor): under load,
   * one write for many requests' lines. Default 16384. 0: each line is handed to
   * pino.destination as it comes (one asynchronous write per line; several times the CPU per
   * line, see docs/observability.md "Cost").
   */
  bufferSize?: number;
  /**
   * With `bufferSize`: 0 (default) writes the buffer at the end of each event-loop turn; a number
   * of ms lets lines wait up to that long instead (fewer, larger writes when traffic is light).
   * Buffered lines are written on process exit and by `logger.flush()` either way.
   */
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

/** The default `bufferSize`: a few dozen request lines, one write. */
const DEFAULT_BUFFER_SIZE = 16384;

function toStream(options: LoggerOptions): DestinationStream | undefined {
  const { destination, bufferSize = DEFAULT_BUFFER_SIZE, flushInterval = 0 } = options;
  if (typeof destination === 'object') return destination;
  if (bufferSize > 0) return new BatchedDestination(destination ?? 1, bufferSize, flushInterval);
  if (destination === undefined) return undefined;
  return pino.destination({ dest: destination, sync: false, mkdir: true });
}

function checkBuffering(options: LoggerOptions): void {
  const { bufferSize = DEFAULT_BUFFER_SIZE, flushInterval = 0 } = options;
  if (!Number.isInteger(bufferSize) || bufferSize < 0) throw new TypeError(`bufferSize must be a whole number of bytes ≥ 0, got ${bufferSize}`);
  if (!(flushInterval >= 0 && Number.isFinite(flushInterval))) throw new TypeError(`flushInterval must be a number of ms ≥ 0, got ${flushInterval}`);
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
  checkBuffering(options);
  const toStdout = options.destination === undefined;
  const wantPretty = options.pretty ?? (process.env.NODE_ENV !== 'production' && toStdout && process.stdout.isTTY === true);
  const pretty = wantPretty ? loadPretty() : null;
  if (wantPretty && pretty === null && options.pretty === true) throw new Error('pretty: true needs the pino-pretty package: npm install pino-pretty');
  // pretty lines on a terminal are for people: written as they come
  const stream = pretty !== null
    ? pretty({ colorize: toStdout && process.stdout.isTTY === true, sync: true, destination: toStdout ? 1 : toStream(options) })
    : toStream(options);
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
