/**
 * The limits of a multipart form, their defaults, and the 413 each one answers with (naming the
 * limit that was hit, so a client knows what to change).
 */
import { PayloadTooLargeException } from '@armature/core';

export interface MultipartLimits {
  /** Bytes per file (default 10 MiB). */
  fileSize?: number;
  /** Files per request (default 10). */
  files?: number;
  /** Non-file fields per request (default 100). */
  fields?: number;
  /** Bytes per field value (default 1 MiB). */
  fieldSize?: number;
  /** Bytes per field name (default 100). */
  fieldNameSize?: number;
  /** Parts (fields + files) per request (default 1000). */
  parts?: number;
  /** Header fields per part (default 2000). */
  headerPairs?: number;
  /** Bytes of the whole body (default: the route's body limit). */
  totalSize?: number;
}

export const DEFAULT_LIMITS = {
  fileSize: 10 * 1024 * 1024,
  files: 10,
  fields: 100,
  fieldSize: 1024 * 1024,
  fieldNameSize: 100,
  parts: 1000,
  headerPairs: 2000,
} as const;

export type ResolvedLimits = typeof DEFAULT_LIMITS & { totalSize: number | undefined };

export function resolveLimits(limits: MultipartLimits | undefined): ResolvedLimits {
  const out: Record<string, number | undefined> = { ...DEFAULT_LIMITS, totalSize: undefined };
  for (const [key, value] of Object.entries(limits ?? {})) {
    if (!(key in out)) throw new TypeError(`multipart: unknown limit "${key}" (${Object.keys(out).join(', ')})`);
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) throw new TypeError(`multipart: limit ${key} must be a whole number ≥ 0, got ${String(value)}`);
    if (value !== undefined) out[key] = value;
  }
  return out as ResolvedLimits;
}

export type LimitName = keyof MultipartLimits;

const WHAT: Record<LimitName, string> = {
  fileSize: 'a file is larger than',
  files: 'more files than',
  fields: 'more fields than',
  fieldSize: 'a field value is larger than',
  fieldNameSize: 'a field name is longer than',
  parts: 'more parts than',
  headerPairs: 'a part has more header fields than',
  totalSize: 'the form is larger than',
};

/** The 413 for a limit, e.g. "Multipart limit fileSize: a file is larger than 10485760 bytes". */
export function limitHit(name: LimitName, limits: ResolvedLimits): PayloadTooLargeException {
  const value = limits[name];
  const unit = name === 'files' || name === 'fields' || name === 'parts' || name === 'headerPairs' ? '' : ' bytes';
  return new PayloadTooLargeException(`Multipart limit ${name}: ${WHAT[name]} ${String(value)}${unit}`, { extensions: { limit: name, max: value } });
}
