/** Registering a generated class in a module file: the shapes module literals come in, and what is left alone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { registerInModule } from '../src/generate/register.js';
import { pieceName, singular } from '../src/generate/names.js';

const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');

const reg = (source: string, list: 'imports' | 'controllers' | 'providers' = 'imports') => registerInModule(ts, source, 'a.module.ts', list, 'CatsModule', './cats/cats.module.js');

test('an empty @Module({}) gets the list', () => {
  assert.equal(reg("import { Module } from '@armature/core';\n\n@Module({})\nexport class AppModule {}\n"),
    "import { Module } from '@armature/core';\nimport { CatsModule } from './cats/cats.module.js';\n\n@Module({ imports: [CatsModule] })\nexport class AppModule {}\n");
});

test('a one-line list grows on its line; a multi-line one keeps its layout and trailing comma', () => {
  const one = reg("import { Module } from '@armature/core';\nimport { A } from './a.js';\n@Module({ imports: [A], providers: [] })\nexport class M {}\n");
  assert.match(one!, /@Module\(\{ imports: \[A, CatsModule\], providers: \[\] \}\)/);
  assert.match(one!, /import \{ A \} from '\.\/a\.js';\nimport \{ CatsModule \} from '\.\/cats\/cats\.module\.js';\n@Module/);
  const multi = reg("import { Module } from '@armature/core';\n@Module({\n  imports: [\n    A,\n    B,\n  ],\n})\nexport class M {}\n");
  assert.match(multi!, /imports: \[\n    A,\n    B,\n    CatsModule,\n  \],/);
  const noTrailing = reg("import { Module } from '@armature/core';\n@Module({\n  imports: [\n    A\n  ]\n})\nexport class M {}\n");
  assert.match(noTrailing!, /imports: \[\n    A,\n    CatsModule\n  \]/);
});

test('a missing list is added after the last property, multi-line or not', () => {
  const multi = reg("import { Module } from '@armature/core';\n@Module({\n  controllers: [X],\n})\nexport class M {}\n", 'imports');
  assert.match(multi!, /\{\n  controllers: \[X\],\n  imports: \[CatsModule\],\n\}/);
  const one = reg("import { Module } from '@armature/core';\n@Module({ controllers: [X] })\nexport class M {}\n");
  assert.match(one!, /@Module\(\{ controllers: \[X\], imports: \[CatsModule\] \}\)/);
});

test('already registered: null; no @Module literal or a list that is not an array: a readable error', () => {
  assert.equal(reg("import { Module } from '@armature/core';\nimport { CatsModule } from './cats/cats.module.js';\n@Module({ imports: [CatsModule] })\nexport class M {}\n"), null);
  assert.throws(() => reg('export class M {}\n'), /a\.module\.ts has no @Module\(\{ … \}\) to register CatsModule in/);
  assert.throws(() => reg("import { Module } from '@armature/core';\n@Module({ imports: list })\nexport class M {}\n"), /imports is not an array literal/);
});

test('names: kebab files, Pascal classes, singular entities, folders', () => {
  assert.deepEqual(pieceName('admin/UserProfiles'), { parents: ['admin'], kebab: 'user-profiles', pascal: 'UserProfiles', camel: 'userProfiles', entity: 'UserProfile' });
  assert.equal(pieceName('order_items').entity, 'OrderItem');
  assert.equal(pieceName('HTTPClient').kebab, 'http-client');
  for (const [plural, one] of [['categories', 'category'], ['boxes', 'box'], ['status', 'status'], ['class', 'class'], ['users', 'user'], ['matches', 'match']] as const) {
    assert.equal(singular(plural), one, plural);
  }
  assert.throws(() => pieceName('9lives'), /not a usable name/);
  assert.throws(() => pieceName('../x'), /not a usable folder name/);
  assert.throws(() => pieceName('///'), /not a usable name/);
});
