#!/usr/bin/env node
/**
 * Catalog checks: per locale, keys missing compared with the default locale, keys the default
 * locale does not have (extra), keys never referenced in source files (unused, when sources are
 * given) and messages that fail to parse.
 *
 *   node packages/i18n/dist/check.js <locales-dir> [--default en] [--sources src]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readCatalogDirectory, type FlatCatalogs } from './catalog.js';
import { parseMessage } from './compile.js';

export interface CatalogProblem {
  locale: string;
  key: string;
  kind: 'missing' | 'extra' | 'unused' | 'syntax';
  message?: string;
}

export interface CheckOptions {
  defaultLocale: string;
  /** Directory (or file list) of source files scanned for `t('key'…)` / `t("key"…)` references. */
  sources?: string | readonly string[];
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

/** Checks flat catalogs (locale → key → message). */
export function checkCatalogs(catalogs: FlatCatalogs, options: CheckOptions): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const base = catalogs.get(options.defaultLocale);
  if (base === undefined) throw new Error(`No catalog for the default locale ${options.defaultLocale}`);
  for (const [locale, cat] of catalogs) {
    for (const [key, source] of cat) {
      try {
        parseMessage(source);
      } catch (e) {
        problems.push({ locale, key, kind: 'syntax', message: (e as Error).message });
      }
      if (locale !== options.defaultLocale && !base.has(key)) problems.push({ locale, key, kind: 'extra' });
    }
    if (locale !== options.defaultLocale) for (const key of base.keys()) if (!cat.has(key)) problems.push({ locale, key, kind: 'missing' });
  }
  if (options.sources !== undefined) {
    const used = referencedKeys(options.sources);
    for (const key of base.keys()) {
      const bare = key.includes(':') ? key.slice(key.indexOf(':') + 1) : key;
      if (!used.has(key) && !used.has(bare)) problems.push({ locale: options.defaultLocale, key, kind: 'unused' });
    }
  }
  return problems;
}

/** Reads a catalog directory and checks it. */
export function checkDirectory(dir: string, options: CheckOptions & { separator?: string }): CatalogProblem[] {
  return checkCatalogs(readCatalogDirectory(dir, options.separator), options);
}

function main(argv: string[]): number {
  const dir = argv[0];
  if (dir === undefined || dir.startsWith('-')) {
    console.error('usage: check.js <locales-dir> [--default en] [--sources dir]');
    return 2;
  }
  let defaultLocale = 'en';
  let sources: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '--default') defaultLocale = argv[++i] ?? defaultLocale;
    else if (argv[i] === '--sources') sources = argv[++i];
  }
  const problems = checkDirectory(dir, sources === undefined ? { defaultLocale } : { defaultLocale, sources });
  for (const p of problems) console.log(`${p.locale}\t${p.kind}\t${p.key}${p.message !== undefined ? '\t' + p.message : ''}`);
  console.log(problems.length === 0 ? 'ok: no problems' : `${problems.length} problem(s)`);
  return problems.some((p) => p.kind === 'missing' || p.kind === 'syntax') ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
