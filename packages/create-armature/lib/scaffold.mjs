/**
 * The starter's scaffolding, shared by `create-armature` (npm create armature) and `armature new`
 * (@armature/cli): copies template/ into a new directory, names the app, and pins the Armature
 * packages to the release this starter belongs to (they are versioned together).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));

/** The version of this starter, and so of the Armature packages it pins. */
export const starterVersion = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).version;

/** An npm package name for a directory: `My App` → `my-app`. */
export function appName(dir) {
  return basename(resolve(dir)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'armature-app';
}

/** Thrown for a target that exists and is not an empty directory. */
export class ScaffoldError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ScaffoldError';
  }
}

/**
 * Writes the starter app into `dir` (created; it must not exist or be empty). With `cli`, the app
 * uses `@armature/cli` for its dev loop and build (`armature dev`, `armature build`) and has
 * `armature generate` at hand. Returns the directory and the app's name.
 */
export function scaffold(target, options = {}) {
  const dir = resolve(target);
  const name = appName(dir);
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
    throw new ScaffoldError(`${target} exists and is not an empty directory; choose another name.`);
  }
  const values = { name, armatureVersion: `^${starterVersion}` };
  const fill = (text) => text.replace(/\{\{(\w+)\}\}/g, (m, key) => values[key] ?? m);
  copy(join(here, 'template'), dir, fill);
  if (options.cli) useCli(dir, values.armatureVersion);
  return { dir, name };
}

/** Copies a template directory; `gitignore` becomes `.gitignore` (npm leaves .gitignore files out of tarballs). */
function copy(from, to, fill) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    const dest = join(to, entry === 'gitignore' ? '.gitignore' : entry);
    if (statSync(source).isDirectory()) copy(source, dest, fill);
    else writeFileSync(dest, fill(readFileSync(source, 'utf8')));
  }
}

/** The app's scripts through the `armature` command, which becomes a dev dependency. */
function useCli(dir, version) {
  const file = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  pkg.scripts = { ...pkg.scripts, dev: 'armature dev', build: 'armature build', routes: 'armature routes' };
  pkg.devDependencies = Object.fromEntries(Object.entries({ ...pkg.devDependencies, '@armature/cli': version }).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  // the README's table says what the scripts now run
  const rows = {
    '`npm run dev`': 'runs `src/main.ts` with `armature dev`: restarts gracefully on every change (SIGTERM, then the new code)',
    '`npm run build`': 'compiles `src/` into `dist/` with `armature build` (`tsc`, then non-TypeScript files such as locale catalogs copied)',
    '`npm run typecheck`': null,
  };
  const readme = join(dir, 'README.md');
  const lines = readFileSync(readme, 'utf8').split('\n').flatMap((line) => {
    const command = Object.keys(rows).find((c) => line.startsWith(`| ${c} |`));
    if (command === undefined) return [line];
    if (rows[command] === null) return [line, '| `npm run routes` | lists the app\'s routes (`armature routes`) |'];
    return [`| ${command} | ${rows[command]} |`];
  });
  writeFileSync(readme, lines.join('\n'));
}
