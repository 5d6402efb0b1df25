/**
 * Content-Type checks for the body readers: the media type's essence and charset (RFC 9110
 * §8.3.1, parameters per §5.6.6 with quoted strings per §5.6.4), and the patterns a reader
 * accepts. One pass over the field value: linear on any input.
 */
import { TOKEN } from '../http/chars.js';

export interface MediaType {
  /** `type/subtype`, lowercased, without parameters; '' when absent or malformed. */
  essence: string;
  /** The charset parameter, lowercased (quotes and quoted-pairs undone), or undefined. */
  charset: string | undefined;
  /** False when a Content-Type was given but does not parse (readers that check types → 415). */
  valid: boolean;
}

const ABSENT: MediaType = { essence: '', charset: undefined, valid: true };
const MALFORMED: MediaType = { essence: '', charset: undefined, valid: false };

/** RFC 6838 §4.2 restricted-name characters (after the first, which is ALPHA / DIGIT). */
const NAME = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&-^_.+') NAME[c.charCodeAt(0)] = 1;

/** Whether `s[from, to)` is an RFC 6838 restricted-name: 1–127 characters, ALPHA / DIGIT first. */
function isName(s: string, from: number, to: number): boolean {
  const n = to - from;
  if (n < 1 || n > 127) return false;
  const first = s.charCodeAt(from) | 0x20;
  if (!((first >= 0x61 && first <= 0x7a) || (first >= 0x30 && first <= 0x39))) return false;
  for (let i = from + 1; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || NAME[c] === 0) return false;
  }
  return true;
}

const QUOTED_PAIR = /\\([\s\S])/g;

const isOws = (c: number): boolean => c === 0x20 || c === 0x09;

/**
 * Parses a Content-Type field value. The type and subtype must be RFC 6838 names (`text/`,
 * `text/html**` are malformed); parameters are `name=token` or `name="quoted string"`, where a
 * quoted string may hold `;` and `\`-escapes; empty parameters (`;;`) are allowed, a parameter
 * without `=`, an unterminated quoted string or a repeated `charset` makes the value malformed.
 */
export function parseMediaType(value: string | undefined): MediaType {
  if (value === undefined) return ABSENT;
  const n = value.length;
  let i = 0;
  while (i < n && isOws(value.charCodeAt(i))) i++;
  const start = i;
  while (i < n && value.charCodeAt(i) !== 0x2f /* / */) i++;
  if (i === n || !isName(value, start, i)) return MALFORMED;
  const slash = i++;
  while (i < n && value.charCodeAt(i) !== 0x3b /* ; */ && !isOws(value.charCodeAt(i))) i++;
  if (!isName(value, slash + 1, i)) return MALFORMED;
  const essence = value.slice(start, i).toLowerCase();
  let charset: string | undefined;
  for (;;) {
    while (i < n && isOws(value.charCodeAt(i))) i++;
    if (i === n) break;
    if (value.charCodeAt(i) !== 0x3b) return MALFORMED;
    i++;
    while (i < n && isOws(value.charCodeAt(i))) i++;
    if (i === n) break;
    if (value.charCodeAt(i) === 0x3b) continue; // an empty parameter
    const nameStart = i;
    while (i < n && isTchar(value.charCodeAt(i))) i++;
    if (i === nameStart || i === n || value.charCodeAt(i) !== 0x3d /* = */) return MALFORMED;
    // only a 7-character name can be charset: no string made for the others
    const isCharset = i - nameStart === 7 && value.slice(nameStart, i).toLowerCase() === 'charset';
    i++;
    let valueStart: number;
    let valueEnd: number;
    let escaped = false;
    if (i < n && value.charCodeAt(i) === 0x22 /* " */) {
      valueStart = ++i;
      valueEnd = -1;
      while (i < n) {
        const c = value.charCodeAt(i);
        if (c === 0x22) {
          valueEnd = i++;
          break;
        }
        if (c === 0x5c /* \ */) {
          escaped = true;
          i += 2; // the escaped character, whatever it is
          continue;
        }
        if ((c < 0x20 && c !== 0x09) || c === 0x7f) return MALFORMED;
        i++;
      }
      if (valueEnd === -1) return MALFORMED;
    } else {
      valueStart = i;
      while (i < n && isTchar(value.charCodeAt(i))) i++;
      if (i === valueStart) return MALFORMED;
      valueEnd = i;
    }
    if (isCharset) {
      if (charset !== undefined) return MALFORMED;
      const v = value.slice(valueStart, valueEnd);
      charset = (escaped ? v.replace(QUOTED_PAIR, '$1') : v).toLowerCase();
    }
  }
  return { essence, charset, valid: true };
}

function isTchar(c: number): boolean {
  return c < 128 && TOKEN[c] === 1;
}

/**
 * Whether a media type essence matches one of the patterns: `type/subtype`, `type/*`,
 * `*\/subtype`, `*\/*`, or a structured-syntax suffix such as `application/*+json` or
 * `*\/*+json` (RFC 6838 §4.2.8). Patterns come from `mediaPatterns`.
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
    if (psub === '*' || psub === subtype) return true;
    if (psub.startsWith('*+') && subtype.length > psub.length - 1 && subtype.endsWith(psub.slice(1))) return true;
  }
  return false;
}

/**
 * Normalises the `type` option of a body reader, refusing what could never match: each entry is
 * `type/subtype` of RFC 6838 names, with `*` for either part, or `*+suffix` for the subtype.
 */
export function mediaPatterns(type: string | readonly string[]): readonly string[] {
  const list = typeof type === 'string' ? [type] : type;
  return list.map((t) => {
    const p = String(t).trim().toLowerCase();
    const slash = p.indexOf('/');
    const ptype = p.slice(0, slash);
    const psub = p.slice(slash + 1);
    const typeOk = ptype === '*' || isName(ptype, 0, ptype.length);
    const subOk = psub === '*' || isName(psub, 0, psub.length) || (psub.startsWith('*+') && isName(psub, 2, psub.length));
    if (slash <= 0 || !typeOk || !subOk) {
      throw new TypeError(`Invalid media type pattern "${t}": expected type/subtype, type/*, */subtype, */* or type/*+suffix`);
    }
    return p;
  });
}
