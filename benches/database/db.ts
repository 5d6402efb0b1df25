// Database access for the TechEmpower database tests: one `postgres` (postgres.js) pool.
// Pool size: DB_POOL (default 16). Queries are prepared (named server-side statements).
import postgres from 'postgres';

export type Sql = postgres.Sql;

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface DbOptions {
  /** Maximum connections in the pool (default: DB_POOL or 16). */
  max?: number;
  /** Connect timeout in seconds (default 10). */
  connectTimeout?: number;
}

export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

/** DB_POOL, the pool size every app uses (default 16). */
export function poolSize(): number {
  return Number(process.env.DB_POOL ?? 16) || 16;
}

export function createDb(url: string = databaseUrl(), options: DbOptions = {}): Sql {
  const max = options.max ?? poolSize();
  return postgres(url, {
    max,
    prepare: true,
    connect_timeout: options.connectTimeout ?? 10,
    idle_timeout: 0,
    onnotice: () => {},
  });
}
