// The items table of the database profiles (async-db, crud, api-4, api-16): 100,000 rows after
// HttpArena's scripts/generate-pgdb.py — each row borrows a name and a category from the
// dataset, gets 1–4 tags from the dataset's tags, a price of 1–500 (no index on price: the
// range query scans), a quantity of 1–1000, a rating — created in DATABASE_SCHEMA (default
// httparena) so that it stays apart from other users of the database. Rows go in with
// unnest() over arrays, 10,000 a statement.
import pg from 'pg';
import { databaseSchema, databaseUrl } from '../config.js';
import { generateDataset } from './dataset.js';
import { SeededRandom } from './random.js';

export const ITEM_ROWS = 100_000;
const BATCH = 10_000;
/** The table's comment once it is complete; a new value when the generated rows change. */
const MARK = 'httparena items v2';

/** Whether the schema holds a complete items table of this version. */
async function seeded(client: pg.Client, schema: string): Promise<boolean> {
  const table = await client.query('SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2', [schema, 'items']);
  if (table.rowCount === 0) return false;
  const mark = await client.query<{ mark: string | null }>('SELECT obj_description($1::regclass) AS mark', [`${schema}.items`]);
  return mark.rows[0]?.mark === MARK;
}

/** Creates and fills the items table unless it is complete already; resolves with what it did. */
export async function seedDatabase(url: string = databaseUrl(), schema: string = databaseSchema()): Promise<'seeded' | 'present'> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    if (await seeded(client, schema)) return 'present';
    const dataset = generateDataset();
    const names = dataset.map((d) => d.name);
    const categories = dataset.map((d) => d.category);
    const tags = [...new Set(dataset.flatMap((d) => d.tags))].sort();
    const random = new SeededRandom(42);
    await client.query('BEGIN');
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`DROP TABLE IF EXISTS ${schema}.items`);
    await client.query(`CREATE TABLE ${schema}.items (
      id INTEGER PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL, price INTEGER NOT NULL,
      quantity INTEGER NOT NULL, active BOOLEAN NOT NULL, tags JSONB NOT NULL,
      rating_score INTEGER NOT NULL, rating_count INTEGER NOT NULL)`);
    for (let start = 1; start <= ITEM_ROWS; start += BATCH) {
      const cols: unknown[][] = [[], [], [], [], [], [], [], [], []];
      for (let id = start; id < start + BATCH && id <= ITEM_ROWS; id++) {
        const row = [id, `${random.pick(names)} ${id}`, random.pick(categories), random.int(1, 500), random.int(1, 1000), random.next() < 0.5, JSON.stringify(random.sample(tags, random.int(1, 4))), random.int(1, 50), random.int(1, 500)];
        for (let c = 0; c < row.length; c++) cols[c]!.push(row[c]);
      }
      await client.query(
        `INSERT INTO ${schema}.items SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::int[], $6::bool[], $7::jsonb[], $8::int[], $9::int[])`,
        cols,
      );
    }
    await client.query(`COMMENT ON TABLE ${schema}.items IS '${MARK}'`);
    await client.query('COMMIT');
    await client.query(`ANALYZE ${schema}.items`);
    return 'seeded';
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
