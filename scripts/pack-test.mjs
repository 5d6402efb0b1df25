#!/usr/bin/env node
/**
 * The packages as a user gets them: `npm pack` of every package under packages/, then, in a clean
 * temporary directory outside the repository (nothing to find in a parent node_modules):
 *   1. an app that installs only the tarballs (their dependencies come from the npm registry),
 *      uses every package, builds with its own `tsc` (skipLibCheck off, so the shipped
 *      declarations are checked too), runs with plain `node` and answers a request;
 *   2. the starter (create-armature, run from its own tarball) scaffolds an app, which installs
 *      the local @armature/core tarball, builds, runs its tests, starts and answers a route;
 *   3. the CLI (@armature/cli, from its tarball) makes an app with `armature new`, generates every
 *      kind of piece into it (a CRUD resource included), builds it with `armature build`, runs
 *      the generated tests, lists its routes and answers a generated route.
 * A file missing from a tarball or a dependency resolved only through the workspace fails here.
 *
 *   node scripts/pack-test.mjs                  pack, then both checks, with the node on PATH
 *   PACK_DIR=<dir> node scripts/pack-test.mjs   pack into <dir> (kept) instead of the temporary one
 *   REUSE=1 PACK_DIR=<dir> ...                  use the tarballs already in <dir> (e.g. a second Node)
 *   KEEP=1 ...                                  leave the temporary directory for inspection
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const rootManifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'armature-pack-'));
const started = Date.now();
const children = new Set();

/** CPU seconds (user + system) of the children waited for so far, from /proc (Linux; 0 elsewhere). */
function childCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in USER_HZ (100)
  } catch {
    return 0;
  }
}

function step(text) {
  console.log(`-- ${text} (${((Date.now() - started) / 1000).toFixed(1)} s, children's CPU ${childCpu().toFixed(1)} s)`);
}

function run(cmd, args, cwd, env = {}) {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} (in ${cwd}) failed with ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
    throw new Error(`${cmd} ${args[0] ?? ''} failed`);
  }
  return r.stdout;
}

const NPM_QUIET = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

/** Packs every package under packages/ into `dir` (prepack builds each from clean). */
function packAll(dir) {
  mkdirSync(dir, { recursive: true });
  const workspaces = readdirSync(join(ROOT, 'packages')).sort().flatMap((name) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', name, 'package.json'), 'utf8'));
    return manifest.private ? [] : ['-w', `packages/${name}`];
  });
  run('npm', ['pack', '--silent', '--pack-destination', dir, ...workspaces], ROOT);
  return dir;
}

function tarballs(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.tgz')).sort();
  const find = (prefix) => {
    const f = files.find((x) => x.startsWith(prefix));
    if (!f) throw new Error(`no ${prefix}*.tgz in ${dir}`);
    return join(dir, f);
  };
  return {
    all: files.filter((f) => f.startsWith('armature-') || f.startsWith('create-armature-')).map((f) => join(dir, f)),
    core: find('armature-core-'),
    cli: find('armature-cli-'),
    starter: find('create-armature-'),
  };
}

/** Starts `node <file>` in `cwd`, resolves with the port it prints in `listening on http://host:port`. */
function start(file, cwd) {
  const child = spawn(process.execPath, [file], { cwd, env: { ...process.env, PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start in 30 s:\n${out}`)), 30_000);
    const read = (d) => {
      out += d;
      const m = /listening on http:\/\/[^\s:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code}:\n${out}`));
    });
  });
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function expectResponse(port, path, check) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'accept-language': 'fr' } });
  const body = await res.text();
  if (!check(res, body)) throw new Error(`GET ${path} answered ${res.status} ${JSON.stringify(body)}`);
  console.log(`   GET ${path} → ${res.status} ${body.length > 80 ? `${body.slice(0, 80)}…` : body}`);
}

const APP_MAIN = `/** An app written against the published packages only. */
import { createApp, Controller, Get, Injectable, Module, Armature, inject, HttpError } from '@armature/core';
import { createI18n, getT } from '@armature/i18n';
import * as compression from '@armature/compression';
import * as middleware from '@armature/middleware';
import { loadConfig } from '@armature/config';

@Injectable()
class Greeter {
  greet(name: string): string {
    return \`Hello, \${name}!\`;
  }
}

@Controller('/greet')
class GreetController {
  private readonly greeter = inject(Greeter);
  @Get('/:name')
  show(ctx: { params: { name: string } }) {
    return { message: this.greeter.greet(ctx.params.name) };
  }
}

@Module({ controllers: [GreetController], providers: [Greeter] })
class AppModule {}

const i18n = createI18n({ defaultLocale: 'en', messages: { en: { hi: 'Hi {name}' }, fr: { hi: 'Salut {name}' } } });
const plain = createApp();
plain.use(i18n.middleware());
plain.get('/hi', (ctx) => getT(ctx)('hi', { name: 'Ada' }));
plain.get('/boom', () => {
  throw new HttpError(418, 'short and stout');
});
const answered = await plain.inject({ url: '/hi', headers: { 'accept-language': 'fr' } });
if (answered.body !== 'Salut Ada') throw new Error(\`i18n answered \${answered.body}\`);
if ((await plain.inject('/boom')).statusCode !== 418) throw new Error('HttpError status lost');
const config = await loadConfig({ envFile: false, env: { GREETING: 'hi' } });
if (config.get('GREETING') !== 'hi') throw new Error('config lost a value');
void compression;
void middleware;

const app = await Armature.create(AppModule);
const { port } = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(\`tarball app listening on http://127.0.0.1:\${port}\`);
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: false,
    types: ['node'],
    outDir: 'dist',
    rootDir: 'src',
  },
  include: ['src'],
};

/** 1: an app on every tarball. */
async function tarballApp(packed) {
  const dir = join(work, 'app');
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'tarball-app', private: true, type: 'module' }, null, 2));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  writeFileSync(join(dir, 'src', 'main.ts'), APP_MAIN);
  step('tarball app: npm install of the tarballs, typescript and @types/node');
  const ts = rootManifest.devDependencies.typescript;
  const types = rootManifest.devDependencies['@types/node'];
  run('npm', ['install', ...NPM_QUIET, ...packed.all, `typescript@${ts}`, `@types/node@${types}`], dir);
  step('tarball app: tsc');
  run(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], dir);
  step('tarball app: node dist/main.js');
  const { child, port } = await start('dist/main.js', dir);
  try {
    await expectResponse(port, '/greet/Ada', (res, body) => res.status === 200 && JSON.parse(body).message === 'Hello, Ada!');
    await expectResponse(port, '/nowhere', (res) => res.status === 404);
  } finally {
    await stop(child);
  }
}

/** 2: the starter, scaffolded from its tarball, on the core tarball. */
async function starterApp(packed) {
  step('starter: npm exec create-armature my-app (from its tarball)');
  run('npm', ['exec', '--yes', ...NPM_QUIET, `--package=${packed.starter}`, '--', 'create-armature', 'my-app'], work);
  const dir = join(work, 'my-app');
  step('starter: npm install (the local @armature/core tarball, dev dependencies from the registry)');
  run('npm', ['install', ...NPM_QUIET, packed.core], dir);
  step('starter: npm run build');
  run('npm', ['run', 'build', '--silent'], dir);
  step('starter: npm test');
  const tests = run('npm', ['test', '--silent'], dir);
  const passed = /# pass (\d+)|ℹ pass (\d+)/.exec(tests);
  if (!passed || Number(passed[1] ?? passed[2]) === 0) throw new Error(`the starter's tests ran none:\n${tests}`);
  console.log(`   ${passed[0].replace(/^# |^ℹ /, '')} test(s) passed`);
  step('starter: npm start, then a request');
  const { child, port } = await start('dist/main.js', dir);
  try {
    await expectResponse(port, '/hello', (res, body) => res.status === 200 && body.includes('Hello'));
  } finally {
    await stop(child);
  }
}

/** 3: the CLI, from its tarball: new, generate every kind, build, test, routes, start. */
async function cliApp(packed) {
  step('cli: armature new cli-app (from the cli and starter tarballs)');
  run('npm', ['exec', '--yes', ...NPM_QUIET, `--package=${packed.cli}`, `--package=${packed.starter}`, `--package=${packed.core}`, '--', 'armature', 'new', 'cli-app', '--skip-install'], work);
  const dir = join(work, 'cli-app');
  step('cli: npm install (the local core, cli and starter tarballs; zod for the generated schema)');
  run('npm', ['install', ...NPM_QUIET, packed.core, packed.starter, packed.cli, `zod@${rootManifest.devDependencies.zod}`], dir);
  const armature = (...args) => run(process.execPath, [join(dir, 'node_modules', '@armature', 'cli', 'bin', 'armature.mjs'), ...args], dir);
  step('cli: armature generate (every kind)');
  for (const args of [['module', 'users'], ['controller', 'users'], ['service', 'users'], ['resource', 'products', '--crud'], ['guard', 'auth'], ['interceptor', 'timing'], ['middleware', 'request-log']]) {
    armature('generate', ...args);
  }
  step('cli: npm run build (armature build), typecheck, npm test');
  run('npm', ['run', 'build', '--silent'], dir);
  run('npm', ['run', 'typecheck', '--silent'], dir);
  const tests = run('npm', ['test', '--silent'], dir);
  const passed = /# pass (\d+)|ℹ pass (\d+)/.exec(tests);
  const failedTests = /# fail (\d+)|ℹ fail (\d+)/.exec(tests);
  if (!passed || Number(passed[1] ?? passed[2]) < 10 || Number(failedTests?.[1] ?? failedTests?.[2] ?? 1) !== 0) throw new Error(`the generated tests did not all pass:\n${tests}`);
  console.log(`   ${passed[0].replace(/^# |^ℹ /, '')} test(s) passed`);
  step('cli: armature routes');
  const routes = armature('routes');
  if (!/POST\s+\/products\s+ProductsController\.create/.test(routes)) throw new Error(`armature routes did not list the generated routes:\n${routes}`);
  console.log(`   ${routes.trim().split('\n').length - 1} routes listed`);
  step('cli: npm start, then a generated route');
  const { child, port } = await start('dist/main.js', dir);
  try {
    await expectResponse(port, '/products', (res, body) => res.status === 200 && body === '[]');
  } finally {
    await stop(child);
  }
}

let failed = false;
try {
  console.log(`pack test on node ${process.version} in ${work}`);
  const packDir = process.env.PACK_DIR ? resolve(process.env.PACK_DIR) : join(work, 'tarballs');
  if (process.env.REUSE) step(`reusing the tarballs in ${packDir}`);
  else {
    step('npm pack of every package (prepack builds each from clean)');
    rmSync(packDir, { recursive: true, force: true });
    packAll(packDir);
  }
  const packed = tarballs(packDir);
  console.log(`   ${readdirSync(packDir).filter((f) => f.endsWith('.tgz')).join(', ')}`);
  await tarballApp(packed);
  await starterApp(packed);
  await cliApp(packed);
  step('pack test passed');
} catch (error) {
  failed = true;
  console.error(`pack test failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (process.env.KEEP) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
