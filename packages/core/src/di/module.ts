/**
 * Modules: the graph of @Module classes (and dynamic modules) from the root, the providers each
 * owns, what each exports, and what each can see (own providers, the exports of the modules it
 * imports, the exports of global modules).
 */
import { AppHost } from './app-host.js';
import { diError } from './messages.js';
import { globalModules, modules } from './metadata.js';
import {
  KIND_INJECTOR, KIND_REQUEST, KIND_VALUE, ProviderRecord, REQUEST, classRecord, providerRecord,
  type Provider, type ProviderOverride,
} from './provider.js';
import { isToken, tokenName, type Class, type Token } from './tokens.js';

/** A module class (usually empty, decorated with @Module). */
export type ModuleClass = abstract new (...args: any[]) => unknown;

/** What a module is made of. */
export interface ModuleMetadata {
  /** Modules whose exported providers this module uses. */
  imports?: readonly ModuleImport[];
  /** Classes decorated with @Controller whose routes this module serves. */
  controllers?: readonly Class[];
  /** What this module provides (visible inside it; outside only if exported). */
  providers?: readonly Provider[];
  /** Tokens of its own providers, and imported modules to re-export. */
  exports?: readonly (Token | ModuleImport)[];
  /** Visible everywhere without importing (like @Global()). */
  global?: boolean;
}

/**
 * A module configured at import time, returned by `static forRoot(options)`:
 * `{ module: ConfigModule, providers: [{ provide: CONFIG_OPTIONS, useValue: options }], exports: [...] }`.
 * Its fields add to the class's own @Module metadata.
 */
export interface DynamicModule extends ModuleMetadata {
  module: ModuleClass;
}

export type ModuleImport = ModuleClass | DynamicModule;

/** The `Injector` of a module: resolves tokens on demand (lazily, e.g. to break a cycle). */
export abstract class Injector {
  /** The instance for `token`, as this module sees it. Throws if there is none. */
  abstract get<T>(token: Token<T>): T;
  /** The instance for `token`, or null when this module has no provider for it. */
  abstract get<T>(token: Token<T>, options: { optional: true }): T | null;
}

export class ModuleNode {
  readonly key: object;
  readonly cls: ModuleClass;
  readonly name: string;
  readonly meta: ModuleMetadata;
  readonly global: boolean;
  readonly imports: ModuleNode[] = [];
  /** Own providers. */
  readonly providers = new Map<Token, ProviderRecord>();
  /** What importers see. */
  readonly exported = new Map<Token, ProviderRecord>();
  /** What this module's classes can inject. */
  readonly visible = new Map<Token, ProviderRecord>();
  readonly controllers: ProviderRecord[] = [];
  /** Guards, interceptors and filters used by its controllers that are not providers. */
  readonly enhancers = new Map<Function, ProviderRecord>();
  /** The module class's own instance (it may inject, and have lifecycle hooks). */
  record!: ProviderRecord;

  constructor(key: object, cls: ModuleClass, meta: ModuleMetadata, global: boolean) {
    this.key = key;
    this.cls = cls;
    this.name = cls.name || '(anonymous module)';
    this.meta = meta;
    this.global = global;
  }
}

export interface ModuleGraph {
  readonly root: ModuleNode;
  /** Imports before importers. */
  readonly order: readonly ModuleNode[];
  /** The one AppHost every module sees. */
  readonly appHost: AppHost;
}

function isDynamic(entry: unknown): entry is DynamicModule {
  return typeof entry === 'object' && entry !== null && typeof (entry as DynamicModule).module === 'function';
}

function list<T>(where: string, value: readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw diError('INVALID_DECLARATION', 'notArray', where);
  return value;
}

/** The REQUEST token's record: the same in every module. */
const requestRecord = (host: ModuleNode): ProviderRecord =>
  new ProviderRecord({ token: REQUEST, name: 'REQUEST', kind: KIND_REQUEST, scope: 'request', host, role: 'provider' });

export function buildGraph(rootImport: ModuleImport, overrides: ReadonlyMap<Token, ProviderOverride> | null): ModuleGraph {
  const nodes = new Map<object, ModuleNode>();
  const order: ModuleNode[] = [];
  const path: ModuleNode[] = [];
  const controllerHome = new Map<Function, ModuleNode>();

  const visit = (entry: unknown, where: string): ModuleNode => {
    let key: object;
    let cls: ModuleClass;
    let meta: ModuleMetadata;
    if (typeof entry === 'function') {
      const own = modules.get(entry);
      if (own === undefined) {
        throw diError('INVALID_DECLARATION', 'notModule', where, entry);
      }
      key = entry;
      cls = entry as ModuleClass;
      meta = own;
    } else if (isDynamic(entry)) {
      key = entry;
      cls = entry.module;
      const own = modules.get(cls) ?? {};
      meta = {
        imports: [...list(`imports of ${cls.name}`, own.imports), ...list(`imports of ${cls.name}`, entry.imports)],
        controllers: [...list(`controllers of ${cls.name}`, own.controllers), ...list(`controllers of ${cls.name}`, entry.controllers)],
        providers: [...list(`providers of ${cls.name}`, own.providers), ...list(`providers of ${cls.name}`, entry.providers)],
        exports: [...list(`exports of ${cls.name}`, own.exports), ...list(`exports of ${cls.name}`, entry.exports)],
        global: entry.global ?? own.global,
      };
    } else {
      throw diError('INVALID_DECLARATION', 'notModuleEntry', where, entry);
    }
    const known = nodes.get(key);
    if (known !== undefined) {
      if (path.includes(known)) {
        const cycle = [...path.slice(path.indexOf(known)), known].map((n) => n.name).join(' → ');
        throw diError('CIRCULAR_DEPENDENCY', 'modules', cycle);
      }
      return known;
    }
    const node = new ModuleNode(key, cls, meta, meta.global === true || globalModules.has(cls));
    nodes.set(key, node);
    path.push(node);
    list(`imports of ${node.name}`, meta.imports).forEach((imp, i) => node.imports.push(visit(imp, `imports[${i}] of ${node.name}`)));
    path.pop();
    order.push(node);
    return node;
  };
  const root = visit(rootImport, 'The root module');

  // own providers, controllers, the module's own record
  for (const node of order) {
    list(`providers of ${node.name}`, node.meta.providers).forEach((p, i) => {
      const rec = providerRecord(p, node, i, overrides);
      node.providers.set(rec.token, rec);
    });
    list(`controllers of ${node.name}`, node.meta.controllers).forEach((c, i) => {
      if (typeof c !== 'function') {
        throw diError('INVALID_DECLARATION', 'controllerNotClass', `controllers[${i}] of ${node.name}`, c);
      }
      const other = controllerHome.get(c);
      if (other !== undefined) {
        throw diError('INVALID_DECLARATION', 'controllerTwice', c.name, other.name, node.name);
      }
      controllerHome.set(c, node);
      node.controllers.push(classRecord(c, c, node, 'controller'));
    });
    node.record = classRecord(node.cls as Class, node.cls as Class, node, 'module');
  }

  // exports: own providers, re-exported imported modules (or tokens they export)
  for (const node of order) {
    list(`exports of ${node.name}`, node.meta.exports).forEach((e, i) => {
      const where = `exports[${i}] of ${node.name}`;
      const imported = node.imports.find((m) => m.key === e || (typeof e === 'function' && m.cls === e) || (isDynamic(e) && m.cls === e.module && m.key === e));
      if (imported !== undefined) {
        for (const [t, r] of imported.exported) node.exported.set(t, r);
        return;
      }
      if (isDynamic(e) || (typeof e === 'function' && modules.has(e) && !node.providers.has(e))) {
        const name = isDynamic(e) ? e.module.name : (e as Function).name;
        throw diError('INVALID_EXPORT', 'moduleNotImported', node.name, name);
      }
      if (!isToken(e)) throw diError('INVALID_DECLARATION', 'exportNotToken', where, e);
      const own = node.providers.get(e);
      if (own !== undefined) {
        node.exported.set(e, own);
        return;
      }
      const through = node.imports.find((m) => m.exported.has(e));
      if (through !== undefined) {
        node.exported.set(e, through.exported.get(e)!);
        return;
      }
      throw diError('INVALID_EXPORT', 'notOwned', node.name, tokenName(e));
    });
  }

  // what each module sees: REQUEST, its Injector and the AppHost, global exports, its imports' exports, its own providers
  const globals = order.filter((n) => n.global);
  const appHost = new AppHost();
  const appHostRecord = new ProviderRecord({ token: AppHost, name: 'AppHost', kind: KIND_VALUE, value: appHost, scope: 'singleton', host: root, role: 'provider' });
  for (const node of order) {
    const v = node.visible;
    v.set(REQUEST, requestRecord(node));
    v.set(Injector, new ProviderRecord({ token: Injector, name: 'Injector', kind: KIND_INJECTOR, scope: 'singleton', host: node, role: 'provider' }));
    v.set(AppHost, appHostRecord);
    for (const g of globals) if (g !== node) for (const [t, r] of g.exported) v.set(t, r);
    for (const m of node.imports) for (const [t, r] of m.exported) v.set(t, r);
    for (const [t, r] of node.providers) v.set(t, r);
  }
  return { root, order, appHost };
}
