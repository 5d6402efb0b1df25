import { Controller, Get, NotFoundException, Post, Put, inject, type Ctx } from '@armature/core';
import { z } from 'zod';
import { ITEM_SCHEMA, PAGE_SCHEMA, listQuery } from '../rules.js';
import { ItemCache } from '../item-cache.js';
import { ItemsRepository } from '../items-repository.js';

const MAX_INT = 2147483647;
const id = z.number().int().min(1).max(MAX_INT);
const count = z.number().int().min(0).max(MAX_INT);
const label = z.string().min(1).max(200);
const createItem = { body: z.object({ id, name: label, category: label, price: count, quantity: count }), response: { 201: ITEM_SCHEMA } };
const updateItem = { body: z.object({ name: label, price: count, quantity: count }), response: { 200: ITEM_SCHEMA } };

/** A path id within the column's range, else 404 (it cannot name a row). */
function itemId(raw: string): number {
  const n = Number(raw);
  if (!(n >= 1 && n <= MAX_INT)) throw new NotFoundException(`No item ${raw.slice(0, 20)}`);
  return n;
}

/** crud: a paginated list, cache-aside single reads (X-Cache: MISS / HIT), upsert, update with invalidation. */
@Controller('/crud/items')
export class CrudController {
  private readonly items = inject(ItemsRepository);
  private readonly cache = inject(ItemCache);

  @Get('/', { schema: { response: { 200: PAGE_SCHEMA } } })
  async list(ctx: Ctx) {
    const { category, page, limit } = listQuery(ctx.query);
    const items = await this.items.page(category, limit, (page - 1) * limit);
    return { items, total: items.length, page, limit };
  }

  @Get('/:id<int>', { schema: { response: { 200: ITEM_SCHEMA } } })
  async show(ctx: Ctx<'/:id<int>'>) {
    const key = itemId(ctx.params.id);
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      ctx.set('X-Cache', 'HIT');
      return cached;
    }
    const item = await this.items.byId(key);
    if (item === undefined) throw new NotFoundException(`No item ${key}`);
    this.cache.set(key, item);
    ctx.set('X-Cache', 'MISS');
    return item;
  }

  @Post('/', { status: 201, schema: createItem })
  async create(ctx: Ctx<'/', typeof createItem>) {
    const item = await this.items.upsert(ctx.body);
    this.cache.invalidate(item.id);
    ctx.set('Location', `/crud/items/${item.id}`);
    return item;
  }

  @Put('/:id<int>', { schema: updateItem })
  async update(ctx: Ctx<'/:id<int>', typeof updateItem>) {
    const key = itemId(ctx.params.id);
    const item = await this.items.update(key, ctx.body);
    this.cache.invalidate(key);
    if (item === undefined) throw new NotFoundException(`No item ${key}`);
    return item;
  }
}
