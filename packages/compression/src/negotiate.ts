/**
 * Content-coding negotiation from `Accept-Encoding` (RFC 9110 §12.5.3): q-values, `*`,
 * `identity;q=0`, `x-gzip` as gzip, unknown codings ignored. The client's highest q wins; among
 * equal q the server's preference order decides. Parsing is one pass over the field, and the
 * outcomes of the few distinct fields real clients send are kept (bounded).
 */
import type { CodingName } from './codings.js';

/** What a request accepts. */
export interface Negotiated {
  /** The coding to use, or null for none (identity). */
  readonly coding: CodingName | null;
  /** False when the client refused an unencoded response (`identity;q=0`, or `*;q=0` alone). */
  readonly identity: boolean;
}

const IDENTITY_ONLY: Negotiated = Object.freeze({ coding: null, identity: true });

/** Cached outcomes per negotiator; fields longer than this are parsed every time. */
const MAX_CACHED = 256;
const MAX_CACHED_LENGTH = 200;

/** q-values of the codings a field names (-1: not named). */
class Weights {
  zstd = -1;
  br = -1;
  gzip = -1;
  deflate = -1;
  identity = -1;
  star = -1;
}

export class Negotiator {
  private readonly preference: readonly CodingName[];
  private readonly cache = new Map<string, Negotiated>();

  /** `preference`: the codings to offer, most preferred first (only those this runtime has). */
  constructor(preference: readonly CodingName[]) {
    this.preference = preference;
  }

  /** The outcome for an `Accept-Encoding` value (absent: no coding, identity acceptable). */
  negotiate(field: string | undefined): Negotiated {
    if (field === undefined) return IDENTITY_ONLY;
    const cached = this.cache.get(field);
    if (cached !== undefined) return cached;
    const outcome = this.decide(parseAcceptEncoding(field));
    if (field.length <= MAX_CACHED_LENGTH) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(field, outcome);
    }
    return outcome;
  }

  private decide(w: Weights): Negotiated {
    let best: CodingName | null = null;
    let bestQ = 0;
    for (const name of this.preference) {
      let q = w[name];
      if (q === -1) q = w.star === -1 ? 0 : w.star;
      if (q > bestQ) {
        best = name;
        bestQ = q;
      }
    }
    // identity is acceptable unless refused by name, or by `*;q=0` without naming it
    const identityQ = w.identity !== -1 ? w.identity : w.star !== -1 ? w.star : 1;
    // unnamed, identity ranks below every coding named; named with a higher q, it wins
    if (best !== null && w.identity > bestQ) best = null;
    return Object.freeze({ coding: best, identity: identityQ > 0 });
  }
}

/** Parses the field in one pass; malformed elements are skipped. */
export function parseAcceptEncoding(field: string): Weights {
  const w = new Weights();
  const n = field.length;
  let i = 0;
  // the next ';' at or after i, found again only once passed: every search runs ahead of the last
  let semi = -1;
  while (i < n) {
    let end = field.indexOf(',', i);
    if (end === -1) end = n;
    if (semi !== n && semi < i) {
      semi = field.indexOf(';', i);
      if (semi === -1) semi = n;
    }
    const nameEnd = semi < end ? semi : end;
    const name = field.slice(i, nameEnd).trim().toLowerCase();
    const q = nameEnd === end ? 1 : qValue(field, nameEnd + 1, end);
    if (q >= 0 && name !== '') record(w, name, q);
    i = end + 1;
  }
  return w;
}

function record(w: Weights, name: string, q: number): void {
  switch (name) {
    case 'zstd':
    case 'br':
    case 'gzip':
    case 'deflate':
    case 'identity':
      w[name] = Math.max(w[name], q);
      return;
    case 'x-gzip':
      w.gzip = Math.max(w.gzip, q);
      return;
    case '*':
      w.star = Math.max(w.star, q);
  }
}

/** The `q` parameter among `;`-separated parameters in field[from, to): 1 if absent, -1 if malformed. */
function qValue(field: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    let end = field.indexOf(';', i);
    if (end === -1 || end > to) end = to; // a later element's ';': that search is not repeated
    const param = field.slice(i, end).trim();
    if (param.length > 1 && (param.charCodeAt(0) | 0x20) === 113 /* q */) {
      const eq = param.indexOf('=');
      if (eq !== -1 && param.slice(1, eq).trim() === '') {
        const text = param.slice(eq + 1).trim();
        if (!QVALUE.test(text)) return -1;
        return Number(text);
      }
    }
    i = end + 1;
  }
  return 1;
}

/** RFC 9110 §12.4.2 qvalue, allowing a few more decimals than the grammar does. */
const QVALUE = /^(?:0(?:\.\d{0,6})?|1(?:\.0{0,6})?)$/;
