/**
 * Accept-Language parsing (RFC 9110 §12.5.4) and negotiation against supported locales with
 * BCP 47 fallbacks: exact tag, then CLDR parent locales (es-AR → es-419, en-AU → en-001 and
 * the locales under it such as en-GB), then language+script (likely subtags: zh-TW → zh-Hant),
 * then language. Supported locales are indexed once at construction; a header is scanned in one
 * pass and only ranges that could beat the current best are matched.
 */
import { CROSS_LANGUAGE_PARENTS, explicitParent, localeChain, tagsWithExplicitParents, truncationPoint } from './parent-locales.js';

/** One language range of an Accept-Language header. */
export interface LanguageRange {
  /** Canonical tag (`en-US`), or `*`. */
  tag: string;
  q: number;
}

/** Deprecated language subtags that Intl canonicalizes (so the fast path agrees with it). */
const ALIASES: Record<string, string> = { iw: 'he', in: 'id', ji: 'yi', jw: 'jv', mo: 'ro', tl: 'fil' };

/**
 * Languages written in more than one script depending on the region (CLDR likely subtags):
 * for these a range is expanded with Intl.Locale#maximize() and only matched within its script.
 */
const MULTI_SCRIPT = ['zh', 'sr', 'uz', 'az', 'bs', 'pa', 'sd', 'mn', 'ha', 'ks', 'ku', 'ff', 'shi', 'vai', 'kk', 'tg', 'ky', 'ms'];

/** Well-formed `lang[-Script][-REGION]` (the common case, handled without Intl). */
const SIMPLE = /^([a-z]{2,3})(?:-([a-z]{4}))?(?:-([a-z]{2}|[0-9]{3}))?$/i;

/** Subtags of 1–8 ASCII letters/digits separated by single hyphens, the first 2–3 letters. */
function wellFormed(lower: string): boolean {
  let run = 0;
  let first = true;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c === 45 /* - */) {
      if (run === 0 || (first && run < 2)) return false;
      first = false;
      run = 0;
    } else if ((c >= 97 && c <= 122) || (!first && c >= 48 && c <= 57)) {
      if (++run > (first ? 3 : 8)) return false;
    } else return false;
  }
  return run > 0 && !(first && run < 2);
}

/** Canonical form of a language tag, or null when it is not a valid BCP 47 tag. */
export function canonicalizeTag(tag: string): string | null {
  const m = SIMPLE.exec(tag);
  if (m !== null) {
    const lang = m[1]!.toLowerCase();
    if (ALIASES[lang] === undefined) {
      let out = lang;
      if (m[2] !== undefined) out += '-' + m[2][0]!.toUpperCase() + m[2].slice(1).toLowerCase();
      if (m[3] !== undefined) out += '-' + m[3].toUpperCase();
      return out;
    }
  }
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/** Parses a qvalue between `from` and `to`; -1 when invalid (RFC 9110 §12.4.2: up to three decimals, at most 1). */
function qAt(header: string, from: number, to: number): number {
  const len = to - from;
  if (len < 1 || len > 5) return -1;
  const first = header.charCodeAt(from);
  if (first !== 48 /* 0 */ && first !== 49 /* 1 */) return -1;
  if (len === 1) return first - 48;
  if (header.charCodeAt(from + 1) !== 46 /* . */) return -1;
  let frac = 0;
  let scale = 1;
  for (let i = from + 2; i < to; i++) {
    const d = header.charCodeAt(i) - 48;
    if (d < 0 || d > 9 || (first === 49 && d !== 0)) return -1;
    frac = frac * 10 + d;
    scale *= 10;
  }
  return first - 48 + frac / scale;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/** Characters that end a range, a parameter name or a token value: `,` `;` `=` `"` space, tab. */
const DELIMITER = new Uint8Array(128);
for (const c of ',;="\t ') DELIMITER[c.charCodeAt(0)] = 1;

const COMMA = 44;
const SEMICOLON = 59;
const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;

/** The index after the quoted-string that opens at `i`, or -1 when it is not closed. */
function skipQuoted(header: string, i: number): number {
  const len = header.length;
  for (i++; i < len; i++) {
    const c = header.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i++; // quoted-pair
  }
  return -1;
}

/** The index of the comma that ends the element containing `i` (quoted strings skipped), or the length. */
function elementEnd(header: string, i: number): number {
  const len = header.length;
  while (i < len) {
    const c = header.charCodeAt(i);
    if (c === COMMA) return i;
    if (c === QUOTE) {
      i = skipQuoted(header, i);
      if (i === -1) return len;
    } else i++;
  }
  return len;
}

/**
 * Calls `visit(range, q)` for each range of an Accept-Language header in order, raw (not yet
 * canonicalized). Elements are `range *( OWS ";" OWS [ name "=" ( token / quoted-string ) ] )`
 * (RFC 9110 §5.6.6, §12.5.4): the first `q` parameter is the weight (an invalid one drops the
 * element), other parameters are ignored, and commas inside quoted strings do not split. A
 * malformed element is skipped up to the next comma. One pass: no character is read more than
 * twice. Returning true from `visit` stops the scan.
 */
function scan(header: string, visit: (range: string, q: number) => boolean | void): void {
  const len = header.length;
  let i = 0;
  while (i < len) {
    let c = header.charCodeAt(i);
    if (c === COMMA || isSpace(c)) {
      i++;
      continue;
    }
    const rs = i;
    while (i < len && ((c = header.charCodeAt(i)) > 127 || DELIMITER[c] === 0)) i++;
    const re = i;
    let q = 1;
    let weighted = false;
    let ok = true;
    for (;;) {
      while (i < len && isSpace(header.charCodeAt(i))) i++;
      if (i >= len || (c = header.charCodeAt(i)) === COMMA) break;
      if (c !== SEMICOLON) {
        ok = false; // `en US`, a quote in the range, junk after a value
        i = elementEnd(header, i);
        break;
      }
      i++;
      while (i < len && isSpace(header.charCodeAt(i))) i++;
      const ns = i;
      while (i < len && (c = header.charCodeAt(i)) !== EQUALS && c !== SEMICOLON && c !== COMMA && c !== QUOTE && !isSpace(c)) i++;
      const ne = i;
      if (i >= len || header.charCodeAt(i) !== EQUALS) continue; // an empty or valueless parameter: ignored
      i++;
      const vs = i;
      let ve: number;
      if (i < len && header.charCodeAt(i) === QUOTE) {
        const after = skipQuoted(header, i);
        if (after === -1) {
          ok = false; // an unterminated quoted string runs to the end of the header
          i = len;
          break;
        }
        i = ve = after;
      } else {
        while (i < len && (c = header.charCodeAt(i)) !== SEMICOLON && c !== COMMA && !isSpace(c) && c !== QUOTE) i++;
        ve = i;
      }
      if (!weighted && ne - ns === 1 && (header.charCodeAt(ns) | 32) === 113 /* q */) {
        weighted = true;
        q = qAt(header, vs, ve); // a quoted q is no qvalue: invalid
      }
    }
    if (ok && q >= 0 && re > rs) {
      if (visit(header.slice(rs, re), q) === true) return;
    }
  }
}

/** Parses an Accept-Language header: valid ranges, canonicalized, sorted by q (stable). */
export function parseAcceptLanguage(header: string): LanguageRange[] {
  const out: LanguageRange[] = [];
  scan(header, (range, q) => {
    if (range === '*') out.push({ tag: '*', q });
    else {
      const tag = canonicalizeTag(range);
      if (tag !== null) out.push({ tag, q });
    }
  });
  return out.sort((a, b) => b.q - a.q);
}

interface Maximized {
  language: string;
  script: string | undefined;
  region: string | undefined;
}

function maximize(tag: string): Maximized {
  const l = new Intl.Locale(tag).maximize();
  return { language: l.language, script: l.script, region: l.region };
}

/** Chooses the best supported locale for Accept-Language headers. */
export class LocaleNegotiator {
  readonly supported: readonly string[];
  readonly defaultLocale: string;
  /** lowercased tag → supported locale */
  private readonly exact = new Map<string, string>();
  /** `lang-Script` → supported locale */
  private readonly byScript = new Map<string, string>();
  /** language → preferred supported locale */
  private readonly byLanguage = new Map<string, string>();
  /** languages supported in more than one script: only these need likely-subtag expansion */
  private readonly multiScript = new Set<string>();
  /** languages of the supported locales */
  private readonly languages = new Set<string>();
  /** `lang` and `lang-region` (lowercase) → likely script, for multi-script languages, precomputed */
  private readonly regionScript = new Map<string, string>();
  /**
   * CLDR parent locale below the language (lowercase: `en-001`, `es-419`, `zh-hant`) → the first
   * supported locale under it (en-GB for en-001): siblings are preferred to the bare language.
   */
  private readonly under = new Map<string, string>();
  /**
   * `lang-REGION` ranges (lowercase) whose CLDR parent search can find something other than the
   * language: those with an explicit parent and those with supported locales under them. For the
   * other two-subtag ranges the parent is the language, and the search is skipped.
   */
  private readonly parentSearch = new Set<string>();

  constructor(supported: readonly string[], defaultLocale?: string) {
    const canon: string[] = [];
    for (const s of supported) {
      const c = canonicalizeTag(s);
      if (c === null) throw new RangeError(`Invalid supported locale "${s}"`);
      canon.push(c);
    }
    if (canon.length === 0) throw new RangeError('LocaleNegotiator needs at least one supported locale');
    this.supported = canon;
    this.defaultLocale = defaultLocale === undefined ? canon[0]! : (canonicalizeTag(defaultLocale) ?? canon[0]!);
    const scripts = new Map<string, Set<string>>();
    for (const tag of canon) {
      this.exact.set(tag.toLowerCase(), tag);
      const chain = localeChain(tag);
      const language = tag.slice(0, (tag + '-').indexOf('-'));
      for (let i = 1; i < chain.length; i++) {
        const ancestor = chain[i]!.toLowerCase();
        if (ancestor !== language && !this.under.has(ancestor)) this.under.set(ancestor, tag);
      }
      const m = maximize(tag);
      const ls = m.language + '-' + m.script;
      let set = scripts.get(m.language);
      if (set === undefined) scripts.set(m.language, (set = new Set()));
      set.add(m.script ?? '');
      // Prefer, for a language(-script), the locale that is its likely default (pt → pt-BR).
      const bare = maximize(m.language);
      const bareScript = maximize(m.language + '-' + m.script);
      if (!this.byScript.has(ls) || bareScript.region === m.region) this.byScript.set(ls, tag);
      const current = this.byLanguage.get(m.language);
      if (current === undefined || tag === m.language || (current !== m.language && bare.region === m.region && bare.script === m.script)) {
        this.byLanguage.set(m.language, tag);
      }
    }
    for (const tag of tagsWithExplicitParents()) this.parentSearch.add(tag);
    for (const tag of this.under.keys()) this.parentSearch.add(tag);
    for (const [lang, set] of scripts) {
      this.languages.add(lang);
      if (set.size > 1 || MULTI_SCRIPT.includes(lang)) {
        this.multiScript.add(lang);
        const bare = maximize(lang).script;
        if (bare !== undefined) this.regionScript.set(lang, bare);
        // Likely script for every region code: a few hundred Intl calls once, none per request.
        for (let a = 65; a <= 90; a++) {
          for (let b = 65; b <= 90; b++) {
            const region = String.fromCharCode(a, b);
            let script: string | undefined;
            try {
              script = maximize(lang + '-' + region).script;
            } catch {
              continue;
            }
            if (script !== undefined) this.regionScript.set(lang + '-' + region.toLowerCase(), script);
          }
        }
      }
    }
  }

  /** The best supported locale for one range, or undefined. */
  match(range: string): string | undefined {
    const lower = range.toLowerCase();
    const hit = this.exact.get(lower);
    if (hit !== undefined) return hit;
    // Cheap structural check (1–8 alphanumerics per subtag, language 2–3 letters); anything
    // unusual (aliases such as iw, extensions, grandfathered tags) goes through Intl.
    const dash = lower.indexOf('-');
    const language = dash === -1 ? lower : lower.slice(0, dash);
    if (!this.languages.has(language)) {
      if (CROSS_LANGUAGE_PARENTS.has(language)) return this.byParents(lower, language);
      if (ALIASES[language] === undefined) return undefined; // no supported locale of this language
      const tag = canonicalizeTag(range);
      return tag === null || tag.toLowerCase() === lower ? undefined : this.match(tag);
    }
    if (!wellFormed(lower)) {
      const tag = canonicalizeTag(range);
      if (tag === null || tag.toLowerCase() === lower) return undefined;
      return this.match(tag);
    }
    if (dash !== -1 && (this.parentSearch.has(lower) || lower.indexOf('-', dash + 1) !== -1)) {
      const byParent = this.byParents(lower, language);
      if (byParent !== undefined) return byParent;
    }
    if (this.multiScript.has(language)) {
      const script = this.scriptOf(lower, language);
      if (script === undefined) return undefined;
      return this.byScript.get(language + '-' + script);
    }
    return this.byLanguage.get(language);
  }

  /**
   * Supported locales under the range (es-419 → es-MX), then up its CLDR parents (RFC 4647
   * lookup with CLDR's exceptions), each one itself or a supported locale under it: es-AR →
   * es-419 → es-MX; en-AU → en-001 → en-GB; de-CH-1996 → de-CH. Stops before the bare language
   * (and at the root: zh-Hant does not fall back to zh), which match() decides with likely subtags.
   */
  private byParents(lower: string, language: string): string | undefined {
    const below = this.under.get(lower);
    if (below !== undefined) return below;
    let tag = lower;
    for (;;) {
      const explicit = explicitParent(tag);
      if (explicit === null) return undefined; // the root
      let parent: string;
      if (explicit !== undefined) parent = explicit.toLowerCase();
      else {
        const cut = truncationPoint(tag);
        // the common case, lang-REGION: its parent is the language, decided by the caller
        if (cut === -1 || (cut === language.length && tag.startsWith(language))) return undefined;
        parent = tag.slice(0, cut);
      }
      if (parent === language) return undefined;
      const hit = this.exact.get(parent) ?? this.under.get(parent);
      if (hit !== undefined) return hit;
      tag = parent;
    }
  }

  /** The script of a range of a multi-script language: explicit, from the region table, or likely subtags. */
  private scriptOf(lower: string, language: string): string | undefined {
    const parts = lower.split('-');
    if (parts.length > 1 && parts[1]!.length === 4) return parts[1]![0]!.toUpperCase() + parts[1]!.slice(1);
    if (parts.length === 1) return this.regionScript.get(language);
    const byRegion = this.regionScript.get(language + '-' + parts[1]);
    if (byRegion !== undefined) return byRegion;
    try {
      return new Intl.Locale(lower).maximize().script;
    } catch {
      return undefined;
    }
  }

  /** The best supported locale for an Accept-Language header; `defaultLocale` if none matches. */
  negotiate(header: string | undefined | null): string {
    return this.negotiateOrNull(header) ?? this.defaultLocale;
  }

  /** Like negotiate() but null when nothing matches. */
  negotiateOrNull(header: string | undefined | null): string | null {
    if (header === undefined || header === null || header === '') return null;
    let best: string | null = null;
    let bestQ = 0;
    let wildcardQ = 0;
    let rejected: string[] | null = null;
    scan(header, (range, q) => {
      if (q === 0) {
        const r = this.exact.get(range.toLowerCase()) ?? (range === '*' ? undefined : this.exactCanonical(range));
        if (r !== undefined) (rejected ??= []).push(r);
        return;
      }
      if (q <= bestQ) return;
      if (range === '*') {
        if (q > wildcardQ) wildcardQ = q;
        return;
      }
      const m = this.match(range);
      if (m !== undefined) {
        best = m;
        bestQ = q;
        if (q === 1) return rejected === null ? true : undefined;
      }
    });
    if (best !== null && rejected !== null && (rejected as string[]).includes(best)) best = null;
    if (best !== null && bestQ >= wildcardQ) return best;
    if (wildcardQ > 0) {
      if (rejected === null || !(rejected as string[]).includes(this.defaultLocale)) return this.defaultLocale;
      for (const s of this.supported) if (!(rejected as string[]).includes(s)) return s;
    }
    return best;
  }

  private exactCanonical(range: string): string | undefined {
    const c = canonicalizeTag(range);
    return c === null ? undefined : this.exact.get(c.toLowerCase());
  }
}
