/**
 * What can be injected: classes (their instances) and typed `InjectionToken`s (anything else:
 * configuration objects, connections, functions).
 */

/** A class whose instances the container can create. */
export type Class<T = unknown> = new (...args: any[]) => T;
/** A class used only as a token (an interface-like abstract class). */
export type AbstractClass<T = unknown> = abstract new (...args: any[]) => T;

/**
 * A typed token for a value that is not a class instance:
 * `const CONFIG = new InjectionToken<Config>('CONFIG')`, then `inject(CONFIG)` is a `Config`.
 */
export class InjectionToken<T> {
  /** Shown in error messages (`UsersService → CONFIG`). */
  readonly description: string;
  /** Never set: carries `T` for type inference. */
  declare readonly __type?: T;

  constructor(description: string) {
    this.description = description;
  }

  toString(): string {
    return `InjectionToken(${this.description})`;
  }
}

/** Anything `inject()` accepts. */
export type Token<T = unknown> = Class<T> | AbstractClass<T> | InjectionToken<T>;

/** The value a token stands for. */
export type TokenValue<K> = K extends InjectionToken<infer T> ? T : K extends abstract new (...args: any[]) => infer T ? T : never;

/** The values of a list of tokens, position by position (`deps: [Db, CONFIG]` → `[Db, Config]`). */
export type TokenValues<D extends readonly unknown[]> = { -readonly [I in keyof D]: TokenValue<D[I]> };

/** A token's name for messages. */
export function tokenName(token: unknown): string {
  if (token instanceof InjectionToken) return token.description;
  if (typeof token === 'function') return token.name || '(anonymous class)';
  if (typeof token === 'symbol') return token.toString();
  if (token === undefined) return 'undefined';
  if (token === null) return 'null';
  return typeof token === 'string' ? JSON.stringify(token) : String(token);
}

/** True for what may be used as a token. */
export function isToken(value: unknown): value is Token {
  return typeof value === 'function' || value instanceof InjectionToken;
}
