// The TechEmpower apps (benches/techempower/<framework>.ts), each started as a real process on
// a free port of 127.0.0.1 and checked over HTTP against TechEmpower's rules: headers, body
// shapes, count clamping, fortunes, updates persisted, cached queries.
// - without a database: plaintext and json answer, database routes fail without crashing;
// - against PostgreSQL at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test): all
//   seven test types. Skipped, with the reason printed, when it is not reachable.
// The Armature app loads '@armature/core' (the build): run `npm run build` first.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createDb, databaseUrl, type Sql } from '../database/db.js';
import { FORTUNES, setupDatabase } from '../database/setup.js';
import { DEFAULT_DRIVER, DRIVERS, driverName, openStatements } from '../database/drivers.js';
import { startExample, type ExampleProcess } from '../../packages/core/test/example-process.js';

interface World { id: number; randomNumber: number }

/** Every test type. */
const FULL = ['armature', 'fastify', 'express', 'hono', 'nestjs'];
/** plaintext and json only: the bare reference. */
const REFERENCE = 'node-http';

/** The Content-Type patterns of TechEmpower's verifier. */
const TYPES = {
  plaintext: /^text\/plain(; ?charset=utf-8)?$/i,
  json: /^application\/json(; ?charset=utf-8)?$/i,
  html: /^text\/html; ?charset=utf-8$/i,
};
/** The Date format the verifier expects (RFC 7231 IMF-fixdate). */
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

async function probe(url: string, timeoutMs = 2000): Promise<string | null> {
  const sql = createDb(url, { max: 1, connectTimeout: Math.ceil(timeoutMs / 1000) });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([sql`SELECT 1`, timeout]);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message || err.name : String(err);
  } finally {
    clearTimeout(timer);
    // Destroys any half-open connection; never wait on it longer than a moment.
    await Promise.race([sql.end({ timeout: 0 }).catch(() => {}), new Promise((r) => setTimeout(r, 500).unref())]);
  }
}

/** A port of 127.0.0.1 on which nothing listens (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the apps side by side; if one fails, stops the others and throws. */
async function startApps(names: readonly string[], env: Record<string, string>): Promise<Map<string, ExampleProcess>> {
  const started = await Promise.allSettled(names.map((name) => startExample(`benches/techempower/${name}.ts`, { HOST: '127.0.0.1', ...env })));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed !== undefined) {
    for (const s of started) if (s.status === 'fulfilled') s.value.kill();
    throw (failed as PromiseRejectedResult).reason;
  }
  return new Map(names.map((name, i) => [name, (started[i] as PromiseFulfilledResult<ExampleProcess>).value]));
}

/** SIGTERM: the app closes its server and pool and exits 0 within a few seconds. */
async function assertStopsCleanly(name: string, app: ExampleProcess): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), 8000)));
  const code = await Promise.race([app.stop('SIGTERM'), late]);
  clearTimeout(timer);
  app.kill();
  assert.equal(code, 0, `${name} exit after SIGTERM (stderr: ${app.stderr().slice(-500)})`);
}

/** GET; checks status 200 and the headers every test type requires; returns the body. */
async function get(base: string, path: string, type: keyof typeof TYPES): Promise<string> {
  const res = await fetch(base + path);
  const body = await res.text();
  assert.equal(res.status, 200, `${path}: ${body.slice(0, 200)}`);
  assert.ok(res.headers.get('server'), `${path}: Server header`);
  assert.match(res.headers.get('date') ?? '', HTTP_DATE, `${path}: Date header`);
  assert.match(res.headers.get('content-type') ?? '', TYPES[type], `${path}: Content-Type`);
  assert.equal(res.headers.get('content-length'), String(Buffer.byteLength(body)), `${path}: Content-Length`);
  return body;
}

const getJson = async <T>(base: string, path: string): Promise<T> => JSON.parse(await get(base, path, 'json')) as T;

function assertWorld(w: unknown, where: string): asserts w is World {
  assert.equal(typeof w, 'object', where);
  const row = w as World;
  assert.deepEqual(Object.keys(row).sort(), ['id', 'randomNumber'], where);
  assert.ok(Number.isInteger(row.id) && row.id >= 1 && row.id <= 10_000, `${where}: id ${row.id}`);
  assert.ok(Number.isInteger(row.randomNumber) && row.randomNumber >= 1 && row.randomNumber <= 10_000, `${where}: randomNumber ${row.randomNumber}`);
}

async function getWorlds(base: string, path: string, n: number): Promise<World[]> {
  const rows = await getJson<unknown>(base, path);
  assert.ok(Array.isArray(rows), `${path}: an array`);
  assert.equal(rows.length, n, path);
  rows.forEach((r) => assertWorld(r, path));
  return rows as World[];
}

/** The verifier's count cases, and a few more: 0, -1, 'foo', missing, empty, 501 → 500. */
function countCases(path: string, param: string): Array<[string, number]> {
  return [
    [`${path}?${param}=20`, 20], [`${path}?${param}=0`, 1], [`${path}?${param}=-1`, 1], [`${path}?${param}=foo`, 1],
    [path, 1], [`${path}?${param}=`, 1], [`${path}?${param}=501`, 500],
  ];
}

async function checkPlaintextAndJson(base: string): Promise<void> {
  assert.equal(await get(base, '/plaintext', 'plaintext'), 'Hello, World!');
  assert.deepEqual(await getJson(base, '/json'), { message: 'Hello, World!' });
}

const unescapeHtml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

async function checkFortunes(base: string): Promise<void> {
  const html = await get(base, '/fortunes', 'html');
  assert.ok(html.startsWith('<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>'));
  assert.ok(html.endsWith('</table></body></html>'));
  assert.ok(!html.includes('<script>'), 'the <script> fortune is escaped');
  assert.ok(html.includes('<tr><td>11</td><td>&lt;script&gt;alert(&quot;This should not be displayed in a browser alert box.&quot;);&lt;/script&gt;</td></tr>'));
  assert.ok(html.includes('aren&#39;t broken'));
  assert.ok(html.includes('<tr><td>0</td><td>Additional fortune added at request time.</td></tr>'));
  assert.ok(html.includes('<tr><td>12</td><td>フレームワークのベンチマーク</td></tr>'), 'UTF-8');
  const rows = [...html.matchAll(/<tr><td>(\d+)<\/td><td>(.*?)<\/td><\/tr>/g)].map((m) => ({ id: Number(m[1]), message: unescapeHtml(m[2]!) }));
  assert.equal(rows.length, 13);
  const messages = rows.map((r) => r.message);
  assert.deepEqual(messages, [...messages].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)), 'sorted by message');
  const expected = new Map<number, string>([...FORTUNES, [0, 'Additional fortune added at request time.']]);
  for (const r of rows) assert.equal(r.message, expected.get(r.id), `fortune ${r.id}`);
  assert.equal(rows[0]!.id, 11); // '<' sorts first
}

async function readWorlds(sql: Sql, ids: readonly number[]): Promise<Map<number, number>> {
  const stored = await sql<World[]>`SELECT id, "randomNumber" FROM "World" WHERE id = ANY(${ids}::int[])`;
  return new Map(stored.map((r) => [r.id, r.randomNumber]));
}

async function checkDatabaseTests(t: TestContext, base: string, sql: Sql): Promise<void> {
  await t.test('plaintext, json', () => checkPlaintextAndJson(base));

  await t.test('/db: one random row', async () => {
    const w = await getJson<unknown>(base, '/db');
    assert.ok(!Array.isArray(w), 'an object, not an array');
    assertWorld(w, '/db');
    assert.ok((await readWorlds(sql, [w.id])).has(w.id));
  });

  await t.test('/queries: N rows, clamped to 1..500', async () => {
    for (const [path, n] of countCases('/queries', 'queries')) await getWorlds(base, path, n);
  });

  await t.test('/fortunes: rows plus the added one, sorted, escaped', () => checkFortunes(base));

  await t.test('/cached-queries: N rows from the in-memory copy of World, clamped', async () => {
    for (const [path, n] of countCases('/cached-queries', 'count')) await getWorlds(base, path, n);
    // Filled from the database: most rows still agree with it (the other apps' updates change some).
    const rows = await getWorlds(base, '/cached-queries?count=500', 500);
    const stored = await readWorlds(sql, rows.map((r) => r.id));
    const agree = rows.filter((r) => stored.get(r.id) === r.randomNumber).length;
    assert.ok(agree >= 250, `${agree} of 500 cached rows agree with the database`);
  });

  await t.test('/updates: N rows get new numbers, persisted, clamped', async () => {
    for (const [path, n] of countCases('/updates', 'queries')) {
      const rows = await getWorlds(base, path, n);
      const stored = await readWorlds(sql, rows.map((r) => r.id));
      for (const r of rows) assert.equal(stored.get(r.id), r.randomNumber, `${path}: row ${r.id} persisted`);
    }
  });
}

test('TechEmpower apps without a database: plaintext and json answer, the rest fails cleanly', async (t) => {
  const nowhere = `postgres://postgres@127.0.0.1:${await closedPort()}/test`;
  const apps = await startApps([...FULL, REFERENCE], { DATABASE_URL: nowhere });
  try {
    for (const [name, app] of apps) {
      await t.test(name, async () => {
        const base = `http://127.0.0.1:${app.port}`;
        await checkPlaintextAndJson(base);
        if (name !== REFERENCE) {
          for (const path of ['/db', '/cached-queries?count=2']) {
            const res = await fetch(base + path);
            await res.arrayBuffer();
            assert.ok(res.status >= 500, `${path}: ${res.status}`);
          }
          await checkPlaintextAndJson(base); // still serving
        }
        await assertStopsCleanly(name, app);
      });
    }
  } finally {
    for (const app of apps.values()) app.kill();
  }
});

test('TechEmpower database tests on every framework (PostgreSQL)', async (t) => {
  const url = databaseUrl();
  const unreachable = await probe(url);
  if (unreachable !== null) {
    const reason = `PostgreSQL not reachable at ${url.replace(/\/\/[^@/]*@/, '//***@')}: ${unreachable}`;
    console.log(reason);
    t.skip(reason);
    return;
  }

  const sql: Sql = createDb(url, { max: 2, connectTimeout: 2 });
  let apps = new Map<string, ExampleProcess>();
  try {
    await t.test('setup is idempotent: 10,000 World rows, the 12 fortunes', async () => {
      await setupDatabase(sql);
      await setupDatabase(sql);
      const [w] = await sql<[{ n: number; lo: number; hi: number; rmin: number; rmax: number }]>`
        SELECT count(*)::int AS n, min(id) AS lo, max(id) AS hi, min("randomNumber") AS rmin, max("randomNumber") AS rmax FROM "World"`;
      assert.deepEqual([w.n, w.lo, w.hi], [10_000, 1, 10_000]);
      assert.ok(w.rmin >= 1 && w.rmax <= 10_000);
      const fortunes = await sql<Array<{ id: number; message: string }>>`SELECT id, message FROM "Fortune" ORDER BY id`;
      assert.deepEqual(fortunes.map((f) => [f.id, f.message]), FORTUNES.map(([id, m]) => [id, m]));
    });

    for (const driver of DRIVERS) {
      await t.test(`the ${driver} driver runs the statements every app uses`, async () => {
        const db = openStatements({ driver, url, max: 2 });
        try {
          assert.equal(db.driver, driver);
          const [expected] = await sql<[World]>`SELECT id, "randomNumber" FROM "World" WHERE id = 77`;
          assert.deepEqual({ ...(await db.world(77)) }, { ...expected });
          const fortunes = (await db.fortunes()).map((f) => [f.id, f.message]).sort((a, b) => Number(a[0]) - Number(b[0]));
          assert.deepEqual(fortunes, FORTUNES.map(([id, m]) => [id, m]));
          assert.equal((await db.allWorlds()).length, 10_000);
          const numbers = [1 + ((expected.randomNumber + 1) % 10_000), 9_999];
          await db.updateWorlds([77, 78], numbers);
          const after = await sql<World[]>`SELECT id, "randomNumber" FROM "World" WHERE id IN (77, 78) ORDER BY id`;
          assert.deepEqual(after.map((w) => w.randomNumber), numbers);
        } finally {
          await db.end();
        }
      });
    }

    // A small pool each: five apps share the server's connections with whatever else runs.
    apps = await startApps(FULL, { DATABASE_URL: url, DB_POOL: '4' });
    // One framework at a time, so that no other app's update lands between an update and its read-back.
    for (const [name, app] of apps) {
      await t.test(name, async (t) => {
        await checkDatabaseTests(t, `http://127.0.0.1:${app.port}`, sql);
        await t.test('SIGTERM: closes and exits 0', () => assertStopsCleanly(name, app));
      });
    }
  } finally {
    for (const app of apps.values()) app.kill();
    await sql.end({ timeout: 5 });
  }
});

test('DB_DRIVER: pg by default, postgres.js on request, anything else refused by name', () => {
  assert.equal(DEFAULT_DRIVER, 'pg');
  assert.equal(driverName(undefined), 'pg');
  assert.equal(driverName(''), 'pg');
  assert.equal(driverName('postgres'), 'postgres');
  assert.throws(() => driverName('mysql'), /DB_DRIVER must be one of pg, postgres, not "mysql"/);
});
