/**
 * The router's facade, RadixRouter: method + path → value and params. Fully static routes are
 * answered from one hash map per method (no allocation: the match and its frozen empty params
 * are shared); the rest from one radix tree per method (tree.ts); patterns are parsed by
 * pattern.ts. Syntax and rules: docs/routing.md.
 */
import { parsePattern, lowerAscii, type PatternToken } from './pattern.js';
import { DuplicateRouteError, MatchState, Node, RouteEntry, buildParams, insertRoute, matchTree } from './tree.js';

/** A route match: the registered value and the path parameters (percent-decoded). */
export interface Match<T> {
  value: T;
  params: Record<string, string>;
}

export interface RadixRouterOptions {
  /** Match static text case-sensitively (default true). Parameter values always keep their case. */
  caseSensitive?: boolean;
  /**
   * false (default): "/a" and "/a/" are different routes. true: a trailing slash is ignored on
   * both sides, so each matches the other (registering both is a duplicate).
   */
  ignoreTrailingSlash?: boolean;
  /**
   * The longest parameter value that matches, in characters of the raw path (default 100, as in
   * Fastify): a longer value does not match that parameter (404 unless another route takes the
   * path). It also bounds the cost of a lookup. Wildcard values have no limit.
   */
  maxParamLength?: number;
}

/** The params of every match without parameters (frozen, shared). */
export const EMPTY_PARAMS: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);

const FILTER_SIZE = 4096;

/** Static text with a raw special ([ ] | ^, see pattern.ts), and their escapes in a request path. */
const RAW_SPECIAL = /[[\]|^]/;
const RAW_SPECIAL_ESCAPE = /%(?:5B|5D|7C|5E)/gi;

/** `path` with the escapes of the raw specials unescaped (their decoded values are the same). */
function unescapeSpecials(path: string): string {
  return path.replace(RAW_SPECIAL_ESCAPE, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
}

/** Length, second and last character of a path, mixed into 12 bits. */
function staticSignature(key: string): number {
  const n = key.length;
  if (n < 2) return n;
  return ((n * 0x9e5) ^ (key.charCodeAt(1) << 5) ^ key.charCodeAt(n - 1)) & (FILTER_SIZE - 1);
}

class MethodTable<T> {
  readonly method: string;
  /** Fully static routes by normalised path; the Match objects are frozen and shared. */
  readonly statics: Map<string, Match<T>>;
  /** The same, for registration messages. */
  readonly staticRoutes: Map<string, RouteEntry<T>>;
  /**
   * A one-sided filter in front of `statics`: 1 at staticSignature(key) for every static key. A
   * path whose signature is 0 cannot be static and skips the Map: hashing a request path (a
   * fresh string every time) reads all its characters, which is most of a miss's cost.
   */
  readonly staticFilter: Uint8Array;
  root: Node<T> | null;

  constructor(method: string) {
    this.method = method;
    this.statics = new Map();
    this.staticRoutes = new Map();
    this.staticFilter = new Uint8Array(FILTER_SIZE);
    this.root = null;
  }
}

export class RadixRouter<T> {
  readonly caseSensitive: boolean;
  readonly ignoreTrailingSlash: boolean;
  readonly maxParamLength: number;
  private readonly tables: Map<string, MethodTable<T>>;
  /** The tables of the most common methods, read without a Map lookup. */
  private getTable: MethodTable<T> | null;
  private postTable: MethodTable<T> | null;
  private readonly state: MatchState;
  /** Some static text holds a raw special: request paths with "%" get theirs unescaped. */
  private rawSpecials: boolean;

  constructor(options: RadixRouterOptions = {}) {
    this.caseSensitive = options.caseSensitive ?? true;
    this.ignoreTrailingSlash = options.ignoreTrailingSlash ?? false;
    const max = options.maxParamLength ?? 100;
    if (!Number.isSafeInteger(max) || max < 1) throw new Error(`maxParamLength must be a positive integer (got ${String(max)})`);
    this.maxParamLength = max;
    this.tables = new Map();
    this.getTable = null;
    this.postTable = null;
    this.state = new MatchState(max);
    this.rawSpecials = false;
  }

  /**
   * Register `value` for `method` and `pattern`. Throws (naming both routes) on a duplicate, on
   * two parameter names or constraints at one position, and on a malformed pattern.
   */
  add(method: string, path: string, value: T): void {
    const tokens = parsePattern(path, { lowercase: !this.caseSensitive, trimTrailingSlash: this.ignoreTrailingSlash });
    let table = this.tables.get(method);
    const isNew = table === undefined;
    if (table === undefined) table = new MethodTable<T>(method);
    const names: string[] = [];
    for (const t of tokens) {
      if (t.kind === 'param') names.push(t.name);
      else if (t.kind === 'wildcard') names.push('*');
    }
    const route = new RouteEntry(method, path, value, names, false);
    if (names.length === 0) {
      this.addStatic(table, (tokens[0] as { text: string }).text, route);
    } else {
      this.state.ensure(names.length);
      table.root = insertRoute(table.root, tokens, route);
      if (this.ignoreTrailingSlash && tokens[tokens.length - 1]!.kind === 'wildcard') this.addEmptyWildcard(table, tokens, route);
    }
    if (tokens.some((t) => t.kind === 'static' && RAW_SPECIAL.test(t.text))) this.rawSpecials = true;
    if (isNew) {
      this.tables.set(method, table);
      if (method === 'GET') this.getTable = table;
      else if (method === 'POST') this.postTable = table;
    }
  }

  /** In ignoreTrailingSlash mode, "/files" (like "/files/") reaches "/files/*" with '*' = ''. */
  private addEmptyWildcard(table: MethodTable<T>, tokens: readonly PatternToken[], route: RouteEntry<T>): void {
    const head = tokens.slice(0, -1);
    const last = head[head.length - 1] as { kind: 'static'; text: string };
    if (head.length === 1 && last.text === '/') return; // "/*": "/" is never trimmed, it matches directly
    const trimmed = last.text.slice(0, -1);
    if (trimmed === '') head.pop();
    else head[head.length - 1] = { kind: 'static', text: trimmed };
    const alias = new RouteEntry(route.method, route.pattern, route.value, route.names.slice(0, -1), true);
    if (head.length === 1) this.addStatic(table, trimmed, alias);
    else table.root = insertRoute(table.root, head, alias);
  }

  private addStatic(table: MethodTable<T>, key: string, route: RouteEntry<T>): void {
    const previous = table.staticRoutes.get(key);
    if (previous !== undefined) {
      if (route.emptyWildcard) return; // the alias never displaces a real route
      if (!previous.emptyWildcard) throw new DuplicateRouteError(route, previous);
    }
    const params = route.emptyWildcard ? Object.freeze({ '*': '' }) : EMPTY_PARAMS;
    table.staticRoutes.set(key, route);
    table.staticFilter[staticSignature(key)] = 1;
    table.statics.set(key, Object.freeze({ value: route.value, params }));
  }

  /**
   * The route for `method` and `path` (the raw path, without query string), or null. Param
   * values are percent-decoded; a malformed escape throws an HttpError with status 400.
   * Static matches are shared frozen objects: do not mutate them.
   */
  find(method: string, path: string): Match<T> | null {
    const table = method === 'GET' ? this.getTable : method === 'POST' ? this.postTable : this.tables.get(method);
    if (table == null) return null;
    if (this.rawSpecials && path.indexOf('%') !== -1) path = unescapeSpecials(path);
    let key = path;
    if (!this.caseSensitive) key = lowerAscii(path);
    if (this.ignoreTrailingSlash && key.length > 1 && key.charCodeAt(key.length - 1) === 47) {
      key = key.slice(0, -1);
      path = path.slice(0, -1);
    }
    if (table.staticFilter[staticSignature(key)] === 1) {
      const hit = table.statics.get(key);
      if (hit !== undefined) return hit;
    }
    const root = table.root;
    if (root === null) return null;
    const st = this.state;
    st.raw = path;
    st.strict = true;
    const route = matchTree(root, key, st);
    if (route === null) return null;
    return { value: route.value, params: buildParams(route, st) };
  }

  /** Methods with a route for `path`, in registration order (for 405 Allow and OPTIONS). */
  allowed(path: string): string[] {
    if (this.rawSpecials && path.indexOf('%') !== -1) path = unescapeSpecials(path);
    let key = path;
    if (!this.caseSensitive) key = lowerAscii(path);
    if (this.ignoreTrailingSlash && key.length > 1 && key.charCodeAt(key.length - 1) === 47) {
      key = key.slice(0, -1);
      path = path.slice(0, -1);
    }
    const methods: string[] = [];
    const st = this.state;
    for (const [method, table] of this.tables) {
      if (table.statics.has(key)) {
        methods.push(method);
        continue;
      }
      if (table.root === null) continue;
      st.raw = path;
      st.strict = false;
      if (matchTree(table.root, key, st) !== null) methods.push(method);
    }
    return methods;
  }

  /** Every registered route, as [method, pattern] pairs (diagnostics, OPTIONS *). */
  routes(): Array<[method: string, pattern: string]> {
    const out: Array<[string, string]> = [];
    const walk = (node: Node<T> | null): void => {
      if (node === null) return;
      if (node.route !== null && !node.route.emptyWildcard) out.push([node.route.method, node.route.pattern]);
      for (const c of node.children) walk(c);
      walk(node.param);
      walk(node.wildcard);
    };
    for (const table of this.tables.values()) {
      for (const r of table.staticRoutes.values()) if (!r.emptyWildcard) out.push([r.method, r.pattern]);
      walk(table.root);
    }
    return out;
  }
}
