/**
 * What `armature generate` writes: one function per file, each given the piece's names and the
 * import paths it needs. Generated code follows the starter: TC39 decorators, `inject()`, tests
 * with the testing module under test/, run by `tsx --test`.
 */
import type { PieceName } from './names.js';

/** Import specifiers a template needs (relative, with `.js`, as NodeNext wants). */
export interface TemplatePaths {
  /** From the test file to the piece's folder under src/ (`../src/cats`). */
  readonly fromTest: string;
}

// ---- module --------------------------------------------------------------------------------

export function moduleFile(n: PieceName, parts: { controller?: boolean; service?: boolean } = {}): string {
  const imports = ["import { Module } from '@armature/core';"];
  const meta: string[] = [];
  if (parts.controller) {
    imports.push(`import { ${n.pascal}Controller } from './${n.kebab}.controller.js';`);
    meta.push(`controllers: [${n.pascal}Controller]`);
  }
  if (parts.service) {
    imports.push(`import { ${n.pascal}Service } from './${n.kebab}.service.js';`);
    meta.push(`providers: [${n.pascal}Service]`, `exports: [${n.pascal}Service]`);
  }
  const body = meta.length === 0 ? '{}' : `{\n  ${meta.join(',\n  ')},\n}`;
  return `/** The ${n.kebab} feature: what it is made of. Import it where it is needed. */
${imports.join('\n')}

@Module(${body})
export class ${n.pascal}Module {}
`;
}

export function moduleTest(n: PieceName, p: TemplatePaths): string {
  return `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Test } from '@armature/core/testing';
import { ${n.pascal}Module } from '${p.fromTest}/${n.kebab}.module.js';

test('${n.pascal}Module compiles and shuts down', async () => {
  const mod = await Test.createTestingModule({ imports: [${n.pascal}Module] }).compile();
  const app = await mod.createApp();
  assert.equal((await app.inject('/${n.kebab}-does-not-exist')).statusCode, 404);
  await mod.close();
});
`;
}

// ---- controller ----------------------------------------------------------------------------

export function controllerFile(n: PieceName): string {
  return `/** Routes under /${n.kebab}. Strings are sent as text/plain, objects and arrays as JSON. */
import { Controller, Get, type Ctx } from '@armature/core';

@Controller('/${n.kebab}')
export class ${n.pascal}Controller {
  /** GET /${n.kebab} */
  @Get()
  findAll() {
    return [];
  }

  /** GET /${n.kebab}/:id */
  @Get('/:id')
  findOne(ctx: Ctx<'/:id'>) {
    return { id: ctx.params.id };
  }
}
`;
}

export function controllerTest(n: PieceName, p: TemplatePaths): string {
  return `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Test } from '@armature/core/testing';
import { ${n.pascal}Controller } from '${p.fromTest}/${n.kebab}.controller.js';

test('${n.pascal}Controller answers GET /${n.kebab} and GET /${n.kebab}/:id', async () => {
  const mod = await Test.createTestingModule({ controllers: [${n.pascal}Controller] }).compile();
  const app = await mod.createApp();
  const list = await app.inject('/${n.kebab}');
  assert.equal(list.statusCode, 200);
  assert.deepEqual(list.json(), []);
  assert.deepEqual((await app.inject('/${n.kebab}/7')).json(), { id: '7' });
  await mod.close();
});
`;
}

// ---- service -------------------------------------------------------------------------------

export function serviceFile(n: PieceName): string {
  return `/** The ${n.kebab} logic: injected with inject(${n.pascal}Service), replaced by a fake in tests. */
import { Injectable } from '@armature/core';

@Injectable()
export class ${n.pascal}Service {}
`;
}

export function serviceTest(n: PieceName, p: TemplatePaths): string {
  return `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Test } from '@armature/core/testing';
import { ${n.pascal}Service } from '${p.fromTest}/${n.kebab}.service.js';

test('${n.pascal}Service is provided as a singleton', async () => {
  const mod = await Test.createTestingModule({ providers: [${n.pascal}Service] }).compile();
  const service = mod.get(${n.pascal}Service);
  assert.ok(service instanceof ${n.pascal}Service);
  assert.equal(mod.get(${n.pascal}Service), service);
  await mod.close();
});
`;
}

// ---- guard, interceptor, middleware -----------------------------------------------------------

export function guardFile(n: PieceName): string {
  return `/**
 * A guard: runs before validation and the handler of the routes it guards
 * (@UseGuards(${n.pascal}Guard) on a controller or a method); false answers 403 Forbidden,
 * a thrown HttpError (UnauthorizedException…) answers its own status.
 */
import { Injectable, type CanActivate, type Context } from '@armature/core';

@Injectable()
export class ${n.pascal}Guard implements CanActivate {
  canActivate(ctx: Context): boolean | Promise<boolean> {
    void ctx; // decide from ctx.get('authorization'), ctx.params, an injected service…
    return true;
  }
}
`;
}

export function guardTest(n: PieceName, p: TemplatePaths): string {
  return `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, UseGuards } from '@armature/core';
import { Test } from '@armature/core/testing';
import { ${n.pascal}Guard } from '${p.fromTest}/${n.kebab}.guard.js';

@Controller('/guarded')
@UseGuards(${n.pascal}Guard)
class GuardedController {
  @Get()
  show() {
    return 'through';
  }
}

test('${n.pascal}Guard lets requests through', async () => {
  const mod = await Test.createTestingModule({ controllers: [GuardedController] }).compile();
  const app = await mod.createApp();
  const r = await app.inject('/guarded');
  assert.equal(r.statusCode, 200);
  assert.equal(r.body, 'through');
  await mod.close();
});

test('a guard that refuses answers 403 (${n.pascal}Guard replaced)', async () => {
  const mod = await Test.createTestingModule({ controllers: [GuardedController] })
    .overrideGuard(${n.pascal}Guard)
    .useValue({ canActivate: () => false })
    .compile();
  const app = await mod.createApp();
  assert.equal((await app.inject('/guarded')).statusCode, 403);
  await mod.close();
});
`;
}

export function interceptorFile(n: PieceName): string {
  return `/**
 * An interceptor: runs around validation and the handler of the routes it is used on
 * (@UseInterceptors(${n.pascal}Interceptor)); next() runs the rest and returns its result, which
 * this may replace. Here: the time the rest took, in a Server-Timing header.
 */
import { Injectable, type CallHandler, type Context, type Interceptor } from '@armature/core';

@Injectable()
export class ${n.pascal}Interceptor implements Interceptor {
  async intercept(ctx: Context, next: CallHandler): Promise<unknown> {
    const started = performance.now();
    const result = await next();
    ctx.set('Server-Timing', \`handler;dur=\${(performance.now() - started).toFixed(1)}\`);
    return result;
  }
}
`;
}

export function interceptorTest(n: PieceName, p: TemplatePaths): string {
  return `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, UseInterceptors } from '@armature/core';
import { Test } from '@armature/core/testing';
import { ${n.pascal}Interceptor } from '${p.fromTest}/${n.kebab}.interceptor.js';

@Controller('/intercepted')
@UseInterceptors(${n.pascal}Interceptor)
class InterceptedController {
  @Get()
  show() {
    return { ok: true };
  }
}

test('${n.pascal}Interceptor runs around the handler and keeps its answer', async () => {
  const mod = await Test.createTestingModule({ controllers: [InterceptedController] }).compile();
  const app = await mod.createApp();
  const r = await app.inject('/intercepted');
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json(), { ok: true });
  assert.match(String(r.headers['server-timing']), /^handler;dur=\\d+\\.\\d$/);
  await mod.close();
});
`;
}

export function middlewareFile(n: PieceName): string {
  return `/**
 * A middleware class: apply it in a module's configure(consumer)
 * (\`consumer.apply(${n.pascal}Middleware).forRoutes('*')\`); it may inject services.
 * Here: an X-Response-Time header on every answer it sees.
 */
import { Injectable, type Context, type InjectableMiddleware, type Next } from '@armature/core';

@Injectable()
export class ${n.pascal}Middleware implements InjectableMiddleware {
  async use(ctx: Context, next: Next): Promise<unknown> {
    const started = performance.now();
    ctx.set('X-Response-Time', \`\${(performance.now() - started).toFixed(1)}ms\`);
    return next();
  }
}
`;
}

export function middlewareTest(n: PieceName, p: TemplatePaths): string {
  return `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, Module, type ConfiguresMiddleware, type MiddlewareConsumer } from '@armature/core';
import { Test } from '@armature/core/testing';
import { ${n.pascal}Middleware } from '${p.fromTest}/${n.kebab}.middleware.js';

@Controller('/')
class PingController {
  @Get('/ping')
  ping() {
    return 'pong';
  }
}

@Module({ controllers: [PingController] })
class PingModule implements ConfiguresMiddleware {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(${n.pascal}Middleware).forRoutes('*');
  }
}

test('${n.pascal}Middleware sees every answer, 404s included', async () => {
  const mod = await Test.createTestingModule({ imports: [PingModule] }).compile();
  const app = await mod.createApp();
  const r = await app.inject('/ping');
  assert.equal(r.body, 'pong');
  assert.match(String(r.headers['x-response-time']), /^\\d+\\.\\dms$/);
  assert.match(String((await app.inject('/nowhere')).headers['x-response-time']), /ms$/);
  await mod.close();
});
`;
}
