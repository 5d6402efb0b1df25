/**
 * `armature routes`: the app's route table — method, path and handler of every route — read from
 * the app itself: the root module is created (as `Armature.create()` does, without listening),
 * or an exported `App` is read as it is, and its `routeTable()` is listed.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError, importFrom } from './project.js';

export interface RoutesOptions {
  root: string;
  /** The file exporting the root module or the app. Default `src/app.module.ts`. */
  file?: string;
  /** The export to read. Default: `AppModule`, else `app`, else the default export. */
  exportName?: string;
}

/** One line of the listing. */
export interface RouteLine {
  method: string;
  path: string;
  /** `UsersController.findOne` for a controller method; `-` for a functional route. */
  handler: string;
}

interface TableEntry {
  readonly method: string;
  readonly path: string;
  readonly declaredBy?: { readonly controller: { readonly name: string }; readonly handlerName: string } | undefined;
}

interface CoreModule {
  Armature: { create(root: unknown, options: object): Promise<{ app: unknown; close(): Promise<void> }> };
  App: abstract new (...args: never[]) => unknown;
}

/** Registers tsx in this process so the app's TypeScript files can be imported. */
async function registerTypeScript(): Promise<void> {
  const api = (await import('tsx/esm/api')) as { register: () => unknown };
  api.register();
}

function tableOf(app: unknown): TableEntry[] {
  const table = (app as { routeTable?: () => TableEntry[] }).routeTable;
  if (typeof table !== 'function') throw new CliError('this version of @armature/core has no route table (app.routeTable()); update @armature/core');
  return table.call(app);
}

export function describeRoutes(entries: readonly TableEntry[]): RouteLine[] {
  return entries.map((e) => ({
    method: e.method,
    path: e.path,
    handler: e.declaredBy !== undefined ? `${e.declaredBy.controller.name}.${e.declaredBy.handlerName}` : '-',
  }));
}

/** The route table of the app in `options.file`. */
export async function listRoutes(options: RoutesOptions): Promise<RouteLine[]> {
  const root = options.root;
  const file = resolve(root, options.file ?? 'src/app.module.ts');
  if (!existsSync(file)) throw new CliError(`no ${relative(root, file)}: give the file that exports the root module or the app (armature routes src/app.ts --export app)`);
  await registerTypeScript();
  const core = await importFrom<CoreModule>(root, '@armature/core');
  const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const name = options.exportName ?? ['AppModule', 'app', 'default'].find((n) => exports[n] !== undefined);
  const value = name === undefined ? undefined : exports[name];
  if (value === undefined) {
    throw new CliError(`${relative(root, file)} exports no ${options.exportName ?? 'AppModule, app or default'}; name the export with --export`);
  }
  if (value instanceof core.App) return describeRoutes(tableOf(value));
  if (typeof value !== 'function' && (typeof value !== 'object' || value === null)) throw new CliError(`${name} is neither a module nor an App`);
  let armature: Awaited<ReturnType<CoreModule['Armature']['create']>>;
  try {
    armature = await core.Armature.create(value, { shutdownHooks: false });
  } catch (error) {
    throw new CliError(`${name} did not start: ${(error as Error)?.message ?? String(error)}`);
  }
  try {
    return describeRoutes(tableOf(armature.app));
  } finally {
    await armature.close();
  }
}

/** The listing as aligned columns. */
export function formatRoutes(lines: readonly RouteLine[]): string {
  const rows = [['METHOD', 'PATH', 'HANDLER'], ...lines.map((l) => [l.method, l.path, l.handler])];
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]}`).join('\n');
}
