/**
 * Route patterns: parsing them into tokens at registration, and the `RouteParams<Path>` type that
 * turns a pattern literal into its params object type.
 *
 * Syntax (see docs/routing.md):
 *   /users              static text, matched byte for byte against the raw (percent-encoded) path
 *   /users/:id          a parameter: one or more characters up to the next "/"
 *   /users/:id<int>     a named type: int (optional "-" then digits) or uuid
 *   /users/:id(\d+)     a regular expression the whole (decoded) value must match
 *   /files/:name.:ext   several parameters in one segment, separated by static text
 *   /files/*            a wildcard: the rest of the path, possibly empty, as params['*']
 *   /a::b               "::" is a literal ":"
 */

/** A parsed piece of a pattern. `text` is the static text, already normalised for matching. */
export type PatternToken =
  | { readonly kind: 'static'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string; readonly constraint: Constraint | null }
  | { readonly kind: 'wildcard' };

/** A parameter constraint: a named type or a regular expression (its source, as written). */
export interface Constraint {
  readonly type: 'int' | 'uuid' | 'regex';
  /** How it was written, e.g. `<int>` or `(\d+)`: used to compare constraints and in messages. */
  readonly source: string;
  /** For `regex`: the anchored expression; null for named types. */
  readonly regex: RegExp | null;
}

export const NAMED_TYPES = ['int', 'uuid'] as const;
export type NamedType = (typeof NAMED_TYPES)[number];

const COLON = 58;
const SLASH = 47;
const STAR = 42;
const PERCENT = 37;

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}
export function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * `[ ] | ^`: RFC 3986 wants them escaped, but browsers and fetch send them raw (Node 24 escapes
 * `^`, Node 20 does not). Patterns keep them raw, and the router unescapes them in a request
 * path before matching (router.ts), so that both forms match.
 */
export function isRawSpecial(c: number): boolean {
  return c === 91 || c === 93 || c === 124 || c === 94;
}

/**
 * Characters that may appear unencoded in a path (RFC 3986 pchar plus "/", and the raw
 * specials); anything else in the static text of a pattern (spaces, non-ASCII, quotes,
 * braces…) is percent-encoded at registration, the way clients send it.
 */
function isPathChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) ||
    c === 45 || c === 46 || c === 95 || c === 126 || // - . _ ~
    c === 33 || c === 36 || c === 38 || c === 39 || c === 40 || c === 41 || c === 42 || c === 43 ||
    c === 44 || c === 59 || c === 61 || c === 58 || c === 64 || c === SLASH || // ! $ & ' ( ) * + , ; = : @ /
    isRawSpecial(c)
  );
}

/**
 * Percent-encode what a client would encode; keep valid `%XX` escapes, uppercasing their hex,
 * except those of the raw specials, which are unescaped.
 */
function encodeStatic(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === PERCENT && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2))) {
      const code = parseInt(text.slice(i + 1, i + 3), 16);
      out += isRawSpecial(code) ? String.fromCharCode(code) : text.slice(i, i + 3).toUpperCase();
      i += 3;
    } else if (isPathChar(c)) {
      out += text[i];
      i++;
    } else {
      // a whole code point (surrogate pair) at once; a lone surrogate makes encodeURIComponent throw
      const end = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? i + 2 : i + 1;
      out += encodeURIComponent(text.slice(i, end));
      i = end;
    }
  }
  return out;
}

/**
 * Lowercase ASCII letters only, so that the length (and so every index) stays the same. Returns
 * `s` itself when it has no uppercase letter. Raw request paths are ASCII, where this is
 * `toLowerCase()`; anything else takes a slow, length-preserving path.
 */
export function lowerAscii(s: string): string {
  let upper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) upper = true;
    else if (c > 127) return lowerAsciiOnly(s);
  }
  return upper ? s.toLowerCase() : s;
}
function lowerAsciiOnly(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i];
  }
  return out;
}

/** Read a balanced `( … )` regular expression starting at `open`; returns the index after `)`. */
function readRegex(pattern: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error(`Route pattern "${pattern}": unterminated "(" in the constraint of a parameter`);
}

/** The contents of a group, as far as catastrophic backtracking is concerned. */
interface GroupScan {
  /** It holds a quantifier (`*`, `+`, `?`, `{n,m}`). */
  quantified: boolean;
  /** It holds an alternation `|`. */
  alternation: boolean;
}

/**
 * Why the regular expression of a constraint could backtrack catastrophically, or null when it
 * cannot. Refused, as find-my-way refuses them (its check is safe-regex2's star height): a group
 * repeated more than once (`*`, `+`, `{n,}`, `{n,m}` with m > 1) that itself holds a quantifier
 * or an alternation — `(a+)+`, `(\d*)*`, `(a|aa)*`, `(?:-[a-z]+)*` — and backreferences.
 * Repeating a single character, class or escape (`\d+`, `[a-z-]{1,40}`) and an optional group
 * (`(\.\d+)?`) are fine: with values of at most maxParamLength characters, they stay cheap.
 */
export function unsafeRegex(source: string): string | null {
  const stack: GroupScan[] = [{ quantified: false, alternation: false }];
  /** The group that just closed, while the next token could be its quantifier. */
  let closed: GroupScan | null = null;
  const n = source.length;
  let i = 0;
  while (i < n) {
    const c = source[i]!;
    const top = stack[stack.length - 1]!;
    if (c === '\\') {
      const d = source[i + 1] ?? '';
      if (d >= '1' && d <= '9') return `a backreference (\\${d})`;
      if (d === 'k' && source[i + 2] === '<') return 'a named backreference (\\k<…>)';
      i += 2;
      closed = null;
    } else if (c === '[') {
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < n && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
      closed = null;
    } else if (c === '(') {
      stack.push({ quantified: false, alternation: false });
      i++;
      if (source[i] === '?') {
        // (?: (?= (?! (?<= (?<! (?<name>
        i++;
        if (source[i] === '<' && source[i + 1] !== '=' && source[i + 1] !== '!') {
          const close = source.indexOf('>', i);
          i = close === -1 ? n : close + 1;
        } else {
          i += source[i] === '<' ? 2 : 1;
        }
      }
      closed = null;
    } else if (c === ')') {
      const group = stack.length > 1 ? stack.pop()! : top;
      const parent = stack[stack.length - 1]!;
      parent.quantified ||= group.quantified;
      parent.alternation ||= group.alternation;
      closed = group;
      i++;
    } else if (c === '|') {
      top.alternation = true;
      closed = null;
      i++;
    } else {
      const q = quantifierAt(source, i);
      if (q === null) {
        closed = null;
        i++;
        continue;
      }
      if (q.max > 1 && closed !== null && (closed.quantified || closed.alternation)) {
        return `${source.slice(0, q.end)}…: a group repeated by "${source.slice(i, q.end)}" holds ${closed.quantified ? 'a quantifier' : 'an alternation'}`;
      }
      top.quantified = true;
      closed = null;
      i = source[q.end] === '?' ? q.end + 1 : q.end; // a lazy quantifier
    }
  }
  return null;
}

/** A quantifier at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`): its maximum and where it ends. */
function quantifierAt(source: string, i: number): { max: number; end: number } | null {
  const c = source[i];
  if (c === '*' || c === '+') return { max: Infinity, end: i + 1 };
  if (c === '?') return { max: 1, end: i + 1 };
  if (c !== '{') return null;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
  if (m === null) return null;
  const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
  return { max, end: i + m[0].length };
}

export interface ParseOptions {
  /** Lowercase static text (case-insensitive routers). */
  readonly lowercase: boolean;
  /** Drop one trailing "/" (routers that ignore trailing slashes); "/" itself stays. */
  readonly trimTrailingSlash: boolean;
}

/**
 * Parse a pattern into tokens. Static text is percent-encoded where a client would encode it
 * and, on request, lowercased / stripped of its trailing slash. Throws on any malformed pattern.
 */
export function parsePattern(pattern: string, options: ParseOptions): PatternToken[] {
  if (typeof pattern !== 'string' || pattern.charCodeAt(0) !== SLASH) {
    throw new Error(`Route path must start with "/": "${String(pattern)}"`);
  }
  const tokens: PatternToken[] = [];
  let text = '';
  const flush = (): void => {
    if (text === '') return;
    let t = encodeStatic(text);
    if (options.lowercase) t = lowerAscii(t);
    tokens.push({ kind: 'static', text: t });
    text = '';
  };
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern.charCodeAt(i);
    if (c === COLON) {
      if (pattern.charCodeAt(i + 1) === COLON) {
        text += ':';
        i += 2;
        continue;
      }
      const start = i + 1;
      let end = start;
      if (!isNameStart(pattern.charCodeAt(end))) {
        throw new Error(`Route pattern "${pattern}": ":" at ${i} must be followed by a parameter name (letters, digits, _ or $; write "::" for a literal colon)`);
      }
      while (end < n && isNameChar(pattern.charCodeAt(end))) end++;
      const name = pattern.slice(start, end);
      if (name === '__proto__') throw new Error(`Route pattern "${pattern}": "__proto__" is not allowed as a parameter name`);
      let constraint: Constraint | null = null;
      if (pattern[end] === '<') {
        const close = pattern.indexOf('>', end);
        const type = close === -1 ? '' : pattern.slice(end + 1, close);
        if (type !== 'int' && type !== 'uuid') {
          throw new Error(`Route pattern "${pattern}": unknown parameter type "<${type}>" for ":${name}" (known: ${NAMED_TYPES.map((t) => `<${t}>`).join(', ')})`);
        }
        constraint = { type, source: `<${type}>`, regex: null };
        end = close + 1;
      } else if (pattern[end] === '(') {
        const close = readRegex(pattern, end);
        const source = pattern.slice(end + 1, close - 1);
        if (source === '') throw new Error(`Route pattern "${pattern}": empty regular expression for ":${name}"`);
        let regex: RegExp;
        try {
          regex = new RegExp(`^(?:${source})$`);
        } catch (error) {
          throw new Error(`Route pattern "${pattern}": invalid regular expression for ":${name}": ${(error as Error).message}`);
        }
        const unsafe = unsafeRegex(source);
        if (unsafe !== null) {
          throw new Error(
            `Route pattern "${pattern}": the regular expression of ":${name}" could take exponential time (${unsafe}); ` +
              'repeat single characters or classes instead (e.g. "[a-z-]+" rather than "[a-z]+(?:-[a-z]+)*"), or use <int> / <uuid>',
          );
        }
        constraint = { type: 'regex', source: `(${source})`, regex };
        end = close;
      }
      const prev = tokens[tokens.length - 1];
      if (text === '' && prev !== undefined && prev.kind === 'param') {
        throw new Error(`Route pattern "${pattern}": parameters ":${prev.name}" and ":${name}" must be separated by static text`);
      }
      if (tokens.some((t) => t.kind === 'param' && t.name === name)) {
        throw new Error(`Route pattern "${pattern}": parameter ":${name}" appears twice`);
      }
      flush();
      tokens.push({ kind: 'param', name, constraint });
      i = end;
    } else if (c === STAR) {
      if (i !== n - 1 || pattern.charCodeAt(i - 1) !== SLASH) {
        throw new Error(`Route pattern "${pattern}": a wildcard "*" is only allowed as the whole last segment ("/files/*")`);
      }
      flush();
      tokens.push({ kind: 'wildcard' });
      i++;
    } else {
      if (c === 63 || c === 35) {
        throw new Error(`Route pattern "${pattern}" must not contain "?" or "#" outside a constraint (they are not part of a path)`);
      }
      text += pattern[i];
      i++;
    }
  }
  if (options.trimTrailingSlash && text.length > 0 && text.endsWith('/') && !(tokens.length === 0 && text === '/')) {
    text = text.slice(0, -1);
  }
  flush();
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Types: RouteParams<'/users/:id/posts/:postId'> = { id: string; postId: string }

type NameChar =
  | 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k' | 'l' | 'm' | 'n' | 'o' | 'p' | 'q' | 'r' | 's'
  | 't' | 'u' | 'v' | 'w' | 'x' | 'y' | 'z' | 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L'
  | 'M' | 'N' | 'O' | 'P' | 'Q' | 'R' | 'S' | 'T' | 'U' | 'V' | 'W' | 'X' | 'Y' | 'Z' | '0' | '1' | '2' | '3' | '4'
  | '5' | '6' | '7' | '8' | '9' | '_' | '$';

/** Scan static text up to the next ":"; a path without ":" may end in the wildcard. */
type ScanStatic<S extends string, Keys> = S extends `${string}:${infer Rest}`
  ? Rest extends `:${infer AfterEscape}`
    ? ScanStatic<AfterEscape, Keys>
    : ReadName<Rest, '', Keys>
  : S extends `${string}*`
    ? Keys | '*'
    : Keys;

/** Read a parameter name, one character at a time, then skip its constraint. */
type ReadName<S extends string, Name extends string, Keys> = S extends `${infer C}${infer Rest}`
  ? C extends NameChar
    ? ReadName<Rest, `${Name}${C}`, Keys>
    : C extends '<'
      ? Rest extends `${string}>${infer After}`
        ? ScanStatic<After, Keys | Name>
        : Keys | Name
      : C extends '('
        ? SkipRegex<Rest, [], false, Keys | Name>
        : ScanStatic<S, Keys | Name>
  : Keys | Name;

/** Skip a balanced regular expression (escapes, character classes, nested groups). */
type SkipRegex<S extends string, Depth extends unknown[], InClass extends boolean, Keys> = S extends `${infer C}${infer Rest}`
  ? C extends '\\'
    ? Rest extends `${string}${infer AfterEscaped}`
      ? SkipRegex<AfterEscaped, Depth, InClass, Keys>
      : Keys
    : InClass extends true
      ? SkipRegex<Rest, Depth, C extends ']' ? false : true, Keys>
      : C extends '['
        ? SkipRegex<Rest, Depth, true, Keys>
        : C extends '('
          ? SkipRegex<Rest, [...Depth, unknown], false, Keys>
          : C extends ')'
            ? Depth extends [unknown, ...infer Outer]
              ? SkipRegex<Rest, Outer, false, Keys>
              : ScanStatic<Rest, Keys>
            : SkipRegex<Rest, Depth, false, Keys>
  : Keys;

/** The names of the parameters of a route pattern (`'*'` for a wildcard); never for a static path. */
export type ParamNames<Path extends string> = ScanStatic<Path, never>;

/**
 * The params object of a route pattern: `RouteParams<'/users/:id(\\d+)/files/*'>` is
 * `{ id: string; '*': string }`; a static path gives `{}`; a non-literal `string` gives
 * `Record<string, string>`.
 */
export type RouteParams<Path extends string> = string extends Path
  ? Record<string, string>
  : { [K in ParamNames<Path>]: string };
