/**
 * `armature generate resource <name> --crud`: a schema file (Zod: what the request bodies and
 * params must be, and the entity's type), a service holding the entities, a controller with the
 * five CRUD routes validated by those schemas, and their tests.
 */
import type { PieceName } from './names.js';
import type { TemplatePaths } from './templates.js';

const schemaFileName = (n: PieceName): string => `${n.kebab}.schema`;

export function crudSchemaFile(n: PieceName): string {
  const e = n.entity;
  return `/**
 * What the ${n.kebab} routes accept, checked before the handler runs (a 400 problem document lists
 * every issue), and the types the handlers get. Zod here; any Standard Schema validator works.
 */
import { z } from 'zod';

/** Route params: /${n.kebab}/:id, id a positive integer. */
export const ${e}Id = z.object({ id: z.coerce.number().int().positive() });

/** The body of POST /${n.kebab}. */
export const Create${e} = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
});
export type Create${e} = z.output<typeof Create${e}>;

/** The body of PATCH /${n.kebab}/:id: any of the fields. */
export const Update${e} = Create${e}.partial();
export type Update${e} = z.output<typeof Update${e}>;

/** A stored ${e}. */
export interface ${e} extends Create${e} {
  id: number;
}
`;
}

export function crudServiceFile(n: PieceName): string {
  const e = n.entity;
  return `/** The ${n.kebab}, kept in memory: replace the Map with your database. */
import { Injectable, NotFoundException } from '@armature/core';
import type { ${e}, Create${e}, Update${e} } from './${schemaFileName(n)}.js';

@Injectable()
export class ${n.pascal}Service {
  private readonly items = new Map<number, ${e}>();
  private nextId = 1;

  findAll(): ${e}[] {
    return [...this.items.values()];
  }

  findOne(id: number): ${e} {
    const item = this.items.get(id);
    if (item === undefined) throw new NotFoundException(\`${e} \${id} not found\`);
    return item;
  }

  create(input: Create${e}): ${e} {
    const item: ${e} = { ...input, id: this.nextId++ };
    this.items.set(item.id, item);
    return item;
  }

  update(id: number, input: Update${e}): ${e} {
    const item: ${e} = { ...this.findOne(id), ...input, id };
    this.items.set(id, item);
    return item;
  }

  remove(id: number): void {
    this.findOne(id);
    this.items.delete(id);
  }
}
`;
}

export function crudControllerFile(n: PieceName): string {
  const e = n.entity;
  return `/** CRUD routes under /${n.kebab}: params and bodies validated by ${schemaFileName(n)}.ts before the handlers run. */
import { Controller, Delete, Get, Patch, Post, inject, type Ctx } from '@armature/core';
import { ${e}Id, Create${e}, Update${e} } from './${schemaFileName(n)}.js';
import { ${n.pascal}Service } from './${n.kebab}.service.js';

const byId = { params: ${e}Id };
const create = { body: Create${e} };
const update = { params: ${e}Id, body: Update${e} };

@Controller('/${n.kebab}')
export class ${n.pascal}Controller {
  private readonly ${n.camel} = inject(${n.pascal}Service);

  /** GET /${n.kebab} */
  @Get()
  findAll() {
    return this.${n.camel}.findAll();
  }

  /** GET /${n.kebab}/:id (404 when there is none) */
  @Get('/:id', { schema: byId })
  findOne(ctx: Ctx<'/:id', typeof byId>) {
    return this.${n.camel}.findOne(ctx.params.id);
  }

  /** POST /${n.kebab} → 201 and the created ${e} */
  @Post('/', { status: 201, schema: create })
  create(ctx: Ctx<'/', typeof create>) {
    return this.${n.camel}.create(ctx.body);
  }

  /** PATCH /${n.kebab}/:id */
  @Patch('/:id', { schema: update })
  update(ctx: Ctx<'/:id', typeof update>) {
    return this.${n.camel}.update(ctx.params.id, ctx.body);
  }

  /** DELETE /${n.kebab}/:id → 204 */
  @Delete('/:id', { status: 204, schema: byId })
  remove(ctx: Ctx<'/:id', typeof byId>) {
    this.${n.camel}.remove(ctx.params.id);
  }
}
`;
}

export function crudControllerTest(n: PieceName, p: TemplatePaths): string {
  const e = n.entity;
  return `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Test } from '@armature/core/testing';
import { ${n.pascal}Module } from '${p.fromTest}/${n.kebab}.module.js';

async function start() {
  const mod = await Test.createTestingModule({ imports: [${n.pascal}Module] }).compile();
  return { mod, app: await mod.createApp() };
}

test('${n.kebab}: create, read, update, delete', async () => {
  const { mod, app } = await start();
  const created = await app.inject({ method: 'POST', url: '/${n.kebab}', body: { name: 'First' } });
  assert.equal(created.statusCode, 201);
  const item = created.json<{ id: number; name: string }>();
  assert.equal(item.name, 'First');
  assert.deepEqual((await app.inject('/${n.kebab}')).json(), [item]);
  assert.deepEqual((await app.inject(\`/${n.kebab}/\${item.id}\`)).json(), item);
  const updated = await app.inject({ method: 'PATCH', url: \`/${n.kebab}/\${item.id}\`, body: { description: 'changed' } });
  assert.deepEqual(updated.json(), { ...item, description: 'changed' });
  assert.equal((await app.inject({ method: 'DELETE', url: \`/${n.kebab}/\${item.id}\` })).statusCode, 204);
  assert.equal((await app.inject(\`/${n.kebab}/\${item.id}\`)).statusCode, 404);
  await mod.close();
});

test('${n.kebab}: bad bodies and ids are 400s listing the issues; unknown ids 404', async () => {
  const { mod, app } = await start();
  const bad = await app.inject({ method: 'POST', url: '/${n.kebab}', body: { name: '', description: 7 } });
  assert.equal(bad.statusCode, 400);
  const issues = bad.json<{ issues: { in: string; path: string }[] }>().issues;
  assert.deepEqual(issues.map((i) => i.path).sort(), ['/description', '/name']);
  assert.ok(issues.every((i) => i.in === 'body'));
  assert.equal((await app.inject('/${n.kebab}/not-a-number')).statusCode, 400);
  assert.equal((await app.inject({ method: 'PATCH', url: '/${n.kebab}/999', body: {} })).statusCode, 404);
  assert.equal((await app.inject({ method: 'POST', url: '/${n.kebab}', body: 'not json', headers: { 'content-type': 'text/plain' } })).statusCode, 415);
  await mod.close();
});

test('${n.pascal}Service replaced by a fake', async () => {
  const fake: ${e} = { id: 1, name: 'Fake' };
  const mod = await Test.createTestingModule({ imports: [${n.pascal}Module] })
    .overrideProvider(${n.pascal}Service)
    .useValue({ findAll: () => [fake] })
    .compile();
  const app = await mod.createApp();
  assert.deepEqual((await app.inject('/${n.kebab}')).json(), [fake]);
  await mod.close();
});
`.replace(
    `import { ${n.pascal}Module } from '${p.fromTest}/${n.kebab}.module.js';`,
    `import { ${n.pascal}Module } from '${p.fromTest}/${n.kebab}.module.js';\nimport { ${n.pascal}Service } from '${p.fromTest}/${n.kebab}.service.js';\nimport type { ${e} } from '${p.fromTest}/${schemaFileName(n)}.js';`,
  );
}

export function crudServiceTest(n: PieceName, p: TemplatePaths): string {
  const e = n.entity;
  return `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundException } from '@armature/core';
import { ${n.pascal}Service } from '${p.fromTest}/${n.kebab}.service.js';

test('${n.pascal}Service keeps ${n.kebab} by id', () => {
  const service = new ${n.pascal}Service();
  const a = service.create({ name: 'a' });
  const b = service.create({ name: 'b' });
  assert.notEqual(a.id, b.id);
  assert.deepEqual(service.findAll(), [a, b]);
  assert.deepEqual(service.update(a.id, { name: 'A' }), { id: a.id, name: 'A' });
  service.remove(b.id);
  assert.throws(() => service.findOne(b.id), NotFoundException);
  assert.equal(service.findAll().length, 1);
});

test('${n.pascal}Service: a missing ${e} is a 404', () => {
  assert.throws(() => new ${n.pascal}Service().remove(42), (e: unknown) => e instanceof NotFoundException && e.status === 404);
});
`;
}
