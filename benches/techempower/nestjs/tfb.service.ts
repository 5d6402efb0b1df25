import { Inject, Injectable } from '@nestjs/common';
import { TfbDatabase, WorldCache, randomId, renderFortunes, type World } from '../shared.js';

@Injectable()
export class WorldService {
  constructor(
    @Inject(TfbDatabase) private readonly db: TfbDatabase,
    @Inject(WorldCache) private readonly cache: WorldCache,
  ) {}

  random(): Promise<World> {
    return this.db.world(randomId());
  }

  many(count: number): Promise<World[]> {
    return this.db.randomWorlds(count);
  }

  update(count: number): Promise<World[]> {
    return this.db.updateRandomWorlds(count);
  }

  cached(count: number): World[] | Promise<World[]> {
    return this.cache.sample(count);
  }
}

@Injectable()
export class FortuneService {
  constructor(@Inject(TfbDatabase) private readonly db: TfbDatabase) {}

  async page(): Promise<string> {
    return renderFortunes(await this.db.fortunes());
  }
}
