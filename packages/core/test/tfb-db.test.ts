// TechEmpower database test types (benches/techempower/armature-db.ts) against PostgreSQL at
// DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test). Skips when it is not reachable.
// Only '@armature/core' (the build) is loaded, through the bench app: run `npm run build` first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDb, databaseUrl, type Sql } from '../../../benches/database/db.js';
import { FORTUNES, setupDatabase } from '../../../benches/database/setup.js';
import { createTfbApp } from '../../../benches/techempower/armature-db.js';

interface World { id: number; randomNumber: number }

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

function assertWorld(w: unknown): asserts w is World {
  assert.equal(typeof w, 'object');
  const row = w as World;
  assert.deepEqual(Object.keys(row).sort(), ['id', 'randomNumber']);
  assert.ok(Number.isInteger(row.id) && row.id >= 1 && row.id <= 10_000, `id ${row.id}`);
  assert.ok(Number.isInteger(row.randomNumber) && row.randomNumber >= 1 && row.randomNumber <= 10_000, `randomNumber ${row.randomNumber}`);
}

test('TechEmpower database tests on Armature (PostgreSQL)', async (t) => {
  const url = databaseUrl();
  const unreachable = await probe(url);
  if (unreachable !== null) {
    const reason = `PostgreSQL not reachable at ${url.replace(/\/\/[^@/]*@/, '//***@')}: ${unreachable}`;
    console.log(reason);
    t.skip(reason);
    return;
  }

  const sql: Sql = createDb(url, { max: 2, connectTimeout: 2 });
  let app: Awaited<ReturnType<typeof createTfbApp>> | undefined;
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

    app = await createTfbApp({ shutdownHooks: false });
    const a = app;

    await t.test('plaintext and json', async () => {
      const plain = await a.inject('/plaintext');
      assert.equal(plain.statusCode, 200);
      assert.equal(plain.body, 'Hello, World!');
      assert.equal(plain.headers['content-type'], 'text/plain');
      assert.equal(plain.headers['content-length'], '13');
      const json = await a.inject('/json');
      assert.deepEqual(json.json(), { message: 'Hello, World!' });
      assert.equal(json.headers['content-type'], 'application/json');
    });

    await t.test('/db: one random row', async () => {
      const res = await a.inject('/db');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/json');
      assert.equal(res.headers['content-length'], String(Buffer.byteLength(res.body)));
      const w = res.json();
      assertWorld(w);
      const [stored] = await sql<World[]>`SELECT id, "randomNumber" FROM "World" WHERE id = ${w.id}`;
      assert.equal(stored!.id, w.id);
    });

    await t.test('/queries: N rows, clamped to 1..500', async () => {
      const cases: Array<[string, number]> = [
        ['/queries?queries=20', 20], ['/queries?queries=0', 1], ['/queries?queries=501', 500],
        ['/queries?queries=foo', 1], ['/queries', 1], ['/queries?queries=', 1], ['/queries?queries=-3', 1],
      ];
      for (const [url, n] of cases) {
        const res = await a.inject(url);
        assert.equal(res.statusCode, 200, url);
        assert.equal(res.headers['content-type'], 'application/json');
        const rows = res.json<unknown[]>();
        assert.ok(Array.isArray(rows), url);
        assert.equal(rows.length, n, url);
        rows.forEach(assertWorld);
      }
    });

    await t.test('/fortunes: all rows plus the added one, sorted, escaped', async () => {
      const res = await a.inject('/fortunes');
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(res.headers['content-length'], String(Buffer.byteLength(res.body)));
      const html = res.body;
      assert.ok(html.startsWith('<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>'));
      assert.ok(html.endsWith('</table></body></html>'));
      assert.ok(!html.includes('<script>'));
      assert.ok(html.includes('<tr><td>11</td><td>&lt;script&gt;alert(&quot;This should not be displayed in a browser alert box.&quot;);&lt;/script&gt;</td></tr>'));
      assert.ok(html.includes('aren&#39;t broken'));
      assert.ok(html.includes('<tr><td>0</td><td>Additional fortune added at request time.</td></tr>'));
      assert.ok(html.includes('フレームワークのベンチマーク'));
      const rows = [...html.matchAll(/<tr><td>(\d+)<\/td><td>(.*?)<\/td><\/tr>/g)].map((m) => ({ id: Number(m[1]), message: m[2]! }));
      assert.equal(rows.length, 13);
      const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
      const messages = rows.map((r) => unescape(r.message));
      assert.deepEqual(messages, [...messages].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
      assert.deepEqual(rows.map((r) => r.id).sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      assert.equal(rows[0]!.id, 11); // '<' sorts first
    });

    await t.test('/updates: rows get new numbers, persisted', async () => {
      for (const [url, n] of [['/updates?queries=0', 1], ['/updates?queries=foo', 1], ['/updates', 1], ['/updates?queries=501', 500]] as const) {
        const res = await a.inject(url);
        assert.equal(res.statusCode, 200, url);
        assert.equal(res.json<unknown[]>().length, n, url);
      }
      const res = await a.inject('/updates?queries=20');
      assert.equal(res.headers['content-type'], 'application/json');
      const rows = res.json<World[]>();
      assert.equal(rows.length, 20);
      rows.forEach(assertWorld);
      const ids = rows.map((r) => r.id);
      const stored = await sql<World[]>`SELECT id, "randomNumber" FROM "World" WHERE id = ANY(${ids}::int[])`;
      const byId = new Map(stored.map((r) => [r.id, r.randomNumber]));
      for (const r of rows) assert.equal(byId.get(r.id), r.randomNumber, `row ${r.id} persisted`);
    });

    await t.test('/cached-queries: N rows from the start-up cache, clamped', async () => {
      for (const [url, n] of [['/cached-queries?count=10', 10], ['/cached-queries?count=0', 1], ['/cached-queries?count=501', 500], ['/cached-queries?count=foo', 1], ['/cached-queries', 1]] as const) {
        const res = await a.inject(url);
        assert.equal(res.statusCode, 200, url);
        assert.equal(res.headers['content-type'], 'application/json');
        const rows = res.json<unknown[]>();
        assert.equal(rows.length, n, url);
        rows.forEach(assertWorld);
      }
    });

    await t.test('over the wire: Server, Date, Content-Type, Content-Length', async () => {
      const { port } = await a.listen({ port: 0, host: '127.0.0.1' });
      for (const [path, type] of [['/db', 'application/json'], ['/fortunes', 'text/html; charset=utf-8'], ['/queries?queries=2', 'application/json']] as const) {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        const body = await res.text();
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('server'), 'Armature');
        assert.ok(!Number.isNaN(Date.parse(res.headers.get('date') ?? '')), 'Date header');
        assert.equal(res.headers.get('content-type'), type);
        assert.equal(res.headers.get('content-length'), String(Buffer.byteLength(body)));
      }
    });
  } finally {
    await app?.close(); // ends the app's pool (onModuleDestroy)
    await sql.end({ timeout: 5 });
  }
});
