/**
 * The app the command runs in: its root (the nearest package.json from the working directory),
 * and packages resolved from it (its TypeScript, its @armature/core) rather than from the CLI's
 * own install, so the app's decorators and the CLI's reading of them use the same module.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
/** The TypeScript compiler API, as the app's own `typescript` package provides it. */
export type TypeScript = typeof import('typescript');

export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** The nearest directory from `start` upwards that has a package.json. */
export function projectRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new CliError(`no package.json in ${start} or above it: run this inside an app (armature new my-app creates one)`);
  }
}

/** The path of a package (or a file of it) as `root` resolves it, or null when it is not installed there. */
export function resolveFrom(root: string, specifier: string): string | null {
  try {
    return createRequire(join(root, 'package.json')).resolve(specifier);
  } catch {
    return null;
  }
}

const own = createRequire(import.meta.url);

/** The app's TypeScript (its own version), else the one next to the CLI. */
export function loadTypeScript(root: string): TypeScript {
  const path = resolveFrom(root, 'typescript');
  try {
    return (path === null ? own('typescript') : own(path)) as TypeScript;
  } catch {
    throw new CliError('TypeScript is not installed: npm install --save-dev typescript');
  }
}

/** Imports a package as the app resolves it (ESM). */
export async function importFrom<T>(root: string, specifier: string): Promise<T> {
  const path = resolveFrom(root, specifier);
  if (path === null) throw new CliError(`${specifier} is not installed in ${root}: npm install ${specifier}`);
  return (await import(pathToFileURL(path).href)) as T;
}

export interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}

export function readPackageJson(root: string): PackageJson {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
}
