// `npm run httparena:setup`: the data files (dataset, static files, certificate) and the items
// table in PostgreSQL at DATABASE_URL. Both steps are skipped when already done; a database that
// cannot be reached is reported, and the profiles without one still run.
import { dataDir, databaseSchema, databaseUrl } from './config.js';
import { seedDatabase } from './generate/database.js';
import { ensureDataFiles } from './generate/files.js';

const wrote = ensureDataFiles();
console.log(`data files in ${dataDir()}: ${wrote ? 'generated' : 'present'}`);
try {
  const done = await seedDatabase();
  console.log(`items table (${databaseSchema()}.items at ${databaseUrl()}): ${done}`);
} catch (error) {
  console.error(`items table not created, the database profiles will answer empty results: ${(error as Error).message}`);
  process.exitCode = 1;
}
