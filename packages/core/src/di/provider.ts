/**
 * Provider declarations (`providers: [...]` of a module) and the record the container keeps
 * for each: how to make the value, its scope, the module it lives in, its state.
 */
import type { Context } from '../app/context.js';
import { diError } from './messages.js';
import { injectableMeta } from './metadata.js';
import type { ModuleNode } from './module.js';
import { isScope, type Scope } from './scopes.js';
import { InjectionToken, isToken, tokenName, type Class, type Token, type TokenValue, type TokenValues } from './tokens.js';

/** `{ provide: Logger, useClass: ConsoleLogger }`: instances of another class. */
export interface ClassProvider<T = unknown> {
  provide: Token<T>;
  useClass: Class<T>;
  /** Default: the class's @Injectable scope, else singleton. */
  scope?: Scope;
}
/** `{ provide: CONFIG, useValue: { … } }`: this very value. */
export interface ValueProvider<T = unknown> {
  provide: Token<T>;
  useValue: T;
}
/**
 * `{ provide: DB, useFactory: async (config) => connect(config.url), inject: [CONFIG] }`: the
 * factory's result; `inject` lists its arguments (it may also call `inject()` before its first
 * `await`). An async factory is awaited at start-up.
 */
export interface FactoryProvider<T = unknown> {
  provide: Token<T>;
  useFactory: (...args: any[]) => T | Promise<T>;
  inject?: readonly Token[];
  /** Default singleton. A request-scoped factory must return synchronously. */
  scope?: Scope;
}
/** `{ provide: Logger, useExisting: PinoLogger }`: an alias of another token. */
export interface ExistingProvider<T = unknown> {
  provide: Token<T>;
  useExisting: Token<T>;
}

export type Provider<T = unknown> = Class<T> | ClassProvider<T> | ValueProvider<T> | FactoryProvider<T> | ExistingProvider<T>;

/**
 * How `provide(token, recipe)` makes a `T`: the same recipes as the provider objects, each
 * checked against the token's type. A factory's parameters are typed by its `inject` list.
 */
export type ProviderRecipe<T, D extends readonly Token[]> =
  | { useValue: T }
  | { useClass: Class<T>; scope?: Scope }
  | { useFactory: (...args: TokenValues<D>) => T | Promise<T>; inject?: D; scope?: Scope }
  | { useExisting: Token<T> };

/**
 * A provider of `token` whose recipe TypeScript checks against the token's type:
 * `provide(CONFIG, { useValue: config })`, `provide(DB, { useFactory: (c) => connect(c.url), inject: [CONFIG] })`.
 * Same as writing `{ provide: token, … }`, which `@Module({ providers })` checks too.
 */
export function provide<T, const D extends readonly Token[] = []>(token: Token<T>, recipe: ProviderRecipe<NoInfer<T>, D>): Provider<T> {
  return { provide: token, ...recipe } as Provider<T>;
}

/**
 * What a provider literal must be for its token (`unknown` for a class, which provides itself,
 * and for a token typed `never`, the usual escape hatch).
 */
export type CheckedProvider<X> =
  X extends { provide: infer K extends Token } ? [K] extends [never] ? unknown
    : X extends { useValue: unknown } ? { useValue: TokenValue<K> }
    : X extends { useFactory: unknown } ? { useFactory: (...args: any[]) => TokenValue<K> | PromiseLike<TokenValue<K>> }
    : X extends { useClass: unknown } ? { useClass: abstract new (...args: any[]) => TokenValue<K> }
    : X extends { useExisting: unknown } ? { useExisting: Token<TokenValue<K>> }
    : unknown
  : unknown;

/**
 * The indexes (as strings) of the entries of a `providers` list literal that do not give their
 * token's type; never for a list that is not a literal (its entries are not known one by one).
 */
export type MismatchedProviders<L extends readonly unknown[]> = number extends L['length'] ? never : {
  [I in keyof L]: L[I] extends CheckedProvider<L[I]> ? never : I;
}[Exclude<keyof L, keyof unknown[]>];

/**
 * What `@Module()` returns: a class decorator, or, when a provider literal does not give its
 * token's type, a decorator whose parameter names the entry, so that the module does not compile.
 * (Checked here rather than on the list itself so that function values keep their contextual types.)
 */
export type ModuleDecorator<P extends readonly unknown[]> = [MismatchedProviders<P>] extends [never]
  ? (value: abstract new (...args: any[]) => unknown, context: ClassDecoratorContext) => void
  : (value: { [K in `providers[${MismatchedProviders<P> & string}] does not give the type of its token`]: true }, context: ClassDecoratorContext) => void;

/** A provider without its token: what `overrideProvider(token).use…()` replaces it with. */
export type ProviderOverride =
  | Omit<ClassProvider, 'provide'>
  | Omit<ValueProvider, 'provide'>
  | Omit<FactoryProvider, 'provide'>
  | Omit<ExistingProvider, 'provide'>;

export const KIND_CLASS = 0;
export const KIND_VALUE = 1;
export const KIND_FACTORY = 2;
export const KIND_EXISTING = 3;
/** The request's Context (`REQUEST`). */
export const KIND_REQUEST = 4;
/** The module's `Injector`. */
export const KIND_INJECTOR = 5;

export const UNRESOLVED = 0;
export const RESOLVING = 1;
export const RESOLVED = 2;
/** An async factory's promise is pending. */
export const PENDING = 3;

export type Role = 'provider' | 'controller' | 'module' | 'enhancer';

export class ProviderRecord {
  readonly token: Token;
  /** How the record appears in dependency chains. */
  readonly name: string;
  readonly kind: number;
  readonly cls: Class | null;
  readonly value: unknown;
  readonly factory: ((...args: any[]) => unknown) | null;
  /** Constructor arguments (class) or factory arguments (factory). */
  readonly deps: readonly Token[] | null;
  readonly existing: Token | null;
  readonly scope: Scope;
  /** The module whose visible providers its dependencies are looked up in. */
  readonly host: ModuleNode;
  readonly role: Role;
  /** Declared request-scoped, or depends (through any chain) on something request-scoped. */
  requestScoped: boolean;
  state = UNRESOLVED;
  instance: unknown = undefined;
  pending: Promise<unknown> | null = null;

  constructor(init: {
    token: Token; name: string; kind: number; cls?: Class | null; value?: unknown; factory?: ((...args: any[]) => unknown) | null;
    deps?: readonly Token[] | null; existing?: Token | null; scope: Scope; host: ModuleNode; role: Role;
  }) {
    this.token = init.token;
    this.name = init.name;
    this.kind = init.kind;
    this.cls = init.cls ?? null;
    this.value = init.value;
    this.factory = init.factory ?? null;
    this.deps = init.deps === undefined || init.deps === null || init.deps.length === 0 ? null : init.deps;
    this.existing = init.existing ?? null;
    this.scope = init.scope;
    this.host = init.host;
    this.role = init.role;
    this.requestScoped = init.scope === 'request';
  }
}

/** The request's Context, in request-scoped classes: `private ctx = inject(REQUEST)`. */
export const REQUEST = new InjectionToken<Context>('REQUEST');

/** Checks a list of dependency tokens (`deps`, `inject`): an array of classes or InjectionTokens. */
export function checkDeps(where: string, deps: unknown): readonly Token[] | undefined {
  if (deps === undefined) return undefined;
  if (!Array.isArray(deps)) throw diError('INVALID_DECLARATION', 'depsNotArray', where);
  deps.forEach((d, i) => {
    if (!isToken(d)) throw diError('INVALID_DECLARATION', 'depNotToken', where, i, d);
  });
  return deps as readonly Token[];
}

/** A declared scope, checked, or `fallback` when none is declared. */
export function scopeOf(where: string, scope: unknown, fallback: Scope): Scope {
  if (scope === undefined) return fallback;
  if (!isScope(scope)) throw diError('INVALID_DECLARATION', 'badScope', where, scope);
  return scope;
}

/**
 * A record for a class: its @Injectable/@Controller options give scope and constructor deps. A
 * constructor with parameters and no `deps` (the habit of frameworks that read parameter types
 * from legacy decorator metadata) is refused here rather than called with no arguments.
 */
export function classRecord(token: Token, cls: Class, host: ModuleNode, role: Role, scope?: Scope): ProviderRecord {
  const meta = injectableMeta(cls);
  if (meta?.deps === undefined && cls.length > 0) throw diError('INVALID_DECLARATION', 'constructorWithoutDeps', cls.name || '(anonymous class)', cls.length);
  return new ProviderRecord({
    token, name: tokenName(token), kind: KIND_CLASS, cls, deps: meta?.deps ?? null,
    scope: scope ?? meta?.scope ?? 'singleton', host, role,
  });
}

/** Turns `providers[index]` of `host` (or its test override) into a record. */
export function providerRecord(entry: unknown, host: ModuleNode, index: number, overrides: ReadonlyMap<Token, ProviderOverride> | null): ProviderRecord {
  const where = `providers[${index}] of ${host.name}`;
  if (entry === undefined || entry === null) {
    throw diError('INVALID_DECLARATION', 'providerMissing', where, entry);
  }
  let token: Token;
  let spec: Record<string, unknown>;
  if (typeof entry === 'function') {
    token = entry as Class;
    spec = { useClass: entry };
  } else if (typeof entry === 'object' && 'provide' in entry) {
    token = (entry as { provide: Token }).provide;
    if (!isToken(token)) throw diError('INVALID_DECLARATION', 'provideNotToken', where, token);
    spec = entry as Record<string, unknown>;
  } else {
    throw diError('INVALID_DECLARATION', 'notProvider', where);
  }
  const override = overrides?.get(token);
  if (override !== undefined) spec = override as Record<string, unknown>;
  return fromSpec(token, spec, host, where, 'provider');
}

export function fromSpec(token: Token, spec: Record<string, unknown>, host: ModuleNode, where: string, role: Role): ProviderRecord {
  const name = tokenName(token);
  const named = `${where} (${name})`;
  if ('useValue' in spec) {
    return new ProviderRecord({ token, name, kind: KIND_VALUE, value: spec.useValue, scope: 'singleton', host, role });
  }
  if ('useClass' in spec) {
    const cls = spec.useClass;
    if (typeof cls !== 'function') throw diError('INVALID_DECLARATION', 'useClass', named, cls);
    return classRecord(token, cls as Class, host, role, scopeOf(where, spec.scope, injectableMeta(cls)?.scope ?? 'singleton'));
  }
  if ('useFactory' in spec) {
    const factory = spec.useFactory;
    if (typeof factory !== 'function') throw diError('INVALID_DECLARATION', 'useFactory', named);
    const deps = checkDeps(`${named} inject`, spec.inject);
    if (deps === undefined && factory.length > 0) throw diError('INVALID_DECLARATION', 'factoryWithoutInject', named, factory.length);
    return new ProviderRecord({
      token, name, kind: KIND_FACTORY, factory: factory as (...args: any[]) => unknown, deps: deps ?? null,
      scope: scopeOf(where, spec.scope, 'singleton'), host, role,
    });
  }
  if ('useExisting' in spec) {
    const existing = spec.useExisting;
    if (!isToken(existing)) throw diError('INVALID_DECLARATION', 'useExisting', named, existing);
    return new ProviderRecord({ token, name, kind: KIND_EXISTING, existing, scope: 'singleton', host, role });
  }
  throw diError('INVALID_DECLARATION', 'noRecipe', named);
}
