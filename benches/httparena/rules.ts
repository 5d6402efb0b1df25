// The rules of HttpArena's profiles that every entry here (Armature, node:http, Fastify) applies
// the same way: how query parameters are read and clamped, what a dataset item and a database
// row look like in a response, the SQL. Routing, body reading, serialization, compression and
// caching stay each entry's own, written the way its framework does them.

/** An item of dataset.json (json profiles) and of the items table, as it is answered. */
export interface Item {
  id: number;
  name: string;
  category: string;
  price: number;
  quantity: number;
  active: boolean;
  tags: string[];
  rating: { score: number; count: number };
}

export interface PricedItem extends Item {
  total: number;
}

/** A query parameter as an integer, or `fallback` when missing or not an integer. */
export function intParam(value: unknown, fallback: number): number {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string' || !/^-?\d{1,9}$/.test(raw)) return fallback;
  return Number(raw);
}

const clamp = (n: number, min: number, max: number): number => (n < min ? min : n > max ? max : n);

/** baseline: a + b (+ the body's integer on POST); a missing or malformed number counts 0. */
export function baselineSum(a: unknown, b: unknown, body?: string): number {
  let sum = intParam(a, 0) + intParam(b, 0);
  if (body !== undefined) sum += intParam(body.trim(), 0);
  return sum;
}

/** json: the first `count` items (clamped to 1..dataset length), each with total = price × quantity × m (m defaults to 1). */
export function pricedItems(dataset: readonly Item[], count: number, m: number): { items: PricedItem[]; count: number } {
  const n = clamp(count, 1, dataset.length);
  const items: PricedItem[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const d = dataset[i]!;
    items[i] = { id: d.id, name: d.name, category: d.category, price: d.price, quantity: d.quantity, active: d.active, tags: d.tags, rating: d.rating, total: d.price * d.quantity * m };
  }
  return { items, count: n };
}

/** async-db: min (default 10), max (default 50), limit (default 50, clamped to 1..50). */
export function rangeQuery(query: { min?: unknown; max?: unknown; limit?: unknown }): [min: number, max: number, limit: number] {
  return [intParam(query.min, 10), intParam(query.max, 50), clamp(intParam(query.limit, 50), 1, 50)];
}

/** crud list: category (default electronics), page (default 1, at least 1), limit (default 10, 1..50). */
export function listQuery(query: { category?: unknown; page?: unknown; limit?: unknown }): { category: string; page: number; limit: number } {
  const category = typeof query.category === 'string' && query.category !== '' ? query.category : 'electronics';
  return { category, page: Math.max(1, intParam(query.page, 1)), limit: clamp(intParam(query.limit, 10), 1, 50) };
}

/** The answer when PostgreSQL is unavailable or nothing matches. */
export const EMPTY_RESULT = { items: [] as Item[], count: 0 };

const COLUMNS = 'id, name, category, price, quantity, active, tags, rating_score, rating_count';

export const SQL = {
  range: `SELECT ${COLUMNS} FROM items WHERE price BETWEEN $1 AND $2 LIMIT $3`,
  list: `SELECT ${COLUMNS} FROM items WHERE category = $1 ORDER BY id LIMIT $2 OFFSET $3`,
  byId: `SELECT ${COLUMNS} FROM items WHERE id = $1`,
  upsert: `INSERT INTO items (id, name, category, price, quantity, active, tags, rating_score, rating_count)
    VALUES ($1, $2, $3, $4, $5, true, '[]', 0, 0)
    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category, price = EXCLUDED.price, quantity = EXCLUDED.quantity
    RETURNING ${COLUMNS}`,
  update: `UPDATE items SET name = $2, price = $3, quantity = $4 WHERE id = $1 RETURNING ${COLUMNS}`,
} as const;

export interface ItemRow {
  id: number;
  name: string;
  category: string;
  price: number;
  quantity: number;
  active: boolean;
  tags: string[];
  rating_score: number;
  rating_count: number;
}

/** A row with rating_score and rating_count folded into `rating`. */
export const itemOf = (r: ItemRow): Item => ({
  id: r.id,
  name: r.name,
  category: r.category,
  price: r.price,
  quantity: r.quantity,
  active: r.active,
  tags: r.tags,
  rating: { score: r.rating_score, count: r.rating_count },
});

/** The body of POST /crud/items (upsert) and PUT /crud/items/:id, checked by each entry. */
export interface ItemInput {
  id: number;
  name: string;
  category: string;
  price: number;
  quantity: number;
}

/** The cache-aside rule of crud: single-item reads are kept 200 ms from when they were read. */
export const CACHE_TTL_MS = 200;

/** JSON Schema of an item, for the entries that compile response serializers from schemas. */
export const ITEM_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    category: { type: 'string' },
    price: { type: 'integer' },
    quantity: { type: 'integer' },
    active: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    rating: { type: 'object', properties: { score: { type: 'integer' }, count: { type: 'integer' } }, required: ['score', 'count'] },
  },
  required: ['id', 'name', 'category', 'price', 'quantity', 'active', 'tags', 'rating'],
} as const;

export const PRICED_ITEMS_SCHEMA = {
  type: 'object',
  properties: {
    items: { type: 'array', items: { ...ITEM_SCHEMA, properties: { ...ITEM_SCHEMA.properties, total: { type: 'integer' } }, required: [...ITEM_SCHEMA.required, 'total'] } },
    count: { type: 'integer' },
  },
  required: ['items', 'count'],
} as const;

export const ITEMS_SCHEMA = {
  type: 'object',
  properties: { items: { type: 'array', items: ITEM_SCHEMA }, count: { type: 'integer' } },
  required: ['items', 'count'],
} as const;

export const PAGE_SCHEMA = {
  type: 'object',
  properties: { items: { type: 'array', items: ITEM_SCHEMA }, total: { type: 'integer' }, page: { type: 'integer' }, limit: { type: 'integer' } },
  required: ['items', 'total', 'page', 'limit'],
} as const;
