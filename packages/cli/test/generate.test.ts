/**
 * The round trip a user makes: `armature new`, then `armature generate` of every kind, then the
 * app type-checks, builds with `armature build`, and its tests — the generated ones — pass.
 * (scripts/pack-test.mjs does the same from the published tarballs, with a real npm install.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { armature, linkNodeModules, node, remove, repoRoot, tempDir } from './app-dir.js';

const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
const tsxCli = join(repoRoot, 'node_modules/tsx/dist/cli.mjs');

test('new, then generate every kind: the app type-checks, builds and passes its generated tests', { timeout: 300_000 }, () => {
  const cwd = tempDir();
  try {
    const created = armature(cwd, 'new', 'shop', '--skip-install');
    assert.equal(created.status, 0, created.stderr);
    const app = join(cwd, 'shop');
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
    assert.equal(pkg.scripts.dev, 'armature dev');
    assert.equal(pkg.scripts.build, 'armature build');
    assert.match(pkg.devDependencies['@armature/cli'], /^\^\d/);
    const readme = readFileSync(join(app, 'README.md'), 'utf8');
    assert.match(readme, /^\| `npm run dev` \| runs `src\/main\.ts` with `armature dev`/m, 'the README says what the scripts run');
    assert.doesNotMatch(readme, /tsx watch/);
    assert.match(readme, /^\| `npm run routes` \|/m);
    linkNodeModules(app);

    const steps: string[][] = [
      ['generate', 'module', 'users'],
      ['g', 'controller', 'users'],
      ['g', 'service', 'users'],
      ['generate', 'resource', 'categories', '--crud'],
      ['g', 'resource', 'admin/reports'],
      ['g', 'guard', 'auth'],
      ['g', 'interceptor', 'timing'],
      ['g', 'middleware', 'request-log'],
    ];
    for (const args of steps) {
      const r = armature(app, ...args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, /^CREATE /m);
    }
    const root = readFileSync(join(app, 'src/app.module.ts'), 'utf8');
    for (const m of ['UsersModule', 'CategoriesModule', 'ReportsModule']) assert.match(root, new RegExp(`imports: \\[.*${m}`), `${m} registered in AppModule`);
    assert.match(root, /import \{ ReportsModule \} from '\.\/admin\/reports\/reports\.module\.js';/);
    const users = readFileSync(join(app, 'src/users/users.module.ts'), 'utf8');
    assert.match(users, /controllers: \[UsersController\]/);
    assert.match(users, /providers: \[UsersService\]/);
    const schema = readFileSync(join(app, 'src/categories/categories.schema.ts'), 'utf8');
    assert.match(schema, /export const CreateCategory = z\.object/);

    const typecheck = node(app, tsc, '--noEmit', '-p', '.');
    assert.equal(typecheck.status, 0, typecheck.stdout + typecheck.stderr);
    const built = armature(app, 'build');
    assert.equal(built.status, 0, built.stdout + built.stderr);
    assert.ok(existsSync(join(app, 'dist/categories/categories.controller.js')));
    const tests = node(app, tsxCli, '--test', '--test-reporter=tap', ...['hello', 'users.module', 'users.controller', 'users.service', 'categories.controller', 'categories.service', 'reports.controller', 'reports.service', 'auth.guard', 'timing.interceptor', 'request-log.middleware'].map((f) => `test/${f}.test.ts`));
    assert.equal(tests.status, 0, tests.stdout.slice(-4000) + tests.stderr);
    assert.match(tests.stdout, /^# fail 0$/m);
    const passed = Number(/^# pass (\d+)$/m.exec(tests.stdout)?.[1]);
    assert.equal(passed, 16, "every generated test ran");
  } finally {
    remove(cwd);
  }
});

test('generate refuses to overwrite, unknown kinds and unusable names, with exit code 1 and one line', () => {
  const cwd = tempDir();
  try {
    assert.equal(armature(cwd, 'new', 'app', '--skip-install').status, 0);
    const app = join(cwd, 'app');
    linkNodeModules(app);
    assert.equal(armature(app, 'g', 'service', 'mail').status, 0);
    const again = armature(app, 'g', 'service', 'mail');
    assert.equal(again.status, 1);
    assert.match(again.stderr, /^armature: not overwriting src\/mail\/mail\.service\.ts, test\/mail\.service\.test\.ts\n$/);
    const kind = armature(app, 'g', 'widget', 'x');
    assert.equal(kind.status, 1);
    assert.match(kind.stderr, /unknown kind "widget": one of module, controller/);
    assert.match(armature(app, 'g', 'module', '123').stderr, /not a usable name/);
    assert.match(armature(app, 'g', 'module', 'a', '--crud').stderr, /--crud is for resources/);
    assert.match(armature(app, 'g', 'module', 'a', '--bogus').stderr, /Unknown option '--bogus'/);
    const dry = armature(app, 'g', 'resource', 'orders', '--crud', '--dry-run');
    assert.equal(dry.status, 0);
    assert.match(dry.stdout, /CREATE src\/orders\/orders\.controller\.ts/);
    assert.match(dry.stdout, /UPDATE src\/app\.module\.ts/);
    assert.ok(!existsSync(join(app, 'src/orders')), 'a dry run writes nothing');
    assert.doesNotMatch(readFileSync(join(app, 'src/app.module.ts'), 'utf8'), /OrdersModule/);
    const flat = armature(app, 'g', 'controller', 'status', '--flat', '--no-test', '--skip-import');
    assert.equal(flat.stdout, 'CREATE src/status.controller.ts\n');
    assert.doesNotMatch(readFileSync(join(app, 'src/app.module.ts'), 'utf8'), /StatusController/);
  } finally {
    remove(cwd);
  }
});

test('new refuses a directory that is not empty; the command without arguments prints the usage', () => {
  const cwd = tempDir();
  try {
    assert.equal(armature(cwd, 'new', 'app', '--skip-install').status, 0);
    const again = armature(cwd, 'new', 'app', '--skip-install');
    assert.equal(again.status, 1);
    assert.match(again.stderr, /exists and is not an empty directory/);
    const none = armature(cwd);
    assert.equal(none.status, 1);
    assert.match(none.stdout, /usage: armature <command>/);
    assert.match(armature(cwd, 'frobnicate').stderr, /unknown command "frobnicate"/);
    assert.match(armature(cwd, '--version').stdout, /^\d+\.\d+\.\d+\n$/);
    assert.match(armature(cwd, 'g', 'module', 'x').stderr, /^armature: no package\.json in /);
  } finally {
    remove(cwd);
  }
});
