/**
 * `armature generate <kind> <name>`: writes the piece and its test, then registers it in the
 * module it belongs to (the module file in its folder, else the nearest one above, else
 * src/app.module.ts). Refuses to overwrite a file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { CliError, loadTypeScript, readPackageJson } from '../project.js';
import { crudControllerFile, crudControllerTest, crudSchemaFile, crudServiceFile, crudServiceTest } from './crud.js';
import { pieceName, type PieceName } from './names.js';
import { registerInModule, type ModuleList } from './register.js';
import * as t from './templates.js';

export const KINDS = ['module', 'controller', 'service', 'resource', 'guard', 'interceptor', 'middleware'] as const;
export type Kind = (typeof KINDS)[number];

/** Short names, as `nest g` has them. */
const ALIASES: Record<string, Kind> = { mo: 'module', co: 'controller', s: 'service', res: 'resource', gu: 'guard', itc: 'interceptor', mi: 'middleware' };

export function kindOf(input: string): Kind {
  const kind = (KINDS as readonly string[]).includes(input) ? (input as Kind) : ALIASES[input];
  if (kind === undefined) throw new CliError(`unknown kind "${input}": one of ${KINDS.join(', ')}`);
  return kind;
}

export interface GenerateOptions {
  /** The app's root (its package.json's directory). */
  root: string;
  /** Source folder, relative to the root. Default `src`. */
  sourceDir?: string;
  /** Test folder, relative to the root. Default `test`. */
  testDir?: string;
  /** A resource with CRUD routes, a validated schema and tests. */
  crud?: boolean;
  /** Write the files in the source folder itself (or the parent folders given), not in a folder of their own. */
  flat?: boolean;
  /** No test file. */
  skipTests?: boolean;
  /** Do not register the piece in a module. */
  skipImport?: boolean;
  /** Say what would be written, write nothing. */
  dryRun?: boolean;
}

export interface GenerateResult {
  /** Files created, relative to the root. */
  created: string[];
  /** Module files changed, relative to the root. */
  updated: string[];
  /** Advice for the user (a dependency to install). */
  notes: string[];
}

interface Plan {
  files: Map<string, string>;
  /** Where the new class goes: `file`'s module, its `list`; `source` defines the class. */
  registration: { list: ModuleList; className: string; file: string; source: string } | null;
}

const posix = (p: string): string => p.split(sep).join('/');

/** `./x.js` style specifier from a file to another file (extension turned into .js). */
function specifier(fromFile: string, toFile: string): string {
  const rel = posix(relative(dirname(fromFile), toFile)).replace(/\.ts$/, '.js');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** The module file of a folder: `<folder>.module.ts`, else the only `*.module.ts` in it. */
function moduleFileIn(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const named = readdirSync(dir).filter((f) => f.endsWith('.module.ts'));
  const own = named.find((f) => f === `${dir.split(sep).pop()}.module.ts`);
  if (own !== undefined) return join(dir, own);
  if (named.length === 1) return join(dir, named[0]!);
  return named.includes('app.module.ts') ? join(dir, 'app.module.ts') : null;
}

/** The module a piece in `dir` belongs to: the one in `dir`, else the nearest above it within src. */
function owningModule(dir: string, src: string, except: string | null): string | null {
  for (let d = dir; ; d = dirname(d)) {
    const found = moduleFileIn(d);
    if (found !== null && found !== except) return found;
    if (d === src || !d.startsWith(src)) return null;
  }
}

function plan(kind: Kind, n: PieceName, o: Required<Omit<GenerateOptions, 'crud'>> & { crud: boolean }): Plan {
  const src = join(o.root, o.sourceDir);
  const folder = o.flat ? join(src, ...n.parents) : join(src, ...n.parents, n.kebab);
  const tests = join(o.root, o.testDir);
  const files = new Map<string, string>();
  const at = (suffix: string): string => join(folder, `${n.kebab}.${suffix}.ts`);
  const testAt = (suffix: string): string => join(tests, `${n.kebab}.${suffix}.test.ts`);
  const paths = { fromTest: posix(relative(tests, folder)) };
  const withTest = (suffix: string, file: string, test: string | null): void => {
    files.set(at(suffix), file);
    if (test !== null && !o.skipTests) files.set(testAt(suffix), test);
  };
  let registration: Plan['registration'] = null;
  switch (kind) {
    case 'module':
    case 'resource': {
      const moduleFile = at('module');
      if (kind === 'module') withTest('module', t.moduleFile(n), t.moduleTest(n, paths));
      else {
        files.set(moduleFile, t.moduleFile(n, { controller: true, service: true }));
        if (o.crud) {
          files.set(join(folder, `${n.kebab}.schema.ts`), crudSchemaFile(n));
          withTest('service', crudServiceFile(n), crudServiceTest(n, paths));
          withTest('controller', crudControllerFile(n), crudControllerTest(n, paths));
        } else {
          withTest('service', t.serviceFile(n), t.serviceTest(n, paths));
          withTest('controller', t.controllerFile(n), t.controllerTest(n, paths));
        }
      }
      const parent = owningModule(o.flat ? folder : dirname(folder), src, moduleFile);
      if (parent !== null) registration = { list: 'imports', className: `${n.pascal}Module`, file: parent, source: moduleFile };
      break;
    }
    case 'controller':
    case 'service': {
      const isController = kind === 'controller';
      withTest(kind, isController ? t.controllerFile(n) : t.serviceFile(n), isController ? t.controllerTest(n, paths) : t.serviceTest(n, paths));
      const owner = owningModule(folder, src, null);
      if (owner !== null) registration = { list: isController ? 'controllers' : 'providers', className: `${n.pascal}${isController ? 'Controller' : 'Service'}`, file: owner, source: at(kind) };
      break;
    }
    case 'guard':
      withTest('guard', t.guardFile(n), t.guardTest(n, paths));
      break;
    case 'interceptor':
      withTest('interceptor', t.interceptorFile(n), t.interceptorTest(n, paths));
      break;
    case 'middleware':
      withTest('middleware', t.middlewareFile(n), t.middlewareTest(n, paths));
      break;
  }
  return { files, registration: o.skipImport ? null : registration };
}

export function generate(kindInput: string, name: string, options: GenerateOptions): GenerateResult {
  const kind = kindOf(kindInput);
  if (options.crud && kind !== 'resource') throw new CliError('--crud is for resources: armature generate resource <name> --crud');
  let n: PieceName;
  try {
    n = pieceName(name);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const o = { sourceDir: 'src', testDir: 'test', flat: false, skipTests: false, skipImport: false, dryRun: false, ...options, crud: options.crud ?? false };
  const { files, registration } = plan(kind, n, o);
  const rel = (p: string): string => posix(relative(o.root, p));
  const taken = [...files.keys()].filter((f) => existsSync(f));
  if (taken.length > 0) throw new CliError(`not overwriting ${taken.map(rel).join(', ')}`);

  const result: GenerateResult = { created: [...files.keys()].map(rel), updated: [], notes: [] };
  let moduleText: string | null = null;
  if (registration !== null) {
    const ts = loadTypeScript(o.root);
    const r = registration;
    moduleText = registerInModule(ts, readFileSync(r.file, 'utf8'), r.file, r.list, r.className, specifier(r.file, r.source));
    if (moduleText !== null) result.updated.push(rel(registration.file));
  }
  if (o.crud) {
    const pkg = readPackageJson(o.root);
    if (pkg.dependencies?.zod === undefined && pkg.devDependencies?.zod === undefined) result.notes.push('the schema uses Zod: npm install zod');
  }
  if (o.dryRun) return result;
  for (const [file, text] of files) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text, { flag: 'wx' });
  }
  if (registration !== null && moduleText !== null) writeFileSync(registration.file, moduleText);
  return result;
}
