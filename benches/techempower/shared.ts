// What every framework's TechEmpower app shares: the rules of the test types (the count
// parameter, random ids, the fortunes page), the SQL (the same statements on one pool, postgres.js or
// node-postgres, from ../database/drivers.ts) and the cache of the cached-queries test. Each app keeps its own
// routing, headers, serialization and wiring (DI, hooks), written the way its framework does it.
import { openStatements, type Fortune, type TfbStatements, type World } from '../database/drivers.js';

export type { Fortune, World };

export const WORLD_ROWS = 10_000;
export const HELLO = 'Hello, World!';
export const TEXT_TYPE = 'text/plain';
export const JSON_TYPE = 'application/json';
export const HTML_TYPE = 'text/html; charset=utf-8';

/** A random World id, 1..10000. */
export const randomId = (): number => ((Math.random() * WORLD_ROWS) | 0) + 1;

/** TechEmpower's count parameter: integer clamped to 1..500, missing or not a number → 1. */
export function parseCount(value: unknown): number {
  const raw = Array.isArray(value) ? value[0] : value;
  const n = typeof raw === 'string' ? Number.parseInt(raw, 10) : Number.NaN;
  if (Number.isNaN(n) || n < 1) return 1;
  return n > 500 ? 500 : n;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export const ADDITIONAL_FORTUNE = 'Additional fortune added at request time.';

/** The fortunes template: one table row a fortune, messages escaped. */
function fortunesTemplate(fortunes: readonly Fortune[]): string {
  let html = '<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>';
  for (const f of fortunes) html += `<tr><td>${f.id}</td><td>${escapeHtml(f.message)}</td></tr>`;
  return html + '</table></body></html>';
}

/** The fortunes page: the rows read plus one added at request time, sorted by message. */
export function renderFortunes(rows: Fortune[]): string {
  rows.push({ id: 0, message: ADDITIONAL_FORTUNE });
  rows.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  return fortunesTemplate(rows);
}

/**
 * The database tests on one pool (`openStatements()` in ../database/drivers.ts: the driver
 * DB_DRIVER names, DB_POOL connections, prepared statements). The pool connects on the first
 * query, so an app that only serves plaintext and json runs without PostgreSQL.
 */
export class TfbDatabase {
  constructor(readonly statements: TfbStatements = openStatements()) {}

  world(id: number): Promise<World> {
    return this.statements.world(id);
  }

  /** `n` random rows, one query each (no IN, no batching), sent concurrently. */
  randomWorlds(n: number): Promise<World[]> {
    const pending: Array<Promise<World>> = new Array(n);
    for (let i = 0; i < n; i++) pending[i] = this.statements.world(randomId());
    return Promise.all(pending);
  }

  /**
   * `n` random rows read one by one, each given a new randomNumber, persisted in one batched
   * UPDATE (ids sorted, so concurrent requests cannot deadlock). A repeated id gets one new
   * number, so the rows returned match what was persisted.
   */
  async updateRandomWorlds(n: number): Promise<World[]> {
    const rows = await this.randomWorlds(n);
    const changes = new Map<number, number>();
    for (const row of rows) changes.set(row.id, randomId());
    for (const row of rows) row.randomNumber = changes.get(row.id)!;
    const ids = [...changes.keys()].sort((a, b) => a - b);
    await this.statements.updateWorlds(ids, ids.map((id) => changes.get(id)!));
    return rows;
  }

  fortunes(): Promise<Fortune[]> {
    return this.statements.fortunes();
  }

  allWorlds(): Promise<World[]> {
    return this.statements.allWorlds();
  }

  end(): Promise<void> {
    return this.statements.end();
  }
}

/**
 * The in-memory copy of "World" for the cached-queries test, read from the database. `warm()`
 * starts loading it at start-up without waiting; if PostgreSQL is not reachable then, the next
 * `sample()` tries again (a request arriving while it loads waits for it).
 */
export class WorldCache {
  private worlds: Map<number, World> | null = null;
  private loading: Promise<Map<number, World>> | null = null;

  constructor(private readonly db: TfbDatabase) {}

  load(): Promise<Map<number, World>> {
    if (this.worlds !== null) return Promise.resolve(this.worlds);
    this.loading ??= this.db.allWorlds().then(
      (rows) => (this.worlds = new Map(rows.map((r) => [r.id, { id: r.id, randomNumber: r.randomNumber }]))),
      (error: unknown) => {
        this.loading = null;
        throw error;
      },
    );
    return this.loading;
  }

  /** Starts loading; a failure is reported, not thrown (plaintext and json need no database). */
  warm(): void {
    this.load().catch((error: unknown) => {
      console.error(`World cache not loaded (${error instanceof Error ? error.message : String(error)}); /cached-queries will retry`);
    });
  }

  /** `n` random rows from the cache: an array once loaded, a promise before. */
  sample(n: number): World[] | Promise<World[]> {
    return this.worlds !== null ? pick(this.worlds, n) : this.load().then((worlds) => pick(worlds, n));
  }
}

function pick(worlds: ReadonlyMap<number, World>, n: number): World[] {
  const out: World[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = worlds.get(randomId())!;
  return out;
}
