// TechEmpower database tests (db, queries, fortunes, updates, cached-queries) plus plaintext and
// json, written the way an Armature application would be: modules, DI, controllers.
// Prepare the database: npx tsx benches/database/setup.ts
// Run: PORT=8080 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx benches/techempower/armature-db.ts
import { pathToFileURL } from 'node:url';
import {
  Armature,
  Controller,
  Get,
  Injectable,
  InjectionToken,
  Module,
  inject,
  type ArmatureOptions,
  type Ctx,
  type OnModuleDestroy,
} from '@armature/core';
import { createDb, databaseUrl, type Sql } from '../database/db.js';

export interface World { id: number; randomNumber: number }
export interface Fortune { id: number; message: string }

export const SQL = new InjectionToken<Sql>('SQL');
export const WORLD_CACHE = new InjectionToken<ReadonlyMap<number, World>>('WORLD_CACHE');

const WORLD_ROWS = 10_000;
const JSON_TYPE = 'application/json';
const HTML_TYPE = 'text/html; charset=utf-8';

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

@Injectable()
export class WorldRepository {
  private readonly sql = inject(SQL);

  async find(id: number): Promise<World> {
    const [row] = await this.sql<World[]>`SELECT id, "randomNumber" FROM "World" WHERE id = ${id}`;
    return row!;
  }

  /** Persists new numbers in one batched UPDATE (ids sorted so concurrent updates cannot deadlock). */
  async updateNumbers(changes: ReadonlyMap<number, number>): Promise<void> {
    const ids = [...changes.keys()].sort((a, b) => a - b);
    const numbers = ids.map((id) => changes.get(id)!);
    await this.sql`
      UPDATE "World" SET "randomNumber" = v.r
      FROM (SELECT unnest(${ids}::int[]) AS id, unnest(${numbers}::int[]) AS r) AS v
      WHERE "World".id = v.id`;
  }
}

@Injectable()
export class FortuneRepository {
  private readonly sql = inject(SQL);

  all(): Promise<Fortune[]> {
    return this.sql<Fortune[]>`SELECT id, message FROM "Fortune"`;
  }
}

/** Ends the pool once the server has drained. */
@Injectable()
class DatabaseLifecycle implements OnModuleDestroy {
  private readonly sql = inject(SQL);
  onModuleDestroy() {
    return this.sql.end({ timeout: 5 });
  }
}

@Controller()
export class TfbController {
  private readonly worlds = inject(WorldRepository);
  private readonly fortunes = inject(FortuneRepository);
  private readonly cache = inject(WORLD_CACHE);

  @Get('/plaintext')
  plaintext(ctx: Ctx) {
    ctx.res.setHeader('Content-Type', 'text/plain');
    return 'Hello, World!';
  }

  @Get('/json')
  json(ctx: Ctx) {
    ctx.res.setHeader('Content-Type', JSON_TYPE);
    return { message: 'Hello, World!' };
  }

  @Get('/db')
  async db(ctx: Ctx) {
    ctx.res.setHeader('Content-Type', JSON_TYPE);
    return this.worlds.find(randomId());
  }

  @Get('/queries')
  async queries(ctx: Ctx) {
    ctx.res.setHeader('Content-Type', JSON_TYPE);
    const n = parseCount(ctx.query.queries);
    const pending: Array<Promise<World>> = [];
    for (let i = 0; i < n; i++) pending.push(this.worlds.find(randomId()));
    return Promise.all(pending);
  }

  @Get('/fortunes')
  async fortunesPage(ctx: Ctx) {
    const rows = await this.fortunes.all();
    rows.push({ id: 0, message: 'Additional fortune added at request time.' });
    rows.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
    let html = '<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>';
    for (const f of rows) html += `<tr><td>${f.id}</td><td>${escapeHtml(f.message)}</td></tr>`;
    html += '</table></body></html>';
    ctx.res.setHeader('Content-Type', HTML_TYPE);
    return html;
  }

  @Get('/updates')
  async updates(ctx: Ctx) {
    ctx.res.setHeader('Content-Type', JSON_TYPE);
    const n = parseCount(ctx.query.queries);
    const pending: Array<Promise<World>> = [];
    for (let i = 0; i < n; i++) pending.push(this.worlds.find(randomId()));
    const rows = await Promise.all(pending);
    const changes = new Map<number, number>();
    for (const row of rows) changes.set(row.id, randomId());
    // A repeated id gets one new number, so the response matches what was persisted.
    for (const row of rows) row.randomNumber = changes.get(row.id)!;
    await this.worlds.updateNumbers(changes);
    return rows;
  }

  @Get('/cached-queries')
  cachedQueries(ctx: Ctx) {
    ctx.res.setHeader('Content-Type', JSON_TYPE);
    const n = parseCount(ctx.query.count);
    const out: World[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.cache.get(randomId())!;
    return out;
  }
}

@Module({
  controllers: [TfbController],
  providers: [
    { provide: SQL, useFactory: () => createDb(databaseUrl()) },
    {
      provide: WORLD_CACHE,
      inject: [SQL],
      useFactory: async (sql: Sql): Promise<ReadonlyMap<number, World>> => {
        const rows = await sql<World[]>`SELECT id, "randomNumber" FROM "World"`;
        return new Map(rows.map((r) => [r.id, { id: r.id, randomNumber: r.randomNumber }]));
      },
    },
    WorldRepository,
    FortuneRepository,
    DatabaseLifecycle,
  ],
})
export class AppModule {}

/** Builds the application without listening (tests call inject(); main.ts calls listen()). */
export function createTfbApp(options: ArmatureOptions = {}): Promise<Armature> {
  return Armature.create(AppModule, { serverName: 'Armature', ...options });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = await createTfbApp();
  const port = Number(process.env.PORT ?? 8080);
  await app.listen({ port, host: process.env.HOST ?? '127.0.0.1' });
  console.log(`armature tfb (database) listening on ${port}`);
}
