/**
 * Which media types are worth compressing: mime-db's `compressible` flag where it has one, else
 * `text/*` and the `+json`, `+xml` and `+text` structured suffixes; event streams and JSON lines
 * (`text/event-stream`, `application/x-ndjson`, `application/jsonl`) always.
 * Answers for the few types an app sends are kept (bounded).
 */
import db from 'mime-db';

/** Text streams mime-db does not flag: event streams and JSON lines. */
const STREAMED_TEXT = new Set(['text/event-stream', 'application/x-ndjson', 'application/jsonl', 'application/x-jsonlines']);

const known = new Map<string, boolean>();
const MAX_KNOWN = 512;

/** True when a response of this Content-Type (parameters allowed) should be compressed. */
export function isCompressible(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType === '') return false;
  const cached = known.get(contentType);
  if (cached !== undefined) return cached;
  const semi = contentType.indexOf(';');
  const essence = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  const answer = decide(essence);
  if (known.size >= MAX_KNOWN) known.clear();
  known.set(contentType, answer);
  return answer;
}

function decide(essence: string): boolean {
  if (STREAMED_TEXT.has(essence)) return true;
  const entry = Object.prototype.hasOwnProperty.call(db, essence) ? db[essence] : undefined;
  if (entry !== undefined && entry.compressible !== undefined) return entry.compressible;
  if (essence.startsWith('text/')) return true;
  const plus = essence.lastIndexOf('+');
  if (plus === -1 || essence.indexOf('/') === -1) return false;
  const suffix = essence.slice(plus + 1);
  return suffix === 'json' || suffix === 'xml' || suffix === 'text';
}
