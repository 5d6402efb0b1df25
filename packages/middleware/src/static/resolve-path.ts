/**
 * From a request path to a file under the root, refusing everything that could leave it:
 * percent-decoded `..` segments, backslashes, NUL, dotfiles (by policy), and (after the file is
 * found) symbolic links whose target lies outside the root.
 */
import { realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';

export type DotfilesPolicy = 'ignore' | 'deny' | 'allow';

/** Why a path is refused: `forbidden` → 403, `bad` → 400, `missing` → treated as not found. */
export type Refusal = 'forbidden' | 'bad' | 'missing';

/**
 * The file path for `relative` (the part of the URL path under the mount point: percent-encoded
 * when `encoded`, else decoded already and never decoded twice), or a refusal. Linear in the
 * path's length.
 */
export function filePath(root: string, relative: string, dotfiles: DotfilesPolicy, encoded = true): string | Refusal {
  const parts = relative.split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const raw = parts[i]!;
    if (raw === '') continue;
    let segment: string;
    try {
      segment = !encoded || raw.indexOf('%') === -1 ? raw : decodeURIComponent(raw);
    } catch {
      return 'bad';
    }
    if (segment.indexOf('\0') !== -1) return 'bad';
    // a decoded slash would join segments the request kept apart; a backslash is a separator on Windows
    if ((encoded && segment.indexOf('/') !== -1) || segment.indexOf('\\') !== -1) return 'forbidden';
    if (segment === '..' || segment === '.') return 'forbidden';
    if (segment.charCodeAt(0) === 46 /* . */ && dotfiles !== 'allow') return dotfiles === 'deny' ? 'forbidden' : 'missing';
    out.push(segment);
  }
  return out.length === 0 ? root : join(root, ...out);
}

/** True when `path` is `root` or inside it. */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The real path of `root`, resolved once. */
export class RealRoot {
  private real: Promise<string> | null = null;
  constructor(readonly root: string) {}
  get(): Promise<string> {
    return (this.real ??= realpath(this.root).catch(() => this.root));
  }
  /** Does `file` (which exists) really lie under the root once symbolic links are followed? */
  async contains(file: string): Promise<boolean> {
    const [root, target] = await Promise.all([this.get(), realpath(file)]);
    return isInside(root, target);
  }
}
