import { Controller, Get, inject, type Ctx } from '@armature/core';
import { EMPTY_RESULT, ITEMS_SCHEMA, rangeQuery } from '../rules.js';
import { ItemsRepository } from '../items-repository.js';

/** async-db: a price range of the items table; an unavailable database answers the empty result. */
@Controller()
export class AsyncDbController {
  private readonly items = inject(ItemsRepository);

  @Get('/async-db', { schema: { response: { 200: ITEMS_SCHEMA } } })
  async range(ctx: Ctx) {
    const [min, max, limit] = rangeQuery(ctx.query);
    try {
      const items = await this.items.inPriceRange(min, max, limit);
      return { items, count: items.length };
    } catch {
      return EMPTY_RESULT;
    }
  }
}
