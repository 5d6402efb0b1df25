#!/usr/bin/env node
/**
 * Publish-readiness of every package under packages/: the metadata npm and users rely on
 * (license, repository, engines, files, exports, prepack), and the runtime dependencies: each
 * package a built file imports must be declared by that package (dependencies, peer or optional),
 * never found through the workspace root's node_modules by accident; a declaration file that
 * imports a package without its own types needs that package's @types declared too.
 *
 *   node scripts/check-packages.mjs      (after npm run build; exits 1 on any problem)
 */
import { builtinModules, createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILTINS = new Set(builtinModules);

/** The package a bare specifier names: `a/b` → `a`, `@s/a/b` → `@s/a`; null for relative and built-in. */
export function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  if (specifier.startsWith('#')) return null; // the package's own imports map
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return BUILTINS.has(name) ? null : name;
}

/** Specifiers a JS or declaration file imports (static, dynamic with a literal, `export from`, `import type`). */
export function importsOf(source) {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** Whether an installed package ships its own declarations (so no `@types/` package is needed). */
function hasOwnTypes(name, fromDir) {
  let manifest;
  try {
    manifest = require(require.resolve(`${name}/package.json`, { paths: [fromDir] }));
  } catch {
    return true; // not resolvable from here: the dependency check reports what matters
  }
  if (manifest.types || manifest.typings) return true;
  const exp = JSON.stringify(manifest.exports ?? '');
  return exp.includes('"types"') || exp.includes('.d.ts');
}

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Every path a manifest promises (main, types, bin, exports targets). */
function promisedPaths(pkg) {
  const paths = [];
  const visit = (v) => {
    if (typeof v === 'string') paths.push(v);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) visit(x);
  };
  visit(pkg.main);
  visit(pkg.types);
  visit(typeof pkg.bin === 'string' ? pkg.bin : pkg.bin ?? {});
  visit(pkg.exports ?? {});
  return paths.map((p) => p.replace(/^\.\//, ''));
}

/** Whether `path` is included by the manifest's `files` list (top-level entries and negations). */
function included(path, files) {
  let inside = false;
  for (const entry of files) {
    const negated = entry.startsWith('!');
    const pattern = (negated ? entry.slice(1) : entry).replace(/^\.\//, '').replace(/\/$/, '');
    if (path === pattern || path.startsWith(`${pattern}/`)) inside = !negated;
  }
  return inside || path === 'package.json';
}

/**
 * Problems of one package directory, as readable sentences. `root` is the workspace manifest
 * (its license and repository are the reference).
 */
export function checkPackage(dir, root) {
  const problems = [];
  const warnings = [];
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const where = relative(ROOT, dir).split(sep).join('/');
  const say = (text) => problems.push(`${pkg.name ?? where}: ${text}`);
  if (pkg.private) return { problems, warnings };

  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(pkg.version ?? '')) say(`version "${pkg.version}" is not semantic`);
  if (!pkg.description) say('no description');
  if (pkg.license !== root.license) say(`license is ${pkg.license}, the repository's is ${root.license}`);
  if (pkg.repository?.url !== root.repository?.url || pkg.repository?.directory !== where) {
    say(`repository must be { url: ${root.repository?.url}, directory: ${where} }`);
  }
  if (pkg.type !== 'module') say('type must be "module"');
  if (!pkg.engines?.node) say('no engines.node');
  if (typeof pkg.sideEffects !== 'boolean' && !Array.isArray(pkg.sideEffects)) say('no sideEffects');
  if (!Array.isArray(pkg.files)) say('no files list (everything in the directory would be published)');
  if (pkg.name?.startsWith('@') && pkg.publishConfig?.access !== 'public') say('a scoped package needs publishConfig.access "public"');
  if (!pkg.bin && !pkg.exports) say('no exports');
  if (pkg.exports && !pkg.types && !pkg.bin) say('no types');
  const license = join(dir, 'LICENSE');
  if (!existsSync(license)) say('no LICENSE file');
  else if (readFileSync(license, 'utf8') !== readFileSync(join(ROOT, 'LICENSE'), 'utf8')) say('LICENSE differs from the repository\'s');
  if (!existsSync(join(dir, 'README.md'))) say('no README.md');

  const built = existsSync(join(dir, 'dist'));
  if (pkg.scripts?.build || existsSync(join(dir, 'tsconfig.json'))) {
    if (!pkg.scripts?.prepack) say('no prepack script: a tarball could ship without its build');
    if (!built) say('no dist/: run npm run build before this check');
  }
  for (const path of promisedPaths(pkg)) {
    if (Array.isArray(pkg.files) && !included(path, pkg.files)) say(`${path} is promised by the manifest but not in files`);
    if ((built || !path.startsWith('dist/')) && !existsSync(join(dir, path))) say(`${path} is promised by the manifest but missing`);
  }

  const declared = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
  ]);
  const used = new Set();
  const shipped = walk(join(dir, 'dist')).concat(pkg.bin && !built ? walk(dir).filter((f) => !f.includes(`${sep}node_modules${sep}`)) : []);
  for (const file of shipped) {
    const isDts = file.endsWith('.d.ts');
    if (!isDts && !/\.(m|c)?js$/.test(file)) continue;
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      const name = packageOf(specifier);
      if (name === null || name === pkg.name) continue;
      used.add(name);
      const at = relative(dir, file).split(sep).join('/');
      if (!declared.has(name)) {
        say(`${at} imports "${specifier}" but ${name} is not in dependencies or peerDependencies`);
      } else if (isDts && !hasOwnTypes(name, dir) && !declared.has(`@types/${name.replace(/^@(.*)\//, '$1__')}`)) {
        say(`${at} exposes types of ${name}, which has no declarations of its own: declare @types/${name} too`);
      }
    }
  }
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    if (!used.has(name) && !name.startsWith('@types/')) warnings.push(`${pkg.name}: dependency ${name} is declared but nothing built imports it`);
  }
  return { problems, warnings };
}

/** Every package directory under packages/, checked. */
export function checkAll() {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const problems = [];
  const warnings = [];
  for (const name of readdirSync(join(ROOT, 'packages')).sort()) {
    const dir = join(ROOT, 'packages', name);
    if (!existsSync(join(dir, 'package.json'))) continue;
    const r = checkPackage(dir, root);
    problems.push(...r.problems);
    warnings.push(...r.warnings);
  }
  return { problems, warnings };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  const { problems, warnings } = checkAll();
  for (const w of warnings) console.log(`note: ${w}`);
  for (const p of problems) console.error(`problem: ${p}`);
  console.log(problems.length === 0 ? 'packages: publish-ready' : `packages: ${problems.length} problem(s)`);
  process.exit(problems.length === 0 ? 0 : 1);
}
