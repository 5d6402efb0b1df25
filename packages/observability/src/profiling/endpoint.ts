/**
 * Profiling in production, over HTTP: `GET /debug/profile?seconds=N` records a CPU profile of
 * the process that answers and sends the `.cpuprofile` (or, with `format=svg`, its flame graph);
 * `GET /debug/heap-snapshot` streams a `.heapsnapshot`. Never open: a bearer token (compared in
 * constant time) or an `authorize(ctx)` of your own is required. Bounded: `seconds` up to
 * `maxSeconds`, one profile or snapshot at a time per process (409 meanwhile).
 *
 * The head of a CPU profile answer is sent as soon as the profiler runs, so the engine's
 * `requestTimeout` does not cut a long profile short; an error after that aborts the response.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError, type Context, type Middleware } from '@armature/core';
import type { CpuProfile } from '../flame/cpuprofile.js';
import { DEFAULT_SAMPLING_INTERVAL, checkSamplingInterval, cpuProfileToSvg, heapSnapshot, profileFileName, sleep, startCpuProfile } from './profiler.js';

export interface ProfilingOptions {
  /**
   * The secret a client sends as `Authorization: Bearer <token>` (at least 16 characters; from
   * the environment, never from the code). Missing header → 401, another token → 403.
   */
  token?: string;
  /**
   * Who may profile, decided by you (after the token, when both are set): true lets the request
   * through, false answers 403; it may also throw an HttpError of its own.
   */
  authorize?: (ctx: Context) => boolean | Promise<boolean>;
  /** Where the endpoints are (default `/debug`: `/debug/profile`, `/debug/heap-snapshot`). */
  prefix?: string;
  /** The longest profile, in seconds (default 60). */
  maxSeconds?: number;
  /** The profile's length when the request gives no `seconds` (default 10, at most maxSeconds). */
  defaultSeconds?: number;
  /** µs between CPU samples (default 1000). */
  samplingInterval?: number;
  /** Serve `/heap-snapshot` (default true). */
  heapSnapshot?: boolean;
}

export interface Profiling {
  /** Serves `<prefix>/profile` and `<prefix>/heap-snapshot` (GET), authenticated; passes everything else on. */
  readonly middleware: Middleware;
  /** The CPU profile endpoint as a route handler (authentication included), to mount elsewhere. */
  readonly cpuProfile: (ctx: Context) => Promise<unknown>;
  /** The heap snapshot endpoint as a route handler (authentication included). */
  readonly heapSnapshot: (ctx: Context) => Promise<unknown>;
}

const MIN_TOKEN_LENGTH = 16;
const NUMBER = /^\d+(?:\.\d+)?$/;
const HEARTBEAT = 1000;
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** Makes the profiling endpoints (see ProfilingOptions); throws unless `token` or `authorize` is set. */
export function createProfiling(options: ProfilingOptions): Profiling {
  const { token, authorize } = options ?? {};
  if (token === undefined && authorize === undefined) {
    throw new TypeError(
      'profiling: set `token` (a secret sent as "Authorization: Bearer <token>") or `authorize(ctx)`: ' +
        'a profile or heap snapshot exposes the process\'s code and memory, so these endpoints are never open',
    );
  }
  if (token !== undefined && (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH)) {
    throw new TypeError(`profiling: token must be a string of at least ${MIN_TOKEN_LENGTH} characters (is the environment variable set?)`);
  }
  if (authorize !== undefined && typeof authorize !== 'function') throw new TypeError('profiling: authorize must be a function (ctx) => boolean');
  const prefix = options.prefix ?? '/debug';
  if (typeof prefix !== 'string' || !prefix.startsWith('/')) throw new TypeError(`profiling: prefix must start with "/", got ${String(prefix)}`);
  const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const maxSeconds = options.maxSeconds ?? 60;
  if (!(maxSeconds > 0) || !Number.isFinite(maxSeconds)) throw new TypeError('profiling: maxSeconds must be a positive number');
  const defaultSeconds = Math.min(options.defaultSeconds ?? 10, maxSeconds);
  if (!(defaultSeconds > 0)) throw new TypeError('profiling: defaultSeconds must be a positive number');
  const samplingInterval = checkSamplingInterval(options.samplingInterval ?? DEFAULT_SAMPLING_INTERVAL);
  const expected = token === undefined ? null : digest(token);

  const authenticate = async (ctx: Context): Promise<void> => {
    if (expected !== null) {
      const header = ctx.get('authorization');
      const match = header === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
      if (match === null) throw new HttpError(401, 'Send "Authorization: Bearer <token>"', { headers: { 'WWW-Authenticate': 'Bearer realm="profiling"' } });
      // equal-length digests: the comparison takes the same time whatever the token sent
      if (!timingSafeEqual(digest(match[1]!), expected)) throw new HttpError(403, 'Wrong profiling token');
    }
    if (authorize !== undefined && (await authorize(ctx)) !== true) throw new HttpError(403, 'Not allowed to profile');
  };

  const noStore = (ctx: Context, type: string, disposition: string): void => {
    ctx.set('Content-Type', type);
    ctx.set('Content-Disposition', disposition);
    ctx.set('Cache-Control', 'no-store');
  };

  const cpuProfile = async (ctx: Context): Promise<unknown> => {
    await authenticate(ctx);
    const query = ctx.query as Record<string, string | string[] | undefined>;
    const rawSeconds = single(query.seconds);
    let seconds = defaultSeconds;
    if (rawSeconds !== undefined) {
      seconds = NUMBER.test(rawSeconds) ? Number(rawSeconds) : NaN;
      if (!(seconds > 0 && seconds <= maxSeconds)) throw new HttpError(400, `seconds must be a number greater than 0 and at most ${maxSeconds}`);
    }
    const format = single(query.format) ?? 'cpuprofile';
    if (format !== 'cpuprofile' && format !== 'svg') throw new HttpError(400, 'format must be cpuprofile or svg');

    const running = await startCpuProfile({ samplingInterval }); // busy: a ProfilerBusyError, 409
    // the client leaving ends the profile early (and frees the profiler for the next one)
    const abort = new AbortController();
    const unwatch = ctx.res.onClose(() => abort.abort());
    const result: Promise<CpuProfile> = sleep(seconds * 1000, abort.signal).then(() => running.stop()); // sleep never rejects
    result.then(unwatch, unwatch);
    const render = format === 'svg' ? (p: CpuProfile) => cpuProfileToSvg(p, `CPU profile, ${seconds} s`) : (p: CpuProfile) => JSON.stringify(p);
    // the head goes at once with the first bytes, which either format is known to start with;
    // then whitespace once a second (allowed there in JSON and XML alike): it keeps proxies from
    // timing the answer out, and a write is how a client that left is noticed
    const first = format === 'svg' ? XML_DECLARATION : '{';
    const filler = format === 'svg' ? '\n' : ' ';
    if (format === 'svg') noStore(ctx, 'image/svg+xml; charset=utf-8', `inline; filename="${profileFileName('cpu', 'svg', running.startedAt)}"`);
    else noStore(ctx, 'application/json; charset=utf-8', `attachment; filename="${profileFileName('cpu', 'cpuprofile', running.startedAt)}"`);
    const finished = result.then(() => true, () => true);
    return (async function* () {
      yield first;
      while (!(await Promise.race([finished, sleep(HEARTBEAT).then(() => false)]))) yield filler;
      const text = render(await result);
      if (!text.startsWith(first)) throw new Error(`profiling: the ${format} output does not start with ${first}`);
      yield text.slice(first.length);
    })();
  };

  const heap = async (ctx: Context): Promise<unknown> => {
    await authenticate(ctx);
    const stream = heapSnapshot(); // busy: a ProfilerBusyError, 409
    noStore(ctx, 'application/json; charset=utf-8', `attachment; filename="${profileFileName('heap', 'heapsnapshot')}"`);
    // the client leaving ends the stream (and frees the profiler)
    ctx.res.onClose(() => stream.destroy());
    return stream;
  };

  const profilePath = `${base}/profile`;
  const heapPath = options.heapSnapshot === false ? null : `${base}/heap-snapshot`;
  const middleware: Middleware = (ctx, next) => {
    const path = ctx.path;
    if (path !== profilePath && path !== heapPath) return next();
    if (ctx.method !== 'GET') return next();
    return path === profilePath ? cpuProfile(ctx) : heap(ctx);
  };
  return { middleware, cpuProfile, heapSnapshot: heap };
}
