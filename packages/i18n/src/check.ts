#!/usr/bin/env node
/**
 * The `armature-i18n-check` command: checks a directory of catalogs (see catalog-check.ts) and
 * prints one `locale  kind  key  [message]` line per problem. Exit code 1 when a message is
 * missing, does not compile or uses arguments it is not given (with --strict: on any problem),
 * 2 on a usage error or an unreadable directory.
 *
 *   armature-i18n-check <locales-dir> [--default en] [--sources src] [--separator :] [--strict]
 *
 * This module is only ever run as the command (npm links bins through symlinks, so no
 * "am I the main module" test): the library is catalog-check.ts.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkDirectory, FAILING_KINDS, type CheckOptions } from './catalog-check.js';

const USAGE = 'usage: armature-i18n-check <locales-dir> [--default en] [--sources dir] [--separator :] [--strict]';

function main(argv: readonly string[]): number {
  let dir: string | undefined;
  let defaultLocale = 'en';
  let sources: string | undefined;
  let separator: string | undefined;
  let strict = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    }
    if (arg === '--strict') strict = true;
    else if (arg === '--default' || arg === '--sources' || arg === '--separator') {
      const value = argv[++i];
      if (value === undefined) {
        console.error(`${arg} needs a value\n${USAGE}`);
        return 2;
      }
      if (arg === '--default') defaultLocale = value;
      else if (arg === '--sources') sources = value;
      else separator = value;
    } else if (arg.startsWith('-') || dir !== undefined) {
      console.error(`unexpected argument ${JSON.stringify(arg)}\n${USAGE}`);
      return 2;
    } else dir = arg;
  }
  if (dir === undefined) {
    console.error(USAGE);
    return 2;
  }
  for (const [what, path] of [['catalog directory', dir], ['--sources', sources]] as const) {
    if (path !== undefined && !existsSync(path)) {
      console.error(`armature-i18n-check: ${what} ${resolve(path)} does not exist`);
      return 2;
    }
  }
  if (!statSync(dir).isDirectory()) {
    console.error(`armature-i18n-check: ${resolve(dir)} is not a directory`);
    return 2;
  }
  const options: CheckOptions = { defaultLocale };
  if (sources !== undefined) options.sources = sources;
  if (separator !== undefined) options.separator = separator;
  let problems;
  try {
    problems = checkDirectory(dir, options);
  } catch (e) {
    console.error(`armature-i18n-check: ${(e as Error).message}`);
    return 2;
  }
  for (const p of problems) console.log(`${p.locale}\t${p.kind}\t${p.key}${p.message !== undefined ? '\t' + p.message : ''}`);
  const failing = problems.filter((p) => strict || FAILING_KINDS.has(p.kind)).length;
  console.log(problems.length === 0 ? 'ok: no problems' : `${problems.length} problem(s), ${failing} failing`);
  return failing > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
