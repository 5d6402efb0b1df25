/**
 * The validated configuration: `config.get('PORT')` typed from the schema's output, a
 * namespace's value by its name (`config.get('database')`) or one of its keys
 * (`config.get('database.url')`). Printing it (console.log, JSON.stringify) shows its keys, never
 * its values, so a logged service does not leak a secret.
 */
import { inspect } from 'node:util';

/** The keys `get()` accepts: top-level keys, and `namespace.key` for object values (any string for an untyped service). */
export type ConfigPath<T> = string extends keyof T ? string : [keyof T] extends [never] ? string : {
  [K in keyof T & string]: K | (NonNullable<T[K]> extends Record<string, unknown> ? `${K}.${keyof NonNullable<T[K]> & string}` : never);
}[keyof T & string];

/** The type of the value at a `ConfigPath`. */
export type ConfigPathValue<T, P extends string> =
  string extends keyof T ? T[keyof T & string]
  : [keyof T] extends [never] ? unknown
  : P extends keyof T ? T[P]
  : P extends `${infer H}.${infer R}`
    ? H extends keyof T ? (R extends keyof NonNullable<T[H]> ? NonNullable<T[H]>[R] : never) : never
    : never;

/** The environment each service was loaded from (for `ConfigModule.forFeature`), kept off the object. */
const sources = new WeakMap<object, Readonly<Record<string, string | undefined>>>();

/** @internal The environment (process variables over `.env` files) a service was loaded from. */
export function environmentOf(config: object): Readonly<Record<string, string | undefined>> {
  const env = sources.get(config);
  if (env === undefined) throw new Error('This ConfigService was not made by loadConfig() or ConfigModule.forRoot()');
  return env;
}

export class ConfigService<T extends object = Record<string, string | undefined>> {
  readonly #values: T;

  /** @internal Made by `loadConfig()` and `ConfigModule.forRoot()`. */
  constructor(values: T, env: Readonly<Record<string, string | undefined>>) {
    this.#values = values;
    sources.set(this, env);
  }

  /** The value of a key (as the schema produced it), or of `namespace.key`. */
  get<P extends ConfigPath<T>>(key: P): ConfigPathValue<T, P> {
    const values = this.#values as Record<string, unknown>;
    if (Object.hasOwn(values, key)) return values[key] as ConfigPathValue<T, P>;
    const dot = key.indexOf('.');
    if (dot > 0) {
      const head = values[key.slice(0, dot)];
      if (head !== null && typeof head === 'object' && Object.hasOwn(head, key.slice(dot + 1))) {
        return (head as Record<string, unknown>)[key.slice(dot + 1)] as ConfigPathValue<T, P>;
      }
    }
    return undefined as ConfigPathValue<T, P>;
  }

  /** Like `get()`, but a missing (`undefined`) value throws, naming the key. */
  getOrThrow<P extends ConfigPath<T>>(key: P): NonNullable<ConfigPathValue<T, P>> {
    const value = this.get(key);
    if (value === undefined || value === null) throw new Error(`Configuration key ${key} is not set`);
    return value as NonNullable<ConfigPathValue<T, P>>;
  }

  /** Whether the configuration has a value for `key`. */
  has(key: string): boolean {
    return this.get(key as ConfigPath<T>) !== undefined;
  }

  /** Every validated value (the object the schemas produced; namespaces under their names). */
  values(): Readonly<T> {
    return this.#values;
  }

  /** The keys only: a configuration written to a log must not carry its secrets. */
  toJSON(): { keys: string[] } {
    return { keys: Object.keys(this.#values) };
  }

  [inspect.custom](): string {
    return `ConfigService { ${Object.keys(this.#values).join(', ')} }`;
  }
}
