import { Controller, Get, inject, type Ctx } from '@armature/core';
import { PRICED_ITEMS_SCHEMA, intParam, pricedItems } from '../rules.js';
import { Dataset } from './dataset.service.js';

const pricedItemsRoute = { schema: { response: { 200: PRICED_ITEMS_SCHEMA } } } as const;

/** json, json-comp, json-tls, json-h2c: a slice of the dataset with a computed total, serialized per request. */
@Controller('/json')
export class JsonController {
  private readonly dataset = inject(Dataset);

  @Get('/:count<int>', pricedItemsRoute)
  slice(ctx: Ctx<'/:count<int>'>) {
    return pricedItems(this.dataset.items, Number(ctx.params.count), intParam(ctx.query.m, 1));
  }
}
