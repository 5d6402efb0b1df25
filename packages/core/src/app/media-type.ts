/** Content-Type checks for the body readers: media type essence, charset, and patterns. */

export interface MediaType {
  /** `type/subtype`, lowercased, without parameters ('' when absent). */
  essence: string;
  /** The charset parameter, lowercased, or undefined. */
  charset: string | undefined;
}

/** Parses a Content-Type field value (RFC 9110 §8.3.1). */
export function parseMediaType(value: string | undefined): MediaType {
  if (value === undefined) return { essence: '', charset: undefined };
  const semi = value.indexOf(';');
  const essence = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  let charset: string | undefined;
  if (semi !== -1) {
    for (const param of value.slice(semi + 1).split(';')) {
      const eq = param.indexOf('=');
      if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
      let v = param.slice(eq + 1).trim();
      if (v.length >= 2 && v.charCodeAt(0) === 34 && v.charCodeAt(v.length - 1) === 34) v = v.slice(1, -1);
      charset = v.toLowerCase();
      break;
    }
  }
  return { essence, charset };
}

/**
 * Whether a media type essence matches one of the patterns: `type/subtype`, `type/*`, `*\/*`,
 * or a structured-syntax suffix such as `application/*+json` (RFC 6838 §4.2.8).
 */
export function matchesMediaType(essence: string, patterns: readonly string[]): boolean {
  if (patterns.includes('*/*')) return true; // even without a Content-Type
  const slash = essence.indexOf('/');
  if (slash <= 0) return false;
  const type = essence.slice(0, slash);
  const subtype = essence.slice(slash + 1);
  for (const pattern of patterns) {
    if (pattern === essence) return true;
    const ps = pattern.indexOf('/');
    const ptype = pattern.slice(0, ps);
    const psub = pattern.slice(ps + 1);
    if (ptype !== '*' && ptype !== type) continue;
    if (psub === '*') return true;
    if (psub.startsWith('*+') && subtype.endsWith(psub.slice(1))) return true;
  }
  return false;
}

/** Normalises the `type` option of a body reader. */
export function mediaPatterns(type: string | readonly string[]): readonly string[] {
  const list = typeof type === 'string' ? [type] : type;
  return list.map((t) => {
    const p = t.trim().toLowerCase();
    if (p.indexOf('/') <= 0) throw new TypeError(`Invalid media type pattern "${t}": expected type/subtype, type/*, */* or type/*+suffix`);
    return p;
  });
}
