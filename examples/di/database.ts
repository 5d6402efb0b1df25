// A database-like in-memory store behind an InjectionToken, "connected" by an async factory at
// start-up and closed by a lifecycle hook at shutdown.
import { ConflictException, Injectable, InjectionToken, Module, inject, type OnModuleDestroy } from './armature.js';
import { ConfigService } from './config.js';

export interface Row { id: number }

/** The interface the services program against; tests replace it with overrideProvider(DATABASE). */
export interface Database {
  insert<T extends object>(table: string, row: T, unique?: keyof T): T & Row;
  find<T>(table: string, id: number): (T & Row) | undefined;
  all<T>(table: string): Array<T & Row>;
  close(): Promise<void>;
}

export const DATABASE = new InjectionToken<Database>('DATABASE');

export class InMemoryDatabase implements Database {
  private readonly tables = new Map<string, Map<number, Row>>();
  private nextId = 1;
  open = true;

  private table(name: string): Map<number, Row> {
    let t = this.tables.get(name);
    if (t === undefined) this.tables.set(name, (t = new Map()));
    return t;
  }
  insert<T extends object>(table: string, row: T, unique?: keyof T): T & Row {
    const t = this.table(table);
    if (unique !== undefined && [...t.values()].some((r) => (r as T)[unique] === row[unique])) {
      throw new ConflictException(`${table}.${String(unique)} must be unique: ${String(row[unique])} exists`);
    }
    const stored = { ...row, id: this.nextId++ };
    t.set(stored.id, stored);
    return stored;
  }
  find<T>(table: string, id: number): (T & Row) | undefined {
    return this.table(table).get(id) as (T & Row) | undefined;
  }
  all<T>(table: string): Array<T & Row> {
    return [...this.table(table).values()] as Array<T & Row>;
  }
  async close(): Promise<void> {
    this.open = false;
  }
}

/** Closes the connection once the server has drained. */
@Injectable()
class DatabaseLifecycle implements OnModuleDestroy {
  private readonly db = inject(DATABASE);
  onModuleDestroy() {
    return this.db.close();
  }
}

@Module({
  providers: [
    {
      provide: DATABASE,
      inject: [ConfigService],
      useFactory: async (config: ConfigService): Promise<Database> => {
        await new Promise((r) => setTimeout(r, config.get('connectDelay'))); // "connecting"
        return new InMemoryDatabase();
      },
    },
    DatabaseLifecycle,
  ],
  exports: [DATABASE],
})
export class DatabaseModule {}
