/**
 * Sends one file as the answer: type from the MIME database, strong ETag and Last-Modified,
 * 304 for a fresh client copy, one byte range (206/416), Cache-Control, a precompressed sibling
 * (`.br`, `.zst`, `.gz`) when the client accepts it, HEAD without a body. Small files go out in
 * one write; larger ones stream with backpressure.
 */
import { createReadStream, type Stats } from 'node:fs';
import { open, stat as statFile } from 'node:fs/promises';
import { basename, extname, isAbsolute, resolve } from 'node:path';
import mime from 'mime-types';
import { ForbiddenException, HttpError, NotFoundException, type Context } from '@armature/core';
import { negotiateCoding } from '@armature/core/http';
import { byteRange, fileTag, notModified, rangeStillValid } from './conditional.js';
import { isInside, RealRoot } from './resolve-path.js';

export interface SendFileOptions {
  /** Resolve relative paths against this directory, and refuse paths outside it. */
  root?: string;
  /** `Cache-Control: public, max-age=N` (seconds, default 0). */
  maxAge?: number;
  /** `immutable` (and a year's max-age) for every file, or for those whose path matches (hashed names). */
  immutable?: boolean | RegExp;
  /** Send ETag / Last-Modified and answer 304 (default true). */
  etag?: boolean;
  lastModified?: boolean;
  /** Answer Range requests (default true). */
  acceptRanges?: boolean;
  /** Serve `file.br` / `file.zst` / `file.gz` instead of `file` when the client accepts that coding (default false). */
  precompressed?: boolean | readonly PrecompressedCoding[];
  /** Follow symbolic links that lead outside `root` (default false: they answer 404). */
  followSymlinksOutsideRoot?: boolean;
  /** A Content-Type when the extension says nothing (default application/octet-stream). */
  defaultType?: string;
  /** Last say on the fields: `(ctx, path, stat) => void`. */
  setHeaders?: (ctx: Context, path: string, stat: Stats) => void;
}

export type PrecompressedCoding = 'br' | 'zstd' | 'gzip';
const SIBLING: Record<PrecompressedCoding, string> = { br: '.br', zstd: '.zst', gzip: '.gz' };
const DEFAULT_PRECOMPRESSED: readonly PrecompressedCoding[] = ['br', 'zstd', 'gzip'];

/** Files up to this size are read whole and sent in one write. */
const SMALL = 64 * 1024;
const YEAR = 31_536_000;

/** The compiled options of a sender (shared by serveStatic and sendFile). */
export interface Sender {
  send(ctx: Context, path: string, stats?: Stats): Promise<null>;
}

export function cacheControl(path: string, o: SendFileOptions): string {
  const immutable = o.immutable === true || (o.immutable instanceof RegExp && o.immutable.test(path));
  return immutable ? `public, max-age=${YEAR}, immutable` : `public, max-age=${o.maxAge ?? 0}`;
}

function statOrNull(path: string): Promise<Stats | null> {
  return statFile(path).then(
    (s) => (s.isFile() ? s : null),
    () => null,
  );
}

export function createSender(o: SendFileOptions): Sender {
  const root = o.root === undefined ? null : new RealRoot(resolve(o.root));
  const offered: readonly PrecompressedCoding[] = o.precompressed === true ? DEFAULT_PRECOMPRESSED : o.precompressed === false || o.precompressed === undefined ? [] : o.precompressed;
  const useEtag = o.etag !== false;
  const useLastModified = o.lastModified !== false;
  const ranges = o.acceptRanges !== false;
  const defaultType = o.defaultType ?? 'application/octet-stream';

  return {
    async send(ctx, path, known) {
      const method = ctx.req.method;
      const file = resolve(root?.root ?? '', path);
      if (root !== null && !isInside(root.root, file)) throw new ForbiddenException('Path is outside the root');
      const stats = known ?? (await statOrNull(file));
      if (stats === null) throw new NotFoundException();
      if (root !== null && o.followSymlinksOutsideRoot !== true && !(await root.contains(file))) throw new NotFoundException();
      const res = ctx.res;
      const type = mime.contentType(extname(file)) || defaultType;

      // a precompressed sibling: a representation of its own (its own validators and length)
      let body = file;
      let bodyStats = stats;
      if (offered.length > 0) {
        const present: PrecompressedCoding[] = [];
        const siblings = await Promise.all(offered.map((c) => statOrNull(file + SIBLING[c])));
        siblings.forEach((s, i) => s !== null && present.push(offered[i]!));
        res.appendHeader('Vary', 'Accept-Encoding');
        const coding = negotiateCoding(ctx.req.headers.get('accept-encoding'), present).coding;
        if (coding !== null) {
          body = file + SIBLING[coding];
          bodyStats = siblings[offered.indexOf(coding)]!;
          res.setHeader('Content-Encoding', coding);
        }
      }

      const tag = fileTag(bodyStats);
      if (useEtag) res.setHeader('ETag', tag);
      if (useLastModified) res.setHeader('Last-Modified', bodyStats.mtime.toUTCString());
      if (!res.hasHeader('cache-control')) res.setHeader('Cache-Control', cacheControl(file, o));
      res.setHeader('Content-Type', type);
      if (ranges) res.setHeader('Accept-Ranges', 'bytes');
      o.setHeaders?.(ctx, file, stats);

      if ((method === 'GET' || method === 'HEAD') && (useEtag || useLastModified) && notModified(ctx.req.headers, tag, bodyStats.mtimeMs)) {
        res.statusCode = 304;
        res.removeHeader('content-type');
        res.end();
        return null;
      }

      const size = bodyStats.size;
      let start = 0;
      let end = size - 1;
      if (ranges && method === 'GET' && rangeStillValid(ctx.req.headers.get('if-range'), tag, bodyStats.mtimeMs)) {
        const range = byteRange(ctx.req.headers.get('range'), size);
        if (range === 'unsatisfiable') {
          throw new HttpError(416, `Range not satisfiable: the file has ${size} bytes`, { headers: { 'Content-Range': `bytes */${size}` } });
        }
        if (range !== null) {
          start = range.start;
          end = range.end;
          res.statusCode = 206;
          res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
        }
      }
      const length = size === 0 ? 0 : end - start + 1;
      res.setHeader('Content-Length', String(length));
      if (method === 'HEAD' || length === 0) {
        res.end();
        return null;
      }
      if (length <= SMALL) {
        res.end(await readRange(body, start, length));
        return null;
      }
      await res.send(createReadStream(body, { start, end, highWaterMark: SMALL }));
      return null;
    },
  };
}

async function readRange(path: string, start: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(buffer, read, length - read, start + read);
      if (bytesRead === 0) break; // the file shrank meanwhile
      read += bytesRead;
    }
    return read === length ? buffer : buffer.subarray(0, read);
  } finally {
    await handle.close();
  }
}

/**
 * Answers with the file at `path` (absolute, or relative to `options.root`, which it may not
 * leave). Return its result from a handler: `return sendFile(ctx, 'report.pdf', { root })`.
 * A missing file is 404.
 */
export function sendFile(ctx: Context, path: string, options: SendFileOptions = {}): Promise<null> {
  if (options.root === undefined && !isAbsolute(path)) throw new TypeError('sendFile: give an absolute path, or a root to resolve it against');
  return createSender(options).send(ctx, path);
}

/** RFC 6266 / RFC 8187: an ASCII fallback name and the exact UTF-8 one. */
export function contentDisposition(filename: string, type: 'attachment' | 'inline' = 'attachment'): string {
  const name = basename(filename);
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  if (fallback === name) return `${type}; filename="${name}"`;
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Like sendFile, as an attachment the browser saves under `filename` (default: the file's own name). */
export function download(ctx: Context, path: string, filename?: string, options: SendFileOptions = {}): Promise<null> {
  ctx.res.setHeader('Content-Disposition', contentDisposition(filename ?? path));
  return sendFile(ctx, path, options);
}
