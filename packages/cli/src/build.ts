/**
 * `armature build`: the app's own `tsc` on `tsconfig.build.json` (else `tsconfig.json`), then
 * every file under the compiled folder (`rootDir`) that TypeScript does not compile — locale
 * catalogs, templates, JSON, certificates — copied beside the output, so `node dist/main.js`
 * finds them where the sources did.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { CliError, loadTypeScript, resolveFrom } from './project.js';

export interface BuildOptions {
  root: string;
  /** The tsconfig to build. Default `tsconfig.build.json` when it exists, else `tsconfig.json`. */
  project?: string;
  /** Empty the output folder first (no stale files of deleted sources). */
  clean?: boolean;
  /** Copy the non-TypeScript files. Default true. */
  assets?: boolean;
}

export interface BuildResult {
  /** tsc's exit code (0: built). */
  status: number;
  outDir: string | null;
  /** Assets copied, relative to the root. */
  copied: string[];
}

const COMPILED = /\.(c|m)?tsx?$/;

function assetsIn(dir: string, skip: ReadonlySet<string>, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (skip.has(path) || entry === 'node_modules' || entry === '.git') continue;
    if (statSync(path).isDirectory()) assetsIn(path, skip, out);
    else if (!COMPILED.test(entry)) out.push(path);
  }
  return out;
}

export function build(options: BuildOptions): BuildResult {
  const root = options.root;
  const project = resolve(root, options.project ?? (existsSync(join(root, 'tsconfig.build.json')) ? 'tsconfig.build.json' : 'tsconfig.json'));
  if (!existsSync(project)) throw new CliError(`no ${relative(root, project)} in ${root}`);
  const ts = loadTypeScript(root);
  const parsed = ts.getParsedCommandLineOfConfigFile(project, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new CliError(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } });
  if (parsed === undefined) throw new CliError(`cannot read ${project}`);
  const { outDir, rootDir, noEmit } = parsed.options;
  if (noEmit) throw new CliError(`${relative(root, project)} has noEmit: build with a tsconfig that emits (the starter's tsconfig.build.json)`);
  if (options.clean && outDir !== undefined && resolve(outDir) !== resolve(root)) rmSync(outDir, { recursive: true, force: true });

  const tsc = resolveFrom(root, 'typescript/bin/tsc') ?? resolveFrom(dirname(new URL(import.meta.url).pathname), 'typescript/bin/tsc');
  if (tsc === null) throw new CliError('TypeScript is not installed: npm install --save-dev typescript');
  const run = spawnSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });
  const status = run.status ?? 1;
  const copied: string[] = [];
  if (status !== 0 || outDir === undefined || options.assets === false) return { status, outDir: outDir ?? null, copied };

  const from = resolve(rootDir ?? join(root, 'src'));
  const to = resolve(outDir);
  if (!existsSync(from) || from === to) return { status, outDir: to, copied };
  const skip = new Set([to, project]);
  for (const file of assetsIn(from, skip)) {
    const target = join(to, relative(from, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
    copied.push(relative(root, file).split(sep).join('/'));
  }
  return { status, outDir: to, copied };
}
