/**
 * The radix tree behind RadixRouter (router.ts): one tree per HTTP method, holding the routes
 * that have parameters or a wildcard (fully static routes live in a hash map in front of it).
 *
 * Three kinds of node share one class (one hidden class, so the walk stays monomorphic):
 *   static   `prefix` is the text it consumes; children are found by their first character
 *   param    consumes one or more characters up to the next "/" (or up to static text that
 *            follows it in the same segment, as in "/:name.:ext"); checks its constraint
 *   wildcard consumes the rest of the path, possibly nothing; always a leaf
 *
 * Lookup is a depth-first walk in priority order — static child, then parameter, then
 * wildcard — that backtracks when a branch dead-ends, so "/a/b/d" reaches "/a/:x/d" even though
 * "/a/b/…" exists. The walk scans the raw path with charCodeAt/indexOf, never splits it, and
 * records parameter boundaries in a scratch buffer; only a successful match allocates. A walk
 * that backtracks a lot switches to a memo mode that keeps it linear ("Cost", below).
 */
import { HttpError } from '../http/errors.js';
import { isHex, type Constraint, type PatternToken } from './pattern.js';

const SLASH = 47;
const PERCENT = 37;

/** Node kinds. */
export const STATIC = 0;
export const PARAM = 1;
export const WILDCARD = 2;

/** Constraint checks, by number so that the hot path switches on a small integer. */
const CHECK_NONE = 0;
const CHECK_INT = 1;
const CHECK_UUID = 2;
const CHECK_REGEX = 3;

/**
 * Thrown by `RadixRouter.add()` when a new pattern cannot live beside one already registered for
 * that method; names both, so that a framework on top can say who declared the other.
 */
export class RouteConflictError extends Error {
  override name = 'RouteConflictError';
  readonly method: string;
  /** The pattern being added. */
  readonly pattern: string;
  /** The pattern already registered that it conflicts with, as its caller wrote it. */
  readonly existing: string;

  /** @internal */
  constructor(message: string, route: RouteEntry<unknown>, previous: RouteEntry<unknown>) {
    super(message);
    this.method = route.method;
    this.pattern = route.pattern;
    this.existing = previous.pattern;
  }
}

/**
 * The conflict where the new pattern matches exactly the paths of one already there: the same
 * pattern, or one differing only in parameter names, in case (case-insensitive router) or in a
 * trailing slash (where it is ignored).
 */
export class DuplicateRouteError extends RouteConflictError {
  override name = 'DuplicateRouteError';

  /** @internal */
  constructor(route: RouteEntry<unknown>, previous: RouteEntry<unknown>) {
    super(`Duplicate route: ${route.describe()} conflicts with ${previous.describe()}`, route, previous);
  }
}

/** A registered route, as stored at the node where its pattern ends. */
export class RouteEntry<T> {
  readonly method: string;
  /** The pattern as the caller wrote it (for messages). */
  readonly pattern: string;
  readonly value: T;
  /** Parameter names in path order; "*" for the wildcard. */
  readonly names: readonly string[];
  /**
   * True for the route added in ignoreTrailingSlash mode so that "/files" reaches "/files/*":
   * its params get `'*': ''`, and a real route registered at the same place replaces it.
   */
  readonly emptyWildcard: boolean;

  constructor(method: string, pattern: string, value: T, names: readonly string[], emptyWildcard: boolean) {
    this.method = method;
    this.pattern = pattern;
    this.value = value;
    this.names = names;
    this.emptyWildcard = emptyWildcard;
  }

  describe(): string {
    return `${this.method} ${this.pattern}`;
  }
}

export class Node<T> {
  kind: number;
  /** Static nodes: the text this node consumes (its first character is also its label). */
  prefix: string;
  /** First character of each static child, parallel to `children`. */
  labels: number[];
  children: Node<T>[];
  /** With many children: children indexed by (first character - jumpBase), null where none. */
  jump: Array<Node<T> | null> | null;
  jumpBase: number;
  param: Node<T> | null;
  wildcard: Node<T> | null;
  route: RouteEntry<T> | null;
  /** Param nodes: the name, constraint, and which route introduced it (for conflict messages). */
  name: string;
  check: number;
  constraint: Constraint | null;
  regex: RegExp | null;
  owner: RouteEntry<T> | null;
  /** Param nodes: the static child that starts with "/", and whether any other static child exists. */
  slash: Node<T> | null;
  inner: boolean;
  /**
   * Memo mode (see "Cost" below), valid while the `...Gen` field equals MatchState.gen:
   * failPos is the last position from which a walk into this node failed; for unconstrained
   * param nodes, [triedLo, triedHi] are inner ends already tried, all failed (where such a value
   * ends does not depend on where it started, so a walk from another start skips them).
   */
  failGen: number;
  failPos: number;
  triedGen: number;
  triedLo: number;
  triedHi: number;

  constructor(kind: number, prefix: string) {
    this.kind = kind;
    this.prefix = prefix;
    this.labels = [];
    this.children = [];
    this.jump = null;
    this.jumpBase = 0;
    this.param = null;
    this.wildcard = null;
    this.route = null;
    this.name = '';
    this.check = CHECK_NONE;
    this.constraint = null;
    this.regex = null;
    this.owner = null;
    this.slash = null;
    this.inner = false;
    this.failGen = 0;
    this.failPos = 0;
    this.triedGen = 0;
    this.triedLo = 0;
    this.triedHi = 0;
  }
}

/** Above this many static children, a node finds them through a jump table instead of a scan. */
const JUMP_THRESHOLD = 6;

function childFor<T>(node: Node<T>, code: number): Node<T> | null {
  const jump = node.jump;
  if (jump !== null) {
    const i = code - node.jumpBase;
    return i >= 0 && i < jump.length ? jump[i]! : null;
  }
  const labels = node.labels;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === code) return node.children[i]!;
  }
  return null;
}

function reindex<T>(node: Node<T>): void {
  const labels = node.labels;
  if (labels.length <= JUMP_THRESHOLD) {
    node.jump = null;
    node.jumpBase = 0;
    return;
  }
  const min = Math.min(...labels);
  const jump = new Array<Node<T> | null>(Math.max(...labels) - min + 1).fill(null);
  for (let i = 0; i < labels.length; i++) jump[labels[i]! - min] = node.children[i]!;
  node.jump = jump;
  node.jumpBase = min;
}

function addChild<T>(parent: Node<T>, child: Node<T>): void {
  const label = child.prefix.charCodeAt(0);
  parent.labels.push(label);
  parent.children.push(child);
  reindex(parent);
  if (parent.kind === PARAM) {
    if (label === SLASH) parent.slash = child;
    else parent.inner = true;
  }
}

/** Cut a static node's prefix at `at`: the node keeps the head, a new child takes the tail and everything below. */
function split<T>(node: Node<T>, at: number): void {
  const tail = new Node<T>(STATIC, node.prefix.slice(at));
  tail.labels = node.labels;
  tail.children = node.children;
  tail.jump = node.jump;
  tail.jumpBase = node.jumpBase;
  tail.param = node.param;
  tail.wildcard = node.wildcard;
  tail.route = node.route;
  node.prefix = node.prefix.slice(0, at);
  node.labels = [];
  node.children = [];
  node.jump = null;
  node.jumpBase = 0;
  node.param = null;
  node.wildcard = null;
  node.route = null;
  addChild(node, tail);
}

/** Walk/extend the static path `text` from `node`, whose prefix starts with text's first character. */
function descendStatic<T>(node: Node<T>, text: string): Node<T> {
  for (;;) {
    const prefix = node.prefix;
    const max = Math.min(prefix.length, text.length);
    let i = 1;
    while (i < max && prefix.charCodeAt(i) === text.charCodeAt(i)) i++;
    if (i < prefix.length) split(node, i);
    if (i === text.length) return node;
    text = text.slice(i);
    const child = childFor(node, text.charCodeAt(0));
    if (child === null) {
      const created = new Node<T>(STATIC, text);
      addChild(node, created);
      return created;
    }
    node = child;
  }
}

/** The static child of `parent` for `text` (created if needed), then down to the end of `text`. */
function staticUnder<T>(parent: Node<T>, text: string): Node<T> {
  const child = childFor(parent, text.charCodeAt(0));
  if (child !== null) return descendStatic(child, text);
  const created = new Node<T>(STATIC, text);
  addChild(parent, created);
  return created;
}

function checkNumber(c: Constraint | null): number {
  if (c === null) return CHECK_NONE;
  return c.type === 'int' ? CHECK_INT : c.type === 'uuid' ? CHECK_UUID : CHECK_REGEX;
}

/**
 * Add a route whose pattern has at least one parameter or wildcard. `tokens` starts with static
 * text (patterns start with "/"). Returns the (possibly new) root. Throws on conflicts, with a
 * message naming both routes.
 */
export function insertRoute<T>(root: Node<T> | null, tokens: readonly PatternToken[], route: RouteEntry<T>): Node<T> {
  const first = tokens[0];
  if (first === undefined || first.kind !== 'static') throw new Error(`internal: pattern ${route.pattern} must start with static text`);
  if (root === null) root = new Node<T>(STATIC, first.text);
  else if (findConflict(root, tokens, route)) return root; // an alias where a real route already is
  let node = descendStatic(root, first.text);
  for (let t = 1; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (token.kind === 'static') {
      node = staticUnder(node, token.text);
    } else if (token.kind === 'param') {
      if (node.param === null) {
        const p = new Node<T>(PARAM, '');
        p.name = token.name;
        p.constraint = token.constraint;
        p.check = checkNumber(token.constraint);
        p.regex = token.constraint?.regex ?? null;
        p.owner = route;
        node.param = p;
      }
      node = node.param;
    } else {
      if (node.wildcard === null) node.wildcard = new Node<T>(WILDCARD, '');
      node = node.wildcard;
    }
  }
  node.route = route;
  return root;
}

/** Follow existing nodes without changing them: the node where `text` ends exactly, or null. */
function followStatic<T>(node: Node<T> | null, text: string): Node<T> | null {
  while (node !== null) {
    const prefix = node.prefix;
    if (!text.startsWith(prefix)) {
      return null; // diverges inside this node: a new branch, nothing to conflict with
    }
    if (text.length === prefix.length) return node;
    text = text.slice(prefix.length);
    node = childFor(node, text.charCodeAt(0));
  }
  return null;
}

/**
 * Check a route against the tree before changing anything, so that a rejected route leaves no
 * trace. Throws on a conflict; returns true when `route` is an empty-wildcard alias that is
 * not needed because a real route already ends there.
 */
function findConflict<T>(root: Node<T>, tokens: readonly PatternToken[], route: RouteEntry<T>): boolean {
  let node: Node<T> | null = followStatic(root, (tokens[0] as { text: string }).text);
  for (let t = 1; t < tokens.length && node !== null; t++) {
    const token = tokens[t]!;
    if (token.kind === 'static') {
      node = followStatic(childFor(node, token.text.charCodeAt(0)), token.text);
    } else if (token.kind === 'param') {
      const existing: Node<T> | null = node.param;
      if (existing !== null) {
        // names may differ: a match's params are named by its own route (RouteEntry.names)
        const a = existing.constraint?.source ?? '';
        const b = token.constraint?.source ?? '';
        if (a !== b) {
          const owner = existing.owner!;
          throw new RouteConflictError(
            `Route conflict: ${route.describe()} constrains ":${token.name}" with ${b || 'no constraint'} where ${owner.describe()} uses ${a || 'no constraint'} on ":${existing.name}"`,
            route,
            owner,
          );
        }
      }
      node = existing;
    } else {
      node = node.wildcard;
    }
  }
  const previous = node === null ? null : node.route;
  if (previous === null) return false;
  if (route.emptyWildcard) return true;
  if (!previous.emptyWildcard) throw new DuplicateRouteError(route, previous);
  return false;
}

// ---------------------------------------------------------------------------------------------
// Lookup
//
// Cost. Without parameters that share a segment with static text ("/:name.:ext"), each node is
// reached at one position at most (a parameter runs to the next "/"), so a lookup reads each
// node once. A parameter with such "inner" static children tries each place where its value
// could end, and the nodes below it can then be reached at many positions: on an almost-matching
// path, "/:y-:m-:d/x" would cost O(n³) in a plain depth-first walk. Three things keep every
// lookup linear in the length of the path:
//  - a parameter value is at most `maxParamLength` characters (default 100): a parameter scans at
//    most that far, and tries at most that many ends;
//  - after MEMO_AFTER inner ends in one lookup (plain lookups never get there), the walk switches
//    to memo mode: a node does not walk again from the position where it last failed; an
//    unconstrained parameter does not try again an inner end it tried from another start; the
//    end of the segment being scanned is remembered. The outcome of a walk depends only on the
//    node and the position (the parameter index is fixed by the node), so memo mode returns the
//    route and params that the plain walk would;
//  - constraints are checked only on values of at most maxParamLength characters.

/** Inner ends a lookup tries before it switches to memo mode. */
const MEMO_AFTER = 32;

/** Per-router scratch state of a lookup: where each parameter starts and ends. */
export class MatchState {
  /** The path as given (original case), for parameter values and constraint checks. */
  raw: string;
  starts: Int32Array;
  ends: Int32Array;
  /** find(): a malformed escape in a constrained parameter throws 400; allowed(): it just fails. */
  strict: boolean;
  /** Set when the walk saw a "%" in a parameter or wildcard value: only then are values decoded. */
  escaped: boolean;
  /** Longest parameter value (raw characters) that can match. */
  readonly maxParamLength: number;
  /** Inner ends tried in this lookup. */
  work: number;
  /** Memo mode: set when `work` reaches memoAfter (MEMO_AFTER; tests change it). */
  memo: boolean;
  memoAfter: number;
  /** Memo sessions so far: a node's memo fields belong to the session whose number they carry. */
  gen: number;
  /** Memo mode: [scanFrom, scanTo) holds no "/"; scanEnded: scanTo is a "/" or the end of the path. */
  scanFrom: number;
  scanTo: number;
  scanEnded: boolean;

  constructor(maxParamLength: number) {
    this.raw = '';
    this.starts = new Int32Array(16);
    this.ends = new Int32Array(16);
    this.strict = true;
    this.escaped = false;
    this.maxParamLength = maxParamLength;
    this.work = 0;
    this.memo = false;
    this.memoAfter = MEMO_AFTER;
    this.gen = 0;
    this.scanFrom = -1;
    this.scanTo = -2;
    this.scanEnded = false;
  }

  ensure(params: number): void {
    if (params <= this.starts.length) return;
    this.starts = new Int32Array(params * 2);
    this.ends = new Int32Array(params * 2);
  }
}

function startMemo(st: MatchState): void {
  st.memo = true;
  st.gen++;
  st.scanFrom = -1;
  st.scanTo = -2;
}

export function malformed(): HttpError {
  return new HttpError(400, 'Malformed percent-encoding in path');
}

/** decodeURIComponent, but a malformed escape is a 400 HttpError. */
export function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw malformed();
  }
}

function isInt(s: string, start: number, end: number): boolean {
  if (s.charCodeAt(start) === 45) start++; // "-"
  if (start === end) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** 8-4-4-4-12 hexadecimal digits, either case. */
function isUuid(s: string, start: number, end: number): boolean {
  if (end - start !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(start + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!isHex(c)) {
      return false;
    }
  }
  return true;
}

function checkValue<T>(node: Node<T>, s: string, start: number, end: number): boolean {
  switch (node.check) {
    case CHECK_INT:
      return isInt(s, start, end);
    case CHECK_UUID:
      return isUuid(s, start, end);
    default:
      return node.regex!.test(start === 0 && end === s.length ? s : s.slice(start, end));
  }
}

/**
 * For <int> and <uuid>, a prefix of the value decides: the inner ends below the returned bound
 * are the only ones whose value can pass (up to the first character that is neither a digit nor
 * part of an escape; 36 characters, 108 if escaped). Other nodes: `end`.
 */
function typedBound<T>(node: Node<T>, st: MatchState, pos: number, end: number): number {
  if (node.check === CHECK_UUID) return pos + 109 < end ? pos + 109 : end;
  if (node.check !== CHECK_INT) return end;
  const raw = st.raw;
  let i = raw.charCodeAt(pos) === 45 ? pos + 1 : pos;
  while (i < end) {
    const c = raw.charCodeAt(i);
    if (c === PERCENT) i += 3;
    else if (c >= 48 && c <= 57) i++;
    else break;
  }
  return i < end ? i + 1 : end;
}

/** Does raw[start, end) satisfy the node's constraint? Constraints see the decoded value. */
function checkParam<T>(node: Node<T>, st: MatchState, start: number, end: number): boolean {
  if (node.check === CHECK_NONE) return true;
  const raw = st.raw;
  let pct = start;
  while (pct < end && raw.charCodeAt(pct) !== PERCENT) pct++;
  if (pct === end) return checkValue(node, raw, start, end);
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw.slice(start, end));
  } catch {
    if (st.strict) throw malformed();
    return false;
  }
  return checkValue(node, decoded, 0, decoded.length);
}

/**
 * Match `path` (lowercased already for case-insensitive routers) from a static node at `pos`,
 * whose first character the caller has checked. `depth` counts the parameters so far.
 */
export function walkStatic<T>(node: Node<T>, path: string, pos: number, depth: number, st: MatchState): RouteEntry<T> | null {
  // Written as plain recursion on purpose: V8 inlines a few levels of it, and a version that
  // loops down single-branch chains instead measured 1.6× slower on the benchmark table.
  const prefix = node.prefix;
  const plen = prefix.length;
  const len = path.length;
  if (plen > 1) {
    if (pos + plen > len) return null;
    for (let i = 1; i < plen; i++) {
      if (path.charCodeAt(pos + i) !== prefix.charCodeAt(i)) return null;
    }
  }
  pos += plen;
  if (pos === len) {
    if (node.route !== null) return node.route;
    const w = node.wildcard;
    if (w === null) return null;
    st.starts[depth] = pos;
    st.ends[depth] = pos;
    return w.route;
  }
  const child = childFor(node, path.charCodeAt(pos));
  if (child !== null) {
    const found = walkStatic(child, path, pos, depth, st);
    if (found !== null) return found;
  }
  const param = node.param;
  if (param !== null) {
    const found = walkParam(param, path, pos, depth, st);
    if (found !== null) return found;
  }
  const w = node.wildcard;
  if (w === null) return null;
  st.starts[depth] = pos;
  st.ends[depth] = len;
  if (path.indexOf('%', pos) !== -1) st.escaped = true;
  return w.route;
}

/** Scan path[from, limit) up to the first "/", noting any "%"; returns where it stopped. */
function scanSegment(path: string, from: number, limit: number, st: MatchState): number {
  let end = from;
  for (; end < limit; end++) {
    const c = path.charCodeAt(end);
    if (c === SLASH) break;
    if (c === PERCENT) st.escaped = true;
  }
  return end;
}

function walkParam<T>(node: Node<T>, path: string, pos: number, depth: number, st: MatchState): RouteEntry<T> | null {
  if (st.memo) return walkParamMemo(node, path, pos, depth, st);
  // the value ends at the next "/", at most max characters on: scan up to one more, noting any
  // "%" on the way, so that values without one skip decoding
  const len = path.length;
  const max = st.maxParamLength;
  const end = scanSegment(path, pos, len - pos > max ? pos + max + 1 : len, st);
  if (end === pos) return null;
  if (node.inner) {
    // static text within the segment ends the value at its first occurrence that leads to a match
    const bound = node.check === CHECK_NONE ? end : typedBound(node, st, pos, end);
    for (let p = pos + 1; p < bound; p++) {
      const child = childFor(node, path.charCodeAt(p));
      if (child === null) continue;
      if (++st.work === st.memoAfter) startMemo(st);
      if (!checkParam(node, st, pos, p)) continue;
      st.starts[depth] = pos;
      st.ends[depth] = p;
      const found = walkStatic(child, path, p, depth + 1, st);
      if (found !== null) return found;
    }
  }
  if (end - pos > max) return null;
  if (node.check !== CHECK_NONE && !checkParam(node, st, pos, end)) return null;
  st.starts[depth] = pos;
  st.ends[depth] = end;
  if (end === len) return node.route;
  const next = node.slash;
  if (next === null) return null;
  return walkStatic(next, path, end, depth + 1, st);
}

/** Memo mode: the value is path[pos, end), up to the end of its segment (when not longer than allowed). */
function wholeSegment<T>(node: Node<T>, path: string, pos: number, end: number, depth: number, st: MatchState): RouteEntry<T> | null {
  if (end - pos > st.maxParamLength) return null;
  if (node.check !== CHECK_NONE && !checkParam(node, st, pos, end)) return null;
  st.starts[depth] = pos;
  st.ends[depth] = end;
  if (end === path.length) return node.route;
  const next = node.slash;
  if (next === null) return null;
  return walkOnce(next, path, end, depth + 1, st);
}

/** Memo mode: walk a static node, unless it failed from this very position already. */
function walkOnce<T>(node: Node<T>, path: string, pos: number, depth: number, st: MatchState): RouteEntry<T> | null {
  if (node.failGen === st.gen && node.failPos === pos) return null;
  const found = walkStatic(node, path, pos, depth, st);
  if (found === null) {
    node.failGen = st.gen;
    node.failPos = pos;
  }
  return found;
}

/** Memo mode: walkParam, remembering failures and the segment's end. */
function walkParamMemo<T>(node: Node<T>, path: string, pos: number, depth: number, st: MatchState): RouteEntry<T> | null {
  if (node.failGen === st.gen && node.failPos === pos) return null;
  const end = segmentEnd(path, pos, st);
  let found: RouteEntry<T> | null = null;
  if (end !== pos) {
    if (node.inner) found = innerEnds(node, path, pos, end, depth, st);
    if (found === null) found = wholeSegment(node, path, pos, end, depth, st);
  }
  if (found === null) {
    node.failGen = st.gen;
    node.failPos = pos;
  }
  return found;
}

/** Memo mode: try the inner ends of a value that starts at `pos`, skipping those known to fail. */
function innerEnds<T>(node: Node<T>, path: string, pos: number, end: number, depth: number, st: MatchState): RouteEntry<T> | null {
  const free = node.check === CHECK_NONE;
  let skipLo = -1;
  let skipHi = -2;
  if (free && node.triedGen === st.gen) {
    skipLo = node.triedLo;
    skipHi = node.triedHi;
  }
  const bound = free ? end : typedBound(node, st, pos, end);
  for (let p = pos + 1; p < bound; p++) {
    if (p >= skipLo && p <= skipHi) {
      p = skipHi;
      continue;
    }
    const child = childFor(node, path.charCodeAt(p));
    if (child === null || !checkParam(node, st, pos, p)) continue;
    st.starts[depth] = pos;
    st.ends[depth] = p;
    const found = walkOnce(child, path, p, depth + 1, st);
    if (found !== null) return found;
  }
  if (free) {
    // all of [pos + 1, end - 1] failed: merge with the known range when they touch
    let lo = pos + 1;
    let hi = end - 1;
    if (node.triedGen === st.gen && node.triedLo <= hi + 1 && lo <= node.triedHi + 1) {
      if (node.triedLo < lo) lo = node.triedLo;
      if (node.triedHi > hi) hi = node.triedHi;
    }
    node.triedGen = st.gen;
    node.triedLo = lo;
    node.triedHi = hi;
  }
  return null;
}

/**
 * Memo mode: where a value that starts at `pos` can run to (the next "/" or the path's end, or
 * pos + maxParamLength + 1 if that is nearer), reusing the last scan.
 */
function segmentEnd(path: string, pos: number, st: MatchState): number {
  const len = path.length;
  const limit = len - pos > st.maxParamLength ? pos + st.maxParamLength + 1 : len;
  let from = pos;
  if (pos >= st.scanFrom && pos <= st.scanTo) {
    if (st.scanEnded || st.scanTo >= limit) return st.scanTo < limit ? st.scanTo : limit;
    from = st.scanTo;
  } else {
    st.scanFrom = pos;
  }
  const end = scanSegment(path, from, limit, st);
  st.scanTo = end;
  st.scanEnded = end < limit || end === len;
  return end;
}

/** Match a whole path against a tree; null when nothing matches. */
export function matchTree<T>(root: Node<T>, path: string, st: MatchState): RouteEntry<T> | null {
  if (path.charCodeAt(0) !== root.prefix.charCodeAt(0)) return null;
  st.escaped = false;
  st.work = 0;
  st.memo = false;
  return walkStatic(root, path, 0, 0, st);
}

/** Build the params object of a match from the scratch buffer, percent-decoding where needed. */
export function buildParams<T>(route: RouteEntry<T>, st: MatchState): Record<string, string> {
  const names = route.names;
  const raw = st.raw;
  const params: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) {
    let value = raw.slice(st.starts[i]!, st.ends[i]!);
    if (st.escaped && value.indexOf('%') !== -1) value = decodeParam(value);
    params[names[i]!] = value;
  }
  if (route.emptyWildcard) params['*'] = '';
  return params;
}

/** Count nodes (tests and diagnostics). */
export function countNodes<T>(node: Node<T> | null): number {
  if (node === null) return 0;
  let n = 1;
  for (const c of node.children) n += countNodes(c);
  return n + countNodes(node.param) + countNodes(node.wildcard);
}
