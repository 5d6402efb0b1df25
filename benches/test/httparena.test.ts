// The HttpArena entries (benches/httparena: Armature's, and the node:http and Fastify references
// the benchmark compares it with), each started as a real process serving every profile, checked
// against HttpArena's validation rules with real clients (curl, fetch, raw TCP): see
// benches/httparena/validation.ts. The database profiles need PostgreSQL at DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/test; the items table is created when missing) and
// are skipped, with the reason printed, when it cannot be reached.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dataDir } from '../httparena/config.js';
import { seedDatabase } from '../httparena/generate/database.js';
import { ensureDataFiles } from '../httparena/generate/files.js';
import { ENTRIES, startEntry, type EntryName, type RunningEntry } from '../httparena/entries.js';
import { httpArenaChecks } from '../httparena/validation.js';

let databaseProblem: string | null = null;

before(async () => {
  ensureDataFiles();
  try {
    await seedDatabase();
  } catch (error) {
    databaseProblem = `PostgreSQL not usable: ${(error as Error).message}`;
    console.log(`# database profiles skipped: ${databaseProblem}`);
  }
});

for (const entry of Object.keys(ENTRIES) as EntryName[]) {
  describe(`HttpArena entry: ${entry}`, () => {
    let running: RunningEntry;
    before(async () => {
      running = await startEntry(entry);
    });
    after(async () => {
      assert.equal(await running.stop(), 0, `${entry} exits cleanly on SIGTERM: ${running.stderr()}`);
    });

    const checks = httpArenaChecks((listener) => running.ports[listener]!, dataDir());
    for (const check of checks) {
      test(`${check.profile}: ${check.name}`, async (t) => {
        if (check.database && databaseProblem !== null) {
          t.skip(databaseProblem);
          return;
        }
        await check.run();
      });
    }
  });
}
