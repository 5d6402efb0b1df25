/**
 * Content-coding negotiation from `Accept-Encoding` (RFC 9110 §12.5.3): q-values, `*`,
 * `identity;q=0`, `x-gzip` as gzip, unknown codings ignored. The client's highest q wins; among
 * equal q the server's preference order decides. The rules are core's `negotiateCoding` (the
 * one the static-file middleware uses too); the outcomes of the few distinct fields real clients send
 * are kept (bounded).
 */
import { negotiateCoding, type CodingChoice } from '@armature/core/http';
import type { CodingName } from './codings.js';

/** What a request accepts. */
export type Negotiated = CodingChoice<CodingName>;

const IDENTITY_ONLY: Negotiated = Object.freeze({ coding: null, identity: true });

/** Cached outcomes per negotiator; fields longer than this are parsed every time. */
const MAX_CACHED = 256;
const MAX_CACHED_LENGTH = 200;

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
    const outcome = Object.freeze(negotiateCoding(field, this.preference));
    if (field.length <= MAX_CACHED_LENGTH) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(field, outcome);
    }
    return outcome;
  }
}
