/**
 * `.env` files: read and parsed without touching `process.env` (Node's `util.parseEnv` where it
 * exists, Node ≥ 20.12; `dotenv`'s parser before that). A file that does not exist is skipped
 * (`.env.local` is usually optional); one that exists but cannot be read is an error.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import * as util from 'node:util';

type Parse = (text: string) => Record<string, string>;

const require = createRequire(import.meta.url);
let parser: Parse | null = null;

/** The parser for this runtime: `util.parseEnv`, else `dotenv.parse` (loaded only then). */
function envParser(): Parse {
  if (parser !== null) return parser;
  const native = (util as { parseEnv?: Parse }).parseEnv;
  if (typeof native === 'function') parser = (text) => ({ ...native(text) });
  else {
    const dotenv = require('dotenv') as { parse: Parse };
    parser = (text) => dotenv.parse(text);
  }
  return parser;
}

/** Parses the text of a `.env` file: `KEY=value` lines, quotes, `#` comments, `export KEY=…`. */
export function parseEnvText(text: string): Record<string, string> {
  return envParser()(text);
}

/**
 * The variables of `files`, in order: a variable set by an earlier file wins over a later one
 * (`['.env.local', '.env']`: the local file overrides the shared one). Paths are relative to `cwd`.
 */
export function readEnvFiles(files: readonly string[], cwd: string): { values: Record<string, string>; loaded: string[] } {
  const values: Record<string, string> = {};
  const loaded: string[] = [];
  for (const file of files) {
    const path = resolve(cwd, file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new Error(`Cannot read the env file ${path}: ${(error as Error).message}`, { cause: error });
    }
    loaded.push(path);
    for (const [key, value] of Object.entries(parseEnvText(text))) if (!(key in values)) values[key] = value;
  }
  return { values, loaded };
}
