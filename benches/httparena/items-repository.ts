// The items table of the database profiles, the same for every entry here (as the TechEmpower
// apps share benches/database/drivers.ts): one node-postgres pool of DATABASE_MAX_CONN
// connections and named statements (prepared once per connection), so that the entries are
// compared on their own work, not on different drivers. The pool connects on the first query:
// an entry starts without PostgreSQL.
import pg from 'pg';
import { databaseMaxConnections, databaseSchema, databaseUrl } from './config.js';
import { SQL, itemOf, type Item, type ItemInput, type ItemRow } from './rules.js';

export class ItemsRepository {
  private readonly pool = new pg.Pool({
    connectionString: databaseUrl(),
    max: databaseMaxConnections(),
    options: `-c search_path=${databaseSchema()},public`,
    connectionTimeoutMillis: 5000,
  });

  constructor() {
    // an idle connection that breaks (server restart) must not take the process with it
    this.pool.on('error', () => {});
  }

  private async rows(name: string, text: string, values: unknown[]): Promise<Item[]> {
    const result = await this.pool.query<ItemRow>({ name, text, values });
    return result.rows.map(itemOf);
  }

  inPriceRange(min: number, max: number, limit: number): Promise<Item[]> {
    return this.rows('items-range', SQL.range, [min, max, limit]);
  }

  page(category: string, limit: number, offset: number): Promise<Item[]> {
    return this.rows('items-page', SQL.list, [category, limit, offset]);
  }

  async byId(id: number): Promise<Item | undefined> {
    return (await this.rows('items-by-id', SQL.byId, [id]))[0];
  }

  async upsert(input: ItemInput): Promise<Item> {
    return (await this.rows('items-upsert', SQL.upsert, [input.id, input.name, input.category, input.price, input.quantity]))[0]!;
  }

  async update(id: number, input: Omit<ItemInput, 'id' | 'category'>): Promise<Item | undefined> {
    return (await this.rows('items-update', SQL.update, [id, input.name, input.price, input.quantity]))[0];
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
