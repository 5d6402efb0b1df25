/**
 * Class decorators: @Injectable, @Controller, @Module, @Global, @Catch. They only record
 * options (see metadata.ts); the container reads them at start-up.
 */
import type { DiError } from './errors.js';
import { diError, type Placement } from './messages.js';
import { catches, controllers, globalModules, injectables, modules } from './metadata.js';
import type { ModuleMetadata } from './module.js';
import { checkDeps, scopeOf, type ModuleDecorator, type Provider } from './provider.js';
import type { Scope } from './scopes.js';
import type { Token, TokenValues } from './tokens.js';

/** A class decorator whose class's constructor takes the values of `D`, in order. */
export type ClassDecoratorFor<D extends readonly unknown[]> = <C extends abstract new (...args: TokenValues<D>) => unknown>(
  value: C,
  context: ClassDecoratorContext<C>,
) => void;

export interface InjectableOptions<D extends readonly Token[] = readonly Token[]> {
  /** Default `singleton`. */
  scope?: Scope;
  /**
   * Constructor arguments, in order: `@Injectable({ deps: [Db, CONFIG] })` then
   * `constructor(db: Db, config: Config)`. TypeScript checks that they match. Fields that call
   * `inject()` need no declaration.
   */
  deps?: D;
}

export interface ControllerOptions<D extends readonly Token[] = readonly Token[]> extends InjectableOptions<D> {
  /** Path prefix of every route of the controller (default none). */
  path?: string;
}

const KIND_WORD: Record<string, string> = {
  class: 'class',
  method: 'method',
  getter: 'getter',
  setter: 'setter',
  field: 'field',
  accessor: 'accessor',
};

/**
 * Throws unless `context` is a standard decorator context. With `experimentalDecorators` in
 * tsconfig.json, TypeScript calls decorators the legacy way: `(constructor)` for a class,
 * `(prototype, key, descriptor)` for a method, `(prototype, key)` for a field.
 */
export function checkStandard(decorator: string, context: unknown): asserts context is DecoratorContext {
  if (typeof context !== 'object' || context === null || typeof (context as { kind?: unknown }).kind !== 'string') {
    throw diError('LEGACY_DECORATORS', 'legacyCall', decorator);
  }
}

/** The error for a decorator applied to the wrong kind of thing. */
export function misuse(decorator: string, placement: Placement, context: DecoratorContext): DiError {
  const c = context as { kind: string; name: string | symbol | undefined; static?: boolean; private?: boolean };
  const name = typeof c.name === 'symbol' ? c.name.toString() : String(c.name ?? '(anonymous)');
  const what = c.kind === 'class'
    ? `the class ${name}`
    : `the ${c.static === true ? 'static ' : ''}${c.private === true ? 'private ' : ''}${KIND_WORD[c.kind] ?? c.kind} "${name}"`;
  return diError('DECORATOR_MISUSE', 'wrongTarget', decorator, placement, what);
}

function checkClass(decorator: string, context: unknown, placement: Placement): void {
  checkStandard(decorator, context);
  if (context.kind !== 'class') throw misuse(decorator, placement, context);
}

function checkOptions(decorator: string, options: InjectableOptions | undefined): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) throw diError('INVALID_DECLARATION', 'optionsNotObject', decorator, options);
  scopeOf(decorator, options.scope, 'singleton');
  checkDeps(`${decorator} deps`, options.deps);
}

/**
 * Marks a class as a provider and sets its scope or constructor dependencies. Optional for a
 * class whose dependencies are all `inject()` fields, but it documents intent.
 */
export function Injectable<const D extends readonly Token[] = []>(options?: InjectableOptions<D>): ClassDecoratorFor<D> {
  checkOptions('@Injectable()', options);
  return (value, context) => {
    checkClass('@Injectable()', context, 'service');
    injectables.set(value, { scope: options?.scope, deps: options?.deps });
  };
}

/**
 * Marks a class as a controller: its @Get/@Post… methods become routes under `prefix`.
 * `@Controller('/users')` or `@Controller({ path: '/users', scope: Scope.Request })`.
 */
export function Controller<const D extends readonly Token[] = []>(prefixOrOptions?: string | ControllerOptions<D>): ClassDecoratorFor<D> {
  const options: ControllerOptions<D> = typeof prefixOrOptions === 'string' ? { path: prefixOrOptions } : prefixOrOptions ?? {};
  checkOptions('@Controller()', options);
  if (options.path !== undefined && typeof options.path !== 'string') {
    throw diError('INVALID_DECLARATION', 'controllerPath', options.path);
  }
  if (options.scope === 'transient') {
    throw diError('INVALID_DECLARATION', 'transientController');
  }
  return (value, context) => {
    checkClass('@Controller()', context, 'controller');
    controllers.set(value, { prefix: options.path ?? '', scope: options.scope, deps: options.deps });
  };
}

/**
 * Declares a module: what it imports, provides, exports and which controllers it holds. Each
 * provider literal is checked against its token's type (`{ provide: PORT, useValue: '80' }` does
 * not compile when PORT is an `InjectionToken<number>`).
 */
export function Module<const P extends readonly Provider[] = []>(metadata: ModuleMetadata & { providers?: P }): ModuleDecorator<P> {
  if (typeof metadata !== 'object' || metadata === null) throw diError('INVALID_DECLARATION', 'moduleNotObject');
  const decorator = (value: Function, context: ClassDecoratorContext): void => {
    checkClass('@Module()', context, 'module');
    modules.set(value, metadata);
  };
  return decorator as unknown as ModuleDecorator<P>;
}

/** Makes a module's exports visible in every module, without importing it. */
export function Global(): (value: abstract new (...args: any[]) => unknown, context: ClassDecoratorContext) => void {
  return (value, context) => {
    checkClass('@Global()', context, 'global');
    globalModules.add(value);
  };
}

/**
 * Restricts an exception filter class to errors of these classes (`instanceof`); a filter
 * without @Catch handles every error.
 */
export function Catch(...errorTypes: Array<abstract new (...args: any[]) => unknown>): (value: abstract new (...args: any[]) => unknown, context: ClassDecoratorContext) => void {
  errorTypes.forEach((t, i) => {
    if (typeof t !== 'function') throw diError('INVALID_DECLARATION', 'catchArgument', i, t);
  });
  return (value, context) => {
    checkClass('@Catch()', context, 'filter');
    catches.set(value, errorTypes);
  };
}
