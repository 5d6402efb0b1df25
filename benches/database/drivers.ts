// The TechEmpower statements on either PostgreSQL driver: postgres.js (`postgres`) or node-postgres
// (`pg`), chosen by DB_DRIVER. Both use a pool of DB_POOL connections and prepared (named,
// server-side) statements, so every framework's app runs the same SQL through the same pool.
import pg from 'pg';
import { createDb, databaseUrl, poolSize } from './db.js';

export interface World { id: number; randomNumber: number }
export interface Fortune { id: number; message: string }

/** What the database tests need from a driver. */
export interface TfbStatements {
  readonly driver: DriverName;
  world(id: number): Promise<World>;
  fortunes(): Promise<Fortune[]>;
  allWorlds(): Promise<World[]>;
  /** Sets "randomNumber" of each `ids[i]` to `numbers[i]` in one statement (ids sorted by the caller). */
  updateWorlds(ids: number[], numbers: number[]): Promise<void>;
  end(): Promise<void>;
}

export const DRIVERS = ['pg', 'postgres'] as const;
export type DriverName = (typeof DRIVERS)[number];
export const DEFAULT_DRIVER: DriverName = 'pg';

/** DB_DRIVER (default pg); anything else is an error naming the choices. */
export function driverName(value: string | undefined = process.env.DB_DRIVER): DriverName {
  if (value === undefined || value === '') return DEFAULT_DRIVER;
  if ((DRIVERS as readonly string[]).includes(value)) return value as DriverName;
  throw new Error(`DB_DRIVER must be one of ${DRIVERS.join(', ')}, not "${value}"`);
}

const SQL = {
  world: 'SELECT id, "randomNumber" FROM "World" WHERE id = $1',
  fortunes: 'SELECT id, message FROM "Fortune"',
  allWorlds: 'SELECT id, "randomNumber" FROM "World"',
  update: `UPDATE "World" SET "randomNumber" = v.r
    FROM (SELECT unnest($1::int[]) AS id, unnest($2::int[]) AS r) AS v
    WHERE "World".id = v.id`,
} as const;

/**
 * postgres.js, written as its users write it: tagged templates, which it prepares (createDb turns
 * `prepare` on). The statements are the same text as SQL's.
 */
function postgresJs(url: string, max: number): TfbStatements {
  const sql = createDb(url, { max });
  return {
    driver: 'postgres',
    world: (id) => sql<World[]>`SELECT id, "randomNumber" FROM "World" WHERE id = ${id}`.then((rows) => rows[0]!),
    fortunes: () => sql<Fortune[]>`SELECT id, message FROM "Fortune"`,
    allWorlds: () => sql<World[]>`SELECT id, "randomNumber" FROM "World"`,
    updateWorlds: (ids, numbers) =>
      sql`UPDATE "World" SET "randomNumber" = v.r
        FROM (SELECT unnest(${ids}::int[]) AS id, unnest(${numbers}::int[]) AS r) AS v
        WHERE "World".id = v.id`.then(() => undefined),
    end: () => sql.end({ timeout: 5 }),
  };
}

/** node-postgres: `pg.Pool`; a query config with a `name` is prepared once per connection. */
function nodePostgres(url: string, max: number): TfbStatements {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 0, connectionTimeoutMillis: 10_000 });
  // An idle connection that fails (the server restarted) is dropped by the pool and replaced on
  // demand; without a listener its 'error' event would end the process.
  pool.on('error', (error) => console.error(`idle PostgreSQL connection dropped: ${error.message}`));
  const rows = <T extends pg.QueryResultRow>(name: keyof typeof SQL, values: unknown[] = []): Promise<T[]> =>
    pool.query<T>({ name, text: SQL[name], values }).then((result) => result.rows);
  return {
    driver: 'pg',
    world: (id) => rows<World>('world', [id]).then((r) => r[0]!),
    fortunes: () => rows<Fortune>('fortunes'),
    allWorlds: () => rows<World>('allWorlds'),
    updateWorlds: (ids, numbers) => rows('update', [ids, numbers]).then(() => undefined),
    end: () => pool.end(),
  };
}

/** The statements on the driver DB_DRIVER names, with DB_POOL connections (both read when called). */
export function openStatements(options: { driver?: DriverName; url?: string; max?: number } = {}): TfbStatements {
  const driver = options.driver ?? driverName();
  const url = options.url ?? databaseUrl();
  const max = options.max ?? poolSize();
  return driver === 'pg' ? nodePostgres(url, max) : postgresJs(url, max);
}
