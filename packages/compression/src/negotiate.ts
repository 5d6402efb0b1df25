/**
 * Content-coding negotiation from `Accept-Encoding` (RFC 9110 §12.5.3): q-values, `*`,
 * `identity;q=0`, `x-gzip` as gzip, unknown codings ignored. The client's highest q wins; among
 * equal q the server's preference order decides. The field is parsed by core's
 * `parseAcceptEncoding` (linear), and the outcomes of the few distinct fields real clients send
 * are kept (bounded).
 */
import { parseAcceptEncoding } from '@armature/core/http';
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
export class Weights {
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
    const outcome = this.decide(weigh(field));
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

/** The weights a field gives, from core's `parseAcceptEncoding` (the parser request decoding uses). */
export function weigh(field: string): Weights {
  const w = new Weights();
  for (const { name, q } of parseAcceptEncoding(field)) {
    switch (name) {
      case 'zstd':
      case 'br':
      case 'gzip':
      case 'deflate':
      case 'identity':
        w[name] = Math.max(w[name], q);
        break;
      case '*':
        w.star = Math.max(w.star, q);
    }
  }
  return w;
}
