/**
 * The start-up error of an invalid configuration: every problem of every schema at once, each as
 * a key and the validator's message, with no value of the environment in it. Validators often
 * quote the value they refused (`received "sk_live_…"`); those quotes are redacted, so a secret
 * never reaches a log through this error.
 */
/** A Standard Schema issue, as this file reads it. */
export interface SchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** One problem: where (`PORT`, `database.url`) and what. */
export interface ConfigIssue {
  /** The variable, or `namespace.key` for a namespace's value; `''` for the whole object. */
  readonly key: string;
  /** The validator's message, with the values of the environment redacted. */
  readonly message: string;
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const n = issues.length;
    const lines = issues.map((i) => `  - ${i.key === '' ? '(root)' : i.key}: ${i.message}`);
    super(`Invalid configuration: ${n} problem${n === 1 ? '' : 's'}\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export const REDACTED = '[redacted]';

/**
 * Removes every value of `sources` from `message`: quoted (`"v"`, `'v'`, `` `v` ``) whatever its
 * length, bare when at least 4 characters long (shorter bare values would match inside words).
 * Longest values first, so a value containing another is removed whole.
 */
export function redact(message: string, values: ReadonlySet<string>): string {
  let out = message;
  for (const value of [...values].sort((a, b) => b.length - a.length)) {
    if (value === '') continue;
    for (const quoted of [JSON.stringify(value), `'${value}'`, `\`${value}\``]) out = out.split(quoted).join(REDACTED);
    if (value.length >= 4) out = out.split(value).join(REDACTED);
  }
  return out;
}

/** Names whose values are secret unless said otherwise: passwords, tokens, keys, and URLs (which carry credentials). */
export const SECRET_NAME = /secret|passw|pwd|token|api_?key|private|credential|auth|(^|_)key($|_)|salt|cookie|session|dsn|ur[il]($|_)|conn/i;

/** The string values in a value (recursively: a namespace may map env strings into objects). */
export function stringsIn(value: unknown, into: Set<string>, depth = 0): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (typeof value === 'number' || typeof value === 'bigint') into.add(String(value));
  else if (value !== null && typeof value === 'object' && depth < 8) {
    for (const v of Object.values(value)) stringsIn(v, into, depth + 1);
  }
  return into;
}

/** The value at an issue's path in `input`. */
export function valueAt(input: unknown, issue: SchemaIssue): unknown {
  let v = input;
  for (const segment of issue.path ?? []) {
    if (v === null || typeof v !== 'object') return undefined;
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** A Standard Schema issue's path as a dotted key (`['database', 'port']` → `database.port`). */
export function issueKey(issue: SchemaIssue, prefix: string): string {
  const parts: string[] = prefix === '' ? [] : [prefix];
  for (const segment of issue.path ?? []) {
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
    parts.push(typeof key === 'symbol' ? (key.description ?? '') : String(key));
  }
  return parts.join('.');
}
