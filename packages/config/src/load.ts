/**
 * Loading: the environment (process variables over `.env` files), validated by the root schema
 * and by each namespace's, every problem gathered before one `ConfigError` is thrown.
 */
import { isStandardSchema, type InferOutput, type StandardSchemaV1, type TokenValue } from '@armature/core';
import { ConfigService } from './config-service.js';
import { readEnvFiles } from './env-file.js';
import { ConfigError, SECRET_NAME, issueKey, redact, stringsIn, valueAt, type ConfigIssue, type SchemaIssue } from './errors.js';
import type { ConfigNamespace, Environment } from './namespace.js';

export interface ConfigOptions<S extends StandardSchemaV1 | undefined = undefined, N extends readonly ConfigNamespace[] = []> {
  /**
   * Validates the environment (any Standard Schema: Zod, Valibot, ArkType…); its output is what
   * `get()` returns, so coerce numbers and booleans there (`z.coerce.number()`). Without one,
   * `get()` returns the raw strings.
   */
  schema?: S;
  /**
   * `.env` files to read, relative to `cwd`; an earlier file wins over a later one, and a process
   * variable over every file. Missing files are skipped. Default `'.env'`; `false` reads none.
   */
  envFile?: string | readonly string[] | false;
  /** Where `envFile` paths start. Default `process.cwd()`. */
  cwd?: string;
  /** The process variables. Default `process.env` (pass an object in tests). */
  env?: Environment;
  /** Namespaces made with `registerAs()`: validated with the rest, found under their names. */
  load?: N;
  /**
   * Copy the `.env` files' variables into `process.env` (those not already set), as dotenv and
   * NestJS do. Default true when `env` is `process.env`, false when an object is given.
   */
  assignToProcessEnv?: boolean;
  /**
   * More names whose values are secret (redacted from error messages wherever they appear).
   * Names that look secret already are: `*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*_KEY*`, `*URL*`, `*DSN*`….
   */
  secrets?: readonly string[];
}

/** What a configuration holds: the root schema's output, and each namespace under its name. */
export type ConfigValues<S extends StandardSchemaV1 | undefined, N extends readonly ConfigNamespace[]> =
  (S extends StandardSchemaV1 ? InferOutput<S> : Record<string, string | undefined>) &
  { [K in N[number] as K['name']]: TokenValue<K> };

/** The environment a configuration sees, and the files it came from. */
export function gatherEnvironment(options: Pick<ConfigOptions<undefined, []>, 'envFile' | 'cwd' | 'env' | 'assignToProcessEnv'>): Environment {
  const files = options.envFile === false ? [] : typeof options.envFile === 'string' ? [options.envFile] : (options.envFile ?? ['.env']);
  const { values } = readEnvFiles(files, options.cwd ?? process.cwd());
  const processEnv = options.env ?? process.env;
  if (options.assignToProcessEnv ?? options.env === undefined) {
    for (const [key, value] of Object.entries(values)) if (process.env[key] === undefined) process.env[key] = value;
  }
  const env: Record<string, string | undefined> = { ...values };
  for (const [key, value] of Object.entries(processEnv)) if (value !== undefined) env[key] = value;
  return env;
}

type Outcome = { value: unknown; issues: null } | { value: undefined; issues: readonly SchemaIssue[] };

async function check(schema: StandardSchemaV1, input: unknown): Promise<Outcome> {
  const result = await schema['~standard'].validate(input);
  return result.issues === undefined ? { value: result.value, issues: null } : { value: undefined, issues: result.issues };
}

/** The values no message may show: those of secret-looking (or named) variables. */
function secretValues(env: Environment, names: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '' && (SECRET_NAME.test(key) || names.includes(key))) out.add(value);
  }
  return out;
}

/** Turns a schema's issues into ConfigIssues with no value of `input` (nor any secret) in them. */
function describe(issues: readonly SchemaIssue[], input: unknown, prefix: string, secrets: ReadonlySet<string>, into: ConfigIssue[]): void {
  for (const issue of issues) {
    const hidden = new Set(secrets);
    const own = valueAt(input, issue);
    // the refused value itself; for an issue on the whole object, every longer value in it
    if (issue.path === undefined || issue.path.length === 0) {
      for (const v of stringsIn(input, new Set())) if (v.length >= 6) hidden.add(v);
    } else stringsIn(own, hidden);
    into.push({ key: issueKey(issue, prefix), message: redact(String(issue.message), hidden) });
  }
}

/** Validates the root schema and the namespaces against `env`; throws one ConfigError listing every problem. */
export async function validateEnvironment(
  env: Environment,
  schema: StandardSchemaV1 | undefined,
  namespaces: readonly ConfigNamespace[],
  secretNames: readonly string[],
): Promise<Record<string, unknown>> {
  const secrets = secretValues(env, secretNames);
  const issues: ConfigIssue[] = [];
  let values: Record<string, unknown> = { ...env };
  if (schema !== undefined) {
    const root = await check(schema, env);
    if (root.issues !== null) describe(root.issues, env, '', secrets, issues);
    else values = { ...(root.value as Record<string, unknown>) };
  }
  for (const ns of namespaces) {
    let raw: unknown;
    try {
      raw = ns.factory(env);
    } catch (error) {
      issues.push({ key: ns.name, message: redact(`its factory threw: ${(error as Error)?.message ?? String(error)}`, secrets) });
      continue;
    }
    if (ns.schema === null) {
      values[ns.name] = raw;
      continue;
    }
    const result = await check(ns.schema, raw);
    if (result.issues !== null) describe(result.issues, raw, ns.name, secrets, issues);
    else values[ns.name] = result.value;
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return values;
}

/** Checks what `loadConfig()` and `ConfigModule.forRoot()` were given (a mistake is a TypeError, not a ConfigError). */
export function checkOptions(options: ConfigOptions<StandardSchemaV1 | undefined, readonly ConfigNamespace[]>, where: string): void {
  if (options.schema !== undefined && !isStandardSchema(options.schema)) {
    throw new TypeError(`${where}: schema must implement Standard Schema (Zod ≥ 3.24, Valibot ≥ 1, ArkType ≥ 2…)`);
  }
  if (options.load !== undefined && !Array.isArray(options.load)) throw new TypeError(`${where}: load must be an array of registerAs() namespaces`);
  const names = new Set<string>();
  for (const ns of options.load ?? []) {
    if (names.has(ns.name)) throw new TypeError(`${where}: two namespaces are named ${ns.name}`);
    names.add(ns.name);
  }
}

/**
 * Reads the environment and the `.env` files, validates them, and returns the configuration:
 * `const config = await loadConfig({ schema: Env })`, then `config.get('PORT')`.
 * Throws a `ConfigError` listing every problem (no value in it) when they do not pass.
 */
export async function loadConfig<S extends StandardSchemaV1 | undefined = undefined, const N extends readonly ConfigNamespace[] = []>(
  options: ConfigOptions<S, N> = {},
): Promise<ConfigService<ConfigValues<S, N>>> {
  checkOptions(options, 'loadConfig');
  const env = gatherEnvironment(options);
  const values = await validateEnvironment(env, options.schema, options.load ?? [], options.secrets ?? []);
  return new ConfigService(values as ConfigValues<S, N>, env);
}
