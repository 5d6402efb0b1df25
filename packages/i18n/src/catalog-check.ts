/**
 * Catalog checks: per locale, keys missing compared with the default locale, keys the default
 * locale does not have (extra), messages that do not compile for their locale (syntax), error
 * messages that use arguments the middleware does not pass (arguments), and keys never
 * referenced in source files (unused, when sources are given; the keys the i18n middleware
 * reads by itself, `errors.<status>` and `errors.validation`, count as referenced).
 * The command line is check.ts (`armature-i18n-check`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { join } from 'node:path';
import { readCatalogDirectory, type FlatCatalogs } from './catalog.js';
import { compileMessage, parseMessage } from './compile.js';
import { formattersFor } from './formatters.js';
import { ERROR_ARGUMENTS, isErrorKey } from './error-keys.js';
import { canonicalizeTag } from './negotiate.js';

export interface CatalogProblem {
  locale: string;
  key: string;
  kind: 'missing' | 'extra' | 'unused' | 'syntax' | 'arguments';
  message?: string;
}

/** Problems that make the command exit with 1 (the others are reported as warnings). */
export const FAILING_KINDS: ReadonlySet<CatalogProblem['kind']> = new Set(['missing', 'syntax', 'arguments']);

export interface CheckOptions {
  defaultLocale: string;
  /** Directory (or file list) of source files scanned for `t('key'…)` / `t("key"…)` references. */
  sources?: string | readonly string[];
  /** Between a namespace and a key in the catalogs (default `:`). */
  separator?: string;
}

const SOURCE_EXT = /\.(?:[cm]?[jt]sx?|html|vue|svelte)$/;
const REFERENCE = /\bt\(\s*(['"`])([^'"`]+)\1/g;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (SOURCE_EXT.test(name)) out.push(p);
  }
  return out;
}

/** Keys referenced as `t('key')` in the given files or directory. */
export function referencedKeys(sources: string | readonly string[]): Set<string> {
  const files = typeof sources === 'string' ? sourceFiles(sources) : sources;
  const keys = new Set<string>();
  for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(REFERENCE)) keys.add(m[2]!);
  return keys;
}

/** The names of the arguments a message uses, nested ones included. */
function argumentNames(elements: readonly MessageFormatElement[], out: Set<string> = new Set()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
    if (el.type === TYPE.tag) {
      argumentNames(el.children, out);
      continue;
    }
    out.add(el.value);
    if (el.type === TYPE.select || el.type === TYPE.plural) for (const option of Object.values(el.options)) argumentNames(option.value, out);
  }
  return out;
}

/** A message's problem for `locale`, if any: does it compile, and (for an error key) are its arguments passed? */
function messageProblem(locale: string, key: string, bare: string, source: string): CatalogProblem | null {
  try {
    compileMessage(source, formattersFor(canonicalizeTag(locale) ?? 'und'));
  } catch (e) {
    return { locale, key, kind: 'syntax', message: (e as Error).message };
  }
  if (!isErrorKey(bare)) return null;
  const unknown = [...argumentNames(parseMessage(source))].filter((name) => !ERROR_ARGUMENTS.includes(name));
  if (unknown.length === 0) return null;
  return { locale, key, kind: 'arguments', message: `uses {${unknown.join('}, {')}}; error messages get only ${ERROR_ARGUMENTS.map((a) => `{${a}}`).join(', ')}` };
}

/** Checks flat catalogs (locale → key → message). */
export function checkCatalogs(catalogs: FlatCatalogs, options: CheckOptions): CatalogProblem[] {
  const separator = options.separator ?? ':';
  const bareKey = (key: string) => (key.includes(separator) ? key.slice(key.indexOf(separator) + separator.length) : key);
  const problems: CatalogProblem[] = [];
  const base = catalogs.get(options.defaultLocale);
  if (base === undefined) throw new Error(`No catalog for the default locale ${options.defaultLocale} (found: ${[...catalogs.keys()].join(', ') || 'none'})`);
  for (const [locale, cat] of catalogs) {
    for (const [key, source] of cat) {
      const problem = messageProblem(locale, key, bareKey(key), source);
      if (problem !== null) problems.push(problem);
      if (locale !== options.defaultLocale && !base.has(key)) problems.push({ locale, key, kind: 'extra' });
    }
    if (locale !== options.defaultLocale) for (const key of base.keys()) if (!cat.has(key)) problems.push({ locale, key, kind: 'missing' });
  }
  if (options.sources !== undefined) {
    const used = referencedKeys(options.sources);
    for (const key of base.keys()) {
      const bare = bareKey(key);
      if (!used.has(key) && !used.has(bare) && !isErrorKey(bare)) problems.push({ locale: options.defaultLocale, key, kind: 'unused' });
    }
  }
  return problems;
}

/** Reads a catalog directory and checks it. */
export function checkDirectory(dir: string, options: CheckOptions): CatalogProblem[] {
  return checkCatalogs(readCatalogDirectory(dir, options.separator), options);
}
