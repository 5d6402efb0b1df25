/**
 * Message catalogs: nested objects flattened to dotted keys, optionally under a namespace
 * (`common:nav.home`), loaded from code or from a directory of JSON files:
 *
 *   locales/en.json            → keys as written          (`greeting`, `nav.home`)
 *   locales/en/common.json     → namespace = file name    (`common:greeting`)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A nested message object: leaves are ICU MessageFormat strings. */
export interface MessageTree {
  [key: string]: string | MessageTree;
}

/** Flattens `{ nav: { home: 'Home' } }` to `{ 'nav.home': 'Home' }` (prefixed with `prefix`). */
export function flatten(tree: MessageTree, prefix = '', out: Map<string, string> = new Map()): Map<string, string> {
  for (const key of Object.keys(tree)) {
    const value = tree[key];
    const full = prefix === '' ? key : prefix + '.' + key;
    if (typeof value === 'string') out.set(full, value);
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) flatten(value, full, out);
    else throw new TypeError(`Message "${full}" must be a string or an object, not ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return out;
}

/** locale → (key → message source) */
export type FlatCatalogs = Map<string, Map<string, string>>;

function readJson(file: string): MessageTree {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as MessageTree;
  } catch (e) {
    throw new SyntaxError(`${file}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Reads `dir`: each `<locale>.json` and each `<locale>/<namespace>.json` (namespace and key
 * joined by `separator`). Returns flat catalogs per locale (locale names as the files spell them).
 */
export function readCatalogDirectory(dir: string, separator = ':'): FlatCatalogs {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a directory' : `cannot be read (${code ?? (e as Error).message})`;
    const relative = resolve(dir) === dir ? '' : ` (relative paths resolve against the working directory ${process.cwd()})`;
    throw new Error(`The catalog directory ${resolve(dir)} ${why}${relative}`, { cause: e });
  }
  const out: FlatCatalogs = new Map();
  const get = (locale: string) => {
    let m = out.get(locale);
    if (m === undefined) out.set(locale, (m = new Map()));
    return m;
  };
  for (const name of names.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const target = get(name);
      for (const file of readdirSync(path).sort()) {
        if (!file.endsWith('.json')) continue;
        const ns = file.slice(0, -5);
        const flat = flatten(readJson(join(path, file)));
        for (const [k, v] of flat) target.set(ns + separator + k, v);
      }
    } else if (name.endsWith('.json')) {
      const target = get(name.slice(0, -5));
      for (const [k, v] of flatten(readJson(path))) target.set(k, v);
    }
  }
  return out;
}
