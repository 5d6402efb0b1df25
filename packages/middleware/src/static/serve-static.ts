/**
 * `serveStatic(root)`: a directory of files as a middleware (`app.use(serveStatic(dir, { prefix }))`:
 * every GET/HEAD path under `prefix`, misses fall through) or as a wildcard route's handler
 * (`app.get('/assets/*', serveStatic(dir))`: the wildcard is the file's path, misses are 404).
 * Index files, trailing-slash redirects for directories, and everything `sendFile` does.
 */
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BadRequestException, ForbiddenException, NotFoundException, type Context, type Next } from '@armature/core';
import { createSender, type SendFileOptions } from './send-file.js';
import { filePath, type DotfilesPolicy } from './resolve-path.js';

export interface ServeStaticOptions extends Omit<SendFileOptions, 'root'> {
  /**
   * The URL path the directory is served under when used as middleware (default `/`). On a
   * wildcard route the wildcard's value is the file's path and `prefix` is not needed.
   */
  prefix?: string;
  /** Files tried for a directory (default `['index.html']`; false: none). */
  index?: string | readonly string[] | false;
  /** `ignore` (default: as if absent, 404), `deny` (403) or `allow` files and folders whose name starts with a dot. */
  dotfiles?: DotfilesPolicy;
  /** Redirect `/dir` to `/dir/` when it is a directory (default true). */
  redirect?: boolean;
  /**
   * A miss goes on to the rest of the chain (default true for middleware: your routes and
   * not-found handler answer); false answers 404 at once.
   */
  fallthrough?: boolean;
}

function normalizePrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === '' || prefix === '/') return '/';
  if (!prefix.startsWith('/')) throw new TypeError(`serveStatic: prefix must start with "/", got "${prefix}"`);
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** A middleware (with `next`) that also serves as a route handler (without). */
export type StaticHandler = (ctx: Context, next?: Next) => unknown;

export function serveStatic(root: string, options: ServeStaticOptions = {}): StaticHandler {
  if (typeof root !== 'string' || root === '') throw new TypeError('serveStatic: give the directory to serve');
  const dir = resolve(root);
  const prefix = normalizePrefix(options.prefix);
  const indexes = options.index === false ? [] : typeof options.index === 'string' ? [options.index] : (options.index ?? ['index.html']);
  const dotfiles = options.dotfiles ?? 'ignore';
  if (dotfiles !== 'ignore' && dotfiles !== 'deny' && dotfiles !== 'allow') throw new TypeError(`serveStatic: dotfiles must be 'ignore', 'deny' or 'allow', got ${String(dotfiles)}`);
  const redirect = options.redirect !== false;
  const fallthrough = options.fallthrough !== false;
  const sender = createSender({ ...options, root: dir });

  const miss = (next: (() => unknown) | undefined): unknown => {
    if (fallthrough && next !== undefined) return next();
    throw new NotFoundException();
  };

  /** `encoded`: the path is as received (from ctx.path); a wildcard parameter is decoded already. */
  const serve = async (ctx: Context, relative: string, next: (() => unknown) | undefined, encoded = true): Promise<unknown> => {
    const file = filePath(dir, relative, dotfiles, encoded);
    if (file === 'bad') throw new BadRequestException('Malformed path');
    if (file === 'forbidden') throw new ForbiddenException();
    if (file === 'missing') return miss(next);
    let stats: Stats;
    try {
      stats = await stat(file);
    } catch {
      return miss(next);
    }
    if (stats.isDirectory()) {
      if (!relative.endsWith('/') && relative !== '') {
        if (!redirect) return miss(next);
        const query = ctx.req.query === '' ? '' : `?${ctx.req.query}`;
        ctx.res.statusCode = 301;
        ctx.res.setHeader('Location', `${ctx.path}/${query}`);
        ctx.res.end();
        return null;
      }
      for (const name of indexes) {
        const index = join(file, name);
        const s = await stat(index).catch(() => null);
        if (s !== null && s.isFile()) return sender.send(ctx, index, s);
      }
      return miss(next);
    }
    if (!stats.isFile()) return miss(next);
    try {
      return await sender.send(ctx, file, stats);
    } catch (error) {
      if (error instanceof NotFoundException) return miss(next); // e.g. a symlink leading out
      throw error;
    }
  };

  return (ctx, next) => {
    const method = ctx.req.method;
    if (method !== 'GET' && method !== 'HEAD') return next === undefined ? miss(undefined) : next();
    if (next === undefined) {
      // a route's handler: the wildcard is the file's path
      const wildcard = (ctx.params as Record<string, string | undefined>)['*'];
      if (wildcard === undefined) throw new TypeError('serveStatic as a route handler needs a wildcard route, e.g. app.get("/assets/*", serveStatic(dir))');
      return serve(ctx, wildcard, undefined, false);
    }
    const path = ctx.path;
    if (prefix !== '/') {
      if (path === prefix.slice(0, -1)) return serve(ctx, '', next);
      if (!path.startsWith(prefix)) return next();
      return serve(ctx, path.slice(prefix.length - 1), next);
    }
    return serve(ctx, path, next);
  };
}
