// The pool (TfbDatabase: createDb(), the shared SQL) and the World cache as providers. The
// module loads the cache once the app is up and ends the pool when the app closes.
import { Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { TfbDatabase, WorldCache } from '../shared.js';

@Module({
  providers: [
    { provide: TfbDatabase, useFactory: () => new TfbDatabase() },
    { provide: WorldCache, useFactory: (db: TfbDatabase) => new WorldCache(db), inject: [TfbDatabase] },
  ],
  exports: [TfbDatabase, WorldCache],
})
export class DatabaseModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(TfbDatabase) private readonly db: TfbDatabase,
    @Inject(WorldCache) private readonly cache: WorldCache,
  ) {}

  onApplicationBootstrap() {
    this.cache.warm();
  }

  onModuleDestroy() {
    return this.db.end();
  }
}
