/**
 * Validators and preconditions of file answers (RFC 9110 §8.8, §13): strong ETags and
 * Last-Modified from the file's size and time, If-None-Match / If-Modified-Since → 304, and
 * Range / If-Range → one byte range (206), or 416 when it cannot be satisfied.
 */
import type { Stats } from 'node:fs';

/** A strong validator from size and modification time (changes whenever the file does). */
export function fileTag(stat: Stats): string {
  return `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
}

const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);

/** The entity-tags of an If-None-Match / If-Match field (`*` as itself). Linear; junk is skipped. */
export function entityTags(field: string): string[] {
  const tags: string[] = [];
  let i = 0;
  while (i < field.length) {
    const c = field.charCodeAt(i);
    if (c === 32 || c === 9 || c === 44) {
      i++;
      continue;
    }
    if (c === 42) {
      tags.push('*');
      i++;
      continue;
    }
    const start = i;
    if (c === 87 && field.charCodeAt(i + 1) === 47) i += 2;
    if (field.charCodeAt(i) !== 34) {
      while (i < field.length && field.charCodeAt(i) !== 44) i++;
      continue;
    }
    const end = field.indexOf('"', i + 1);
    if (end === -1) break;
    tags.push(field.slice(start, end + 1));
    i = end + 1;
  }
  return tags;
}

/** Has the client's copy not changed? (If-None-Match, weak comparison; else If-Modified-Since.) */
export function notModified(headers: { get(name: string): string | undefined }, tag: string, mtimeMs: number): boolean {
  const inm = headers.get('if-none-match');
  if (inm !== undefined) {
    const want = opaque(tag);
    return entityTags(inm).some((t) => t === '*' || opaque(t) === want);
  }
  const ims = headers.get('if-modified-since');
  if (ims !== undefined) {
    const since = Date.parse(ims);
    return Number.isFinite(since) && Math.floor(mtimeMs / 1000) * 1000 <= since;
  }
  return false;
}

/** A satisfiable byte range (inclusive ends), `unsatisfiable`, or null (serve the whole file). */
export type RangeResult = { start: number; end: number } | 'unsatisfiable' | null;

/**
 * One `bytes=` range of a file of `size` bytes. Several ranges, other units and malformed fields
 * are ignored (the whole file is served, as RFC 9110 allows); a range that starts past the end
 * is unsatisfiable.
 */
export function byteRange(field: string | undefined, size: number): RangeResult {
  if (field === undefined) return null;
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(field);
  if (m === null) return null;
  const [, a, b] = m as unknown as [string, string, string];
  if (a === '' && b === '') return null;
  if (a === '') {
    // the last b bytes
    const n = Number(b);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  if (start >= size) return 'unsatisfiable';
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (end < start) return null;
  return { start, end };
}

/** Does If-Range allow a partial answer? (A strong tag equal to ours, or the exact modification date.) */
export function rangeStillValid(ifRange: string | undefined, tag: string, mtimeMs: number): boolean {
  if (ifRange === undefined) return true;
  const v = ifRange.trim();
  if (v.startsWith('"')) return v === tag;
  if (v.startsWith('W/')) return false;
  const date = Date.parse(v);
  return Number.isFinite(date) && date === Math.floor(mtimeMs / 1000) * 1000;
}
