// Creates and fills the TechEmpower tables (idempotent): "World" with exactly 10,000 rows
// (ids 1..10000, randomNumber 1..10000) and "Fortune" with the 12 standard rows.
// Run: npx tsx benches/database/setup.ts   (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
import { pathToFileURL } from 'node:url';
import { createDb, databaseUrl, type Sql } from './db.js';

export const WORLD_ROWS = 10_000;

export const FORTUNES: ReadonlyArray<readonly [number, string]> = [
  [1, 'fortune: No such file or directory'],
  [2, "A computer scientist is someone who fixes things that aren't broken."],
  [3, 'After enough decimal places, nobody gives a damn.'],
  [4, 'A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1'],
  [5, 'A computer program does what you tell it to do, not what you want it to do.'],
  [6, 'Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen'],
  [7, 'Any program that runs right is obsolete.'],
  [8, 'A list is only as strong as its weakest link. — Donald Knuth'],
  [9, 'Feature: A bug with seniority.'],
  [10, 'Computers make very fast, very accurate mistakes.'],
  [11, '<script>alert("This should not be displayed in a browser alert box.");</script>'],
  [12, 'フレームワークのベンチマーク'],
];

export async function setupDatabase(sql: Sql): Promise<void> {
  await sql.begin(async (tx) => {
    // Serialise concurrent setups (e.g. two test processes).
    await tx`SELECT pg_advisory_xact_lock(7272)`;
    await tx`CREATE TABLE IF NOT EXISTS "World" (id integer PRIMARY KEY, "randomNumber" integer NOT NULL)`;
    await tx`CREATE TABLE IF NOT EXISTS "Fortune" (id integer PRIMARY KEY, message varchar(2048) NOT NULL)`;

    await tx`DELETE FROM "World" WHERE id < 1 OR id > ${WORLD_ROWS}`;
    await tx`
      INSERT INTO "World" (id, "randomNumber")
      SELECT g, floor(random() * ${WORLD_ROWS})::int + 1 FROM generate_series(1, ${WORLD_ROWS}::int) AS g
      ON CONFLICT (id) DO NOTHING`;
    await tx`
      UPDATE "World" SET "randomNumber" = floor(random() * ${WORLD_ROWS})::int + 1
      WHERE "randomNumber" < 1 OR "randomNumber" > ${WORLD_ROWS}`;

    const ids = FORTUNES.map(([id]) => id);
    const messages = FORTUNES.map(([, message]) => message);
    await tx`DELETE FROM "Fortune" WHERE NOT (id = ANY(${ids}::int[]))`;
    await tx`
      INSERT INTO "Fortune" (id, message)
      SELECT * FROM unnest(${ids}::int[], ${messages}::text[])
      ON CONFLICT (id) DO UPDATE SET message = EXCLUDED.message`;
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sql = createDb(databaseUrl(), { max: 1 });
  try {
    await setupDatabase(sql);
    const [{ worlds, fortunes }] = await sql<[{ worlds: number; fortunes: number }]>`
      SELECT (SELECT count(*)::int FROM "World") AS worlds, (SELECT count(*)::int FROM "Fortune") AS fortunes`;
    console.log(`database ready: ${worlds} World rows, ${fortunes} Fortune rows`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
