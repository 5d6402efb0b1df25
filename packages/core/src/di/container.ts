/**
 * The container: creates and caches instances, looks dependencies up in the module that
 * declares the provider, detects cycles and missing providers, and works out at start-up which
 * classes must be request-scoped. `inject()` reads the injection context it sets while a
 * constructor, field initialiser or factory runs.
 */
import type { Context } from '../app/context.js';
import { DiError } from './errors.js';
import { providerNames } from './lifecycle.js';
import { MESSAGES, diError, diErrorCausedBy, reasonOf } from './messages.js';
import { Injector, type ModuleGraph, type ModuleNode } from './module.js';
import {
  KIND_CLASS, KIND_EXISTING, KIND_FACTORY, KIND_INJECTOR, KIND_REQUEST, KIND_VALUE, PENDING, RESOLVED, RESOLVING, UNRESOLVED,
  classRecord, fromSpec, type ProviderOverride, type ProviderRecord,
} from './provider.js';
import { tokenName, type Class, type Token } from './tokens.js';

/** The instances of one request's request-scoped providers. */
export class RequestScope {
  readonly ctx: Context;
  /** A stand-in scope used at start-up to check request-scoped classes' dependencies. */
  readonly probe: boolean;
  /** Request-scoped instances of this request as [record, instance, record, instance, …] (usually a few: a scan beats a Map). */
  instances: unknown[] | null = null;
  constructor(ctx: Context, probe: boolean) {
    this.ctx = ctx;
    this.probe = probe;
  }
}

/** Thrown when a class needs an async factory's value that is not there yet; start-up awaits it and retries. */
class NotReady {
  readonly promise: Promise<unknown>;
  constructor(promise: Promise<unknown>) {
    this.promise = promise;
  }
}

/** Thrown when start-up's stand-in request is used (not just stored) by a constructor. */
class ProbeAbort {}
const PROBE_ABORT = new ProbeAbort();

/** The request a request-scoped class sees when it is checked at start-up: any use stops the check. */
const PROBE_CONTEXT = new Proxy(Object.create(null) as object, {
  get(_target, key) {
    if (key === 'then') return undefined;
    throw PROBE_ABORT;
  },
  set() { throw PROBE_ABORT; },
  has() { throw PROBE_ABORT; },
}) as Context;

// The injection context: set while the container runs a constructor or factory.
let activeContainer: Container | null = null;
let activeModule: ModuleNode | null = null;
let activeScope: RequestScope | null = null;
/** Records being created, outermost first: the dependency chain in messages. */
const stack: ProviderRecord[] = [];

export interface InjectionOptions {
  /** Return null instead of failing when no provider is visible. */
  optional?: boolean;
}

/**
 * The instance for `token`, as seen by the module of the class being created. Call it in a field
 * initialiser (`private users = inject(UsersService)`), a constructor, or a factory (before its
 * first `await`).
 */
export function inject<T>(token: Token<T>): T;
export function inject<T>(token: Token<T>, options: { optional: true }): T | null;
export function inject<T>(token: Token<T>, options?: InjectionOptions): T | null;
export function inject<T>(token: Token<T>, options?: InjectionOptions): T | null {
  if (activeContainer === null) {
    throw noContext(token);
  }
  const rec = activeModule!.visible.get(token);
  if (rec !== undefined) return (rec.state === RESOLVED ? rec.instance : activeContainer.resolveRecord(rec, activeScope)) as T;
  if (options?.optional === true) return null;
  throw activeContainer.missing(token, activeModule!);
}

function noContext(token: Token): DiError {
  return diError('NO_INJECTION_CONTEXT', 'outside', tokenName(token));
}

/** True for a promise or any object with a `then` method. */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as PromiseLike<unknown>).then === 'function';
}

const chainOf = (records: readonly ProviderRecord[], last?: string): string =>
  [...records.map((r) => r.name), ...(last === undefined ? [] : [last])].join(' → ');

class ModuleInjector extends Injector {
  private readonly container: Container;
  private readonly module: ModuleNode;
  constructor(container: Container, module: ModuleNode) {
    super();
    this.container = container;
    this.module = module;
  }
  get<T>(token: Token<T>, options?: { optional?: boolean }): any {
    const scope = activeContainer === this.container ? activeScope : null;
    return this.container.resolveToken(token, this.module, scope, options?.optional === true);
  }
}

export class Container {
  readonly graph: ModuleGraph;
  readonly overrides: ReadonlyMap<Token, ProviderOverride> | null;
  /** Singleton instances in the order they were created: dependencies before dependants. */
  readonly created: unknown[] = [];
  private readonly createdSet = new Set<unknown>();
  /** True during start-up: request-scoped dependencies are then discovered, not created. */
  private booting = true;

  constructor(graph: ModuleGraph, overrides: ReadonlyMap<Token, ProviderOverride> | null) {
    this.graph = graph;
    this.overrides = overrides;
  }

  /** Creates every singleton (awaiting async factories) and checks every other provider. */
  async boot(): Promise<void> {
    const { order } = this.graph;
    for (const node of order) for (const rec of node.providers.values()) if (rec.kind === KIND_FACTORY) await this.resolveRoot(rec);
    for (const node of order) for (const rec of node.controllers) await this.resolveRoot(rec);
    for (const node of order) for (const rec of node.providers.values()) await this.resolveRoot(rec);
    for (const node of order) {
      await this.resolveRoot(node.record);
      if (node.record.requestScoped) {
        throw diError('SCOPE', 'requestScopedModule', node.name);
      }
    }
  }

  /** Start-up is over: from now on a request-scoped provider outside a request is an error. */
  finishBoot(): void {
    this.booting = false;
  }

  /** Resolves a record from the top (no dependant), awaiting async factories on the way. */
  async resolveRoot(rec: ProviderRecord): Promise<void> {
    for (;;) {
      try {
        this.resolveRecord(rec, null);
        return;
      } catch (error) {
        if (error instanceof NotReady) {
          await error.promise;
          continue;
        }
        if (error === PROBE_ABORT) return;
        throw error;
      }
    }
  }

  /** The record of a guard, interceptor or filter class used by a controller of `node`. */
  enhancerRecord(cls: Class, node: ModuleNode): ProviderRecord {
    const visible = node.visible.get(cls);
    if (visible !== undefined) return visible;
    let rec = node.enhancers.get(cls);
    if (rec === undefined) {
      const override = this.overrides?.get(cls);
      rec = override !== undefined
        ? fromSpec(cls, override as Record<string, unknown>, node, `${cls.name} (used by a controller of ${node.name})`, 'enhancer')
        : classRecord(cls, cls, node, 'enhancer');
      node.enhancers.set(cls, rec);
    }
    return rec;
  }

  /** `armature.get(token)`: the root module's view first, then any module's own providers. */
  get<T>(token: Token<T>): T {
    let rec = this.graph.root.visible.get(token);
    if (rec === undefined) {
      for (const node of this.graph.order) {
        rec = node.providers.get(token);
        if (rec !== undefined) break;
      }
    }
    if (rec === undefined) {
      throw diError('MISSING_PROVIDER', 'noModule', tokenName(token));
    }
    if (rec.requestScoped) {
      throw diError('SCOPE', 'getRequestScoped', rec.name);
    }
    return this.resolveRecord(rec, null) as T;
  }

  /** The instance of a request-scoped record for this request (a controller: a new one). */
  instantiate(rec: ProviderRecord, scope: RequestScope): unknown {
    return this.create(rec, scope);
  }

  resolveToken(token: Token, module: ModuleNode, scope: RequestScope | null, optional: boolean): unknown {
    const rec = module.visible.get(token);
    if (rec === undefined) {
      if (optional) return null;
      throw this.missing(token, module);
    }
    return rec.state === RESOLVED ? rec.instance : this.resolveRecord(rec, scope);
  }

  resolveRecord(rec: ProviderRecord, scope: RequestScope | null): unknown {
    if (rec.state === RESOLVED) return rec.instance;
    if (rec.requestScoped) return this.resolveInRequest(rec, scope);
    if (rec.scope === 'transient') return this.createChecked(rec, scope);
    return this.resolveSingleton(rec);
  }

  private resolveSingleton(rec: ProviderRecord): unknown {
    if (rec.state === RESOLVING) throw this.circular(rec);
    if (rec.state === PENDING) throw new NotReady(rec.pending!);
    rec.state = RESOLVING;
    let value: unknown;
    try {
      value = this.create(rec, null);
    } catch (error) {
      rec.state = UNRESOLVED;
      throw error;
    }
    if (rec.requestScoped) {
      // it turned out to depend on something request-scoped: what was built was only a check
      rec.state = UNRESOLVED;
      return value;
    }
    if (rec.kind === KIND_FACTORY && isThenable(value)) {
      const chain = chainOf(stack, rec.name);
      rec.state = PENDING;
      const pending = Promise.resolve(value).then(
        (v) => {
          rec.instance = v;
          rec.state = RESOLVED;
          rec.pending = null;
          this.track(v, rec);
        },
        (error: unknown) => {
          throw diErrorCausedBy(error, 'PROVIDER_FAILED', 'asyncFactory', chain, rec.name, rec.host.name, reasonOf(error));
        },
      );
      pending.catch(() => {});
      rec.pending = pending;
      throw new NotReady(pending);
    }
    rec.instance = value;
    rec.state = RESOLVED;
    this.track(value, rec);
    return value;
  }

  private resolveInRequest(rec: ProviderRecord, scope: RequestScope | null): unknown {
    if (scope === null) {
      if (!this.booting) {
        throw diError('SCOPE', 'outsideRequest', rec.name);
      }
      // start-up: whatever is being created depends on it, so is request-scoped too
      for (const r of stack) r.requestScoped = true;
      return this.probe(rec);
    }
    if (rec.kind === KIND_REQUEST) return scope.ctx;
    if (rec.scope === 'transient') return this.createChecked(rec, scope);
    const list = scope.instances;
    if (list !== null) {
      for (let i = 0; i < list.length; i += 2) if (list[i] === rec) return list[i + 1];
    }
    const value = this.createChecked(rec, scope);
    if (rec.kind === KIND_FACTORY && isThenable(value)) {
      (value as Promise<unknown>).then(undefined, () => {});
      throw diError('SCOPE', 'asyncRequestFactory', chainOf(stack, rec.name), rec.name);
    }
    if (scope.instances === null) scope.instances = [rec, value];
    else scope.instances.push(rec, value);
    return value;
  }

  /** Creates a request-scoped record against a stand-in request, to check its dependencies at start-up. */
  private probe(rec: ProviderRecord): unknown {
    try {
      return this.resolveInRequest(rec, new RequestScope(PROBE_CONTEXT, true));
    } catch (error) {
      if (error instanceof DiError || error instanceof NotReady) throw error;
      // the class used the request while being created (or failed on the stand-in): nothing more to check
      return PROBE_CONTEXT;
    }
  }

  private createChecked(rec: ProviderRecord, scope: RequestScope | null): unknown {
    if (stack.includes(rec)) throw this.circular(rec);
    return this.create(rec, scope);
  }

  private create(rec: ProviderRecord, scope: RequestScope | null): unknown {
    const previousContainer = activeContainer;
    const previousModule = activeModule;
    const previousScope = activeScope;
    activeContainer = this;
    activeModule = rec.host;
    activeScope = scope;
    stack.push(rec);
    try {
      switch (rec.kind) {
        case KIND_CLASS:
          return rec.deps === null ? new rec.cls!() : new rec.cls!(...this.args(rec.deps, rec.host, scope));
        case KIND_FACTORY:
          return rec.deps === null ? rec.factory!() : rec.factory!(...this.args(rec.deps, rec.host, scope));
        case KIND_VALUE:
          return rec.value;
        case KIND_EXISTING:
          return this.resolveToken(rec.existing!, rec.host, scope, false);
        case KIND_INJECTOR:
          return new ModuleInjector(this, rec.host);
        default:
          throw new Error(`unknown provider kind ${rec.kind}`);
      }
    } catch (error) {
      // during a request, errors (an HttpError from a constructor, say) go to the app as they are
      if (scope !== null || error instanceof DiError || error instanceof NotReady || error === PROBE_ABORT) throw error;
      throw diErrorCausedBy(error, 'PROVIDER_FAILED', 'create', chainOf(stack), rec.name, rec.host.name, reasonOf(error));
    } finally {
      stack.pop();
      activeContainer = previousContainer;
      activeModule = previousModule;
      activeScope = previousScope;
    }
  }

  private args(deps: readonly Token[], module: ModuleNode, scope: RequestScope | null): unknown[] {
    const out = new Array<unknown>(deps.length);
    for (let i = 0; i < deps.length; i++) out[i] = this.resolveToken(deps[i]!, module, scope, false);
    return out;
  }

  private track(value: unknown, rec: ProviderRecord): void {
    if ((typeof value === 'object' || typeof value === 'function') && value !== null && !this.createdSet.has(value)) {
      this.createdSet.add(value);
      this.created.push(value);
      providerNames.set(value, rec.name);
    }
  }

  private circular(rec: ProviderRecord): DiError {
    const at = stack.indexOf(rec);
    const cycle = chainOf(stack.slice(at), rec.name);
    const from = at > 0 ? ` (reached from ${chainOf(stack.slice(0, at + 1))})` : '';
    return diError('CIRCULAR_DEPENDENCY', 'providers', cycle, from, rec.name);
  }

  /** No provider for `token` in `module`: say where it is provided and what to change. */
  missing(token: Token, module: ModuleNode): DiError {
    const name = tokenName(token);
    const chain = chainOf(stack, name);
    if (token === undefined || token === null) {
      return diError('MISSING_PROVIDER', 'undefinedDependency', chain, stack.at(-1)?.name ?? 'a class', token);
    }
    const owners = this.graph.order.filter((n) => n.providers.has(token));
    let hint: string;
    if (owners.length === 0) {
      hint = MESSAGES.MISSING_PROVIDER.hintNowhere(name, module.name);
    } else {
      const imported = owners.find((o) => module.imports.includes(o));
      if (imported !== undefined) {
        hint = MESSAGES.MISSING_PROVIDER.hintNotExported(name, imported.name, module.name);
      } else {
        const owner = owners[0]!;
        hint = owner.exported.has(token)
          ? MESSAGES.MISSING_PROVIDER.hintNotImported(name, owner.name, module.name)
          : MESSAGES.MISSING_PROVIDER.hintNeither(name, owner.name, module.name);
      }
    }
    return diError('MISSING_PROVIDER', 'notVisible', chain, name, module.name, hint);
  }
}
