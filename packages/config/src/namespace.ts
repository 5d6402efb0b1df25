/**
 * Namespaces: a named part of the configuration, built from the environment by a factory and
 * validated by its own schema, like `registerAs()` in NestJS. A namespace is also an injection
 * token: `inject(databaseConfig)` is its validated value.
 *
 *   export const databaseConfig = registerAs('database', (env) => ({ url: env.DATABASE_URL, pool: env.DB_POOL }),
 *     z.object({ url: z.url(), pool: z.coerce.number().int().default(10) }));
 */
import { InjectionToken, isStandardSchema, type InferOutput, type StandardSchemaV1 } from '@armature/core';

/** What a namespace's factory receives: process variables over the `.env` files' ones. */
export type Environment = Readonly<Record<string, string | undefined>>;

export class ConfigNamespace<N extends string = string, T = unknown> extends InjectionToken<T> {
  /** The key it is found under: `config.get('database')`, `config.get('database.url')`. */
  readonly name: N;
  /** Builds the namespace's raw value from the environment. */
  readonly factory: (env: Environment) => unknown;
  /** Validates (and coerces) what the factory built; null to take it as it is. */
  readonly schema: StandardSchemaV1 | null;

  /** @internal Made by `registerAs()`. */
  constructor(name: N, factory: (env: Environment) => unknown, schema: StandardSchemaV1 | null) {
    super(`config namespace ${name}`);
    this.name = name;
    this.factory = factory;
    this.schema = schema;
  }
}

/** The value type of a namespace: `type DatabaseConfig = ConfigType<typeof databaseConfig>`. */
export type ConfigType<C> = C extends ConfigNamespace<string, infer T> ? T : never;

/** A namespace whose value the schema validates (its output is the namespace's type). */
export function registerAs<const N extends string, S extends StandardSchemaV1>(name: N, factory: (env: Environment) => unknown, schema: S): ConfigNamespace<N, InferOutput<S>>;
/** A namespace whose value is what the factory returns, unvalidated. */
export function registerAs<const N extends string, T>(name: N, factory: (env: Environment) => T): ConfigNamespace<N, T>;
export function registerAs(name: string, factory: (env: Environment) => unknown, schema?: StandardSchemaV1): ConfigNamespace<string, unknown> {
  if (typeof name !== 'string' || name === '' || name.includes('.')) throw new TypeError(`registerAs: the name must be a non-empty string without dots, not ${JSON.stringify(name)}`);
  if (typeof factory !== 'function') throw new TypeError(`registerAs(${JSON.stringify(name)}): the factory must be a function of the environment`);
  if (schema !== undefined && !isStandardSchema(schema)) throw new TypeError(`registerAs(${JSON.stringify(name)}): the schema must implement Standard Schema (Zod ≥ 3.24, Valibot ≥ 1, ArkType ≥ 2…)`);
  return new ConfigNamespace(name, factory, schema ?? null);
}
