/**
 * The catalogue of DI error messages, keyed by error code (see errors.ts). Each message says
 * what is wrong and what to change; `diError(code, key, ...args)` builds the error. Messages
 * elsewhere in `di/` are not written inline: add them here.
 */
import { DiError, type DiErrorCode } from './errors.js';
import { tokenName } from './tokens.js';

/**
 * Said after a value that is `undefined` where a class, token or module was expected: the usual
 * cause is a cycle of imports between files (see "Circular imports" in docs/dependency-injection.md).
 */
export const CIRCULAR_IMPORT_HINT = '(a circular import between files?)';

/** A value for a message: its name, and for `undefined` the circular-import hint. */
export function shown(value: unknown): string {
  return value === undefined ? `undefined ${CIRCULAR_IMPORT_HINT}` : tokenName(value);
}

const SCOPES = 'Scope.Singleton, Scope.Transient or Scope.Request';

/** Where each decorator goes: what it can decorate, and the hint when it is put elsewhere. */
export const PLACEMENT = {
  service: ['a class', 'Put it on the service class.'],
  controller: ['a class', 'Put it on the controller class; routes are methods decorated with @Get(), @Post()….'],
  module: ['a class', 'Put it on a (usually empty) module class.'],
  global: ['a class', 'Put it on a module class.'],
  filter: ['a class', 'Put it on an exception filter class (one with a catch(error, ctx) method).'],
  route: ['an instance method of a controller class',
    'Routes are public, non-static methods: `@Get(\'/\') list(ctx) { … }`; the class itself takes @Controller(\'/prefix\').'],
  enhancer: ['a controller class or one of its route methods', 'Put it on the class (every route) or on a route method.'],
} as const;

export type Placement = keyof typeof PLACEMENT;
const A_TOKEN = 'a class or InjectionToken';
const LAZY = (name: string): string => `private injector = inject(Injector), then injector.get(${name}) when first needed`;

export const MESSAGES = {
  MISSING_PROVIDER: {
    notVisible: (chain: string, name: string, module: string, hint: string) => `${chain}: no provider for ${name} in ${module}. ${hint}`,
    undefinedDependency: (chain: string, dependant: string, value: unknown) => `${chain}: a dependency of ${dependant} is ${shown(value)}`,
    noModule: (name: string) => `No module provides ${name}: add it to the providers of a module of the application`,
    // the hint of notVisible, depending on where the token is provided
    hintNowhere: (name: string, module: string) => `Add ${name} to the providers of ${module}, or import a module that provides and exports it.`,
    hintNotExported: (name: string, owner: string, module: string) =>
      `${name} is provided by ${owner}, which ${module} imports, but ${owner} does not export it: add ${name} to the exports of ${owner}.`,
    hintNotImported: (name: string, owner: string, module: string) => `${name} is provided and exported by ${owner}: add ${owner} to the imports of ${module}.`,
    hintNeither: (name: string, owner: string, module: string) =>
      `${name} is provided by ${owner}: add ${name} to the exports of ${owner}, and ${owner} to the imports of ${module}.`,
  },
  CIRCULAR_DEPENDENCY: {
    providers: (cycle: string, from: string, name: string) =>
      `Circular dependency: ${cycle}${from}. Break it: move what they share into a third provider, or let one side resolve the other lazily (${LAZY(name)}).`,
    modules: (cycle: string) => `Modules import each other: ${cycle}. Move what they share into a third module that both import.`,
  },
  INVALID_EXPORT: {
    moduleNotImported: (module: string, exported: string) => `${module} exports the module ${exported} but does not import it: add ${exported} to the imports of ${module}`,
    notOwned: (module: string, name: string) =>
      `${module} exports ${name}, which is neither one of its providers nor exported by a module it imports: add ${name} to the providers of ${module} (or import the module that exports it)`,
  },
  DUPLICATE_ROUTE: {
    twice: (route: string, first: string, second: string) => `${route} is declared twice: by ${first} and by ${second}. Change the path (or the controller prefix) of one of them.`,
  },
  DECORATOR_MISUSE: {
    wrongTarget: (decorator: string, placement: Placement, what: string) =>
      `${decorator} can only decorate ${PLACEMENT[placement][0]}, but it was applied to ${what}. ${PLACEMENT[placement][1]}`,
  },
  LEGACY_DECORATORS: {
    legacyCall: (decorator: string) =>
      `${decorator} was called as a legacy (experimentalDecorators) decorator. Armature uses TC39 standard decorators: remove experimentalDecorators and emitDecoratorMetadata from tsconfig.json (see "TypeScript configuration" in docs/dependency-injection.md).`,
  },
  NO_INJECTION_CONTEXT: {
    outside: (name: string) =>
      `inject(${name}) was called outside an injection context. Call it in a field initialiser or the constructor of a class the container creates, or in a useFactory before its first await; elsewhere use an Injector (private injector = inject(Injector)) and injector.get(${name}).`,
  },
  INVALID_DECLARATION: {
    optionsNotObject: (where: string, value: unknown) => `${where}: options must be an object, got ${shown(value)}`,
    badScope: (where: string, value: unknown) => `${where}: scope must be ${SCOPES}, got ${String(value)}`,
    depsNotArray: (where: string) => `${where}: the dependency list must be an array of tokens`,
    depNotToken: (where: string, index: number, value: unknown) => `${where}: dependency ${index} is ${shown(value)}, not ${A_TOKEN}`,
    constructorWithoutDeps: (name: string, count: number) =>
      `${name}'s constructor takes ${count} parameter${count === 1 ? '' : 's'} but declares no deps, so the container would call it with none (standard decorators carry no parameter types). Inject in fields (private db = inject(Db)), or list the constructor's tokens in order: @Injectable({ deps: [Db, CONFIG] }) (@Controller({ path, deps }) for a controller).`,
    factoryWithoutInject: (where: string, count: number) =>
      `${where}: useFactory takes ${count} parameter${count === 1 ? '' : 's'} but the provider has no inject list, so it would be called with none: add inject: [TokenA, …] in parameter order, or call inject() inside the factory.`,
    controllerPath: (value: unknown) => `@Controller(): the path prefix must be a string, got ${shown(value)}`,
    transientController: () => '@Controller(): a controller is a singleton or request-scoped (Scope.Request), not transient',
    moduleNotObject: () => '@Module() takes an object: { imports, controllers, providers, exports }',
    catchArgument: (index: number, value: unknown) => `@Catch(): argument ${index} is ${shown(value)}, not an error class`,
    routePath: (decorator: string, value: unknown) => `${decorator}: the path must be a string, got ${shown(value)}`,
    routeStatus: (decorator: string, value: unknown) => `${decorator}: status must be an HTTP status code (100-599), got ${String(value)}`,
    enhancerArgument: (decorator: string, index: number, value: unknown, method: string) =>
      `${decorator}: argument ${index} is ${shown(value)}, not a class or an object with a ${method}() method`,
    enhancerMethod: (name: string, what: string, method: string) => `${name} is used as a ${what} but has no ${method}() method`,
    notController: (name: string, module: string) =>
      `${name} is in the controllers of ${module} but is not decorated with @Controller(): add @Controller('/prefix') to the class (or move it to providers if it is a service)`,
    routeRejected: (who: string, route: string, reason: string) => `${who} → ${route}: ${reason}`,
    // module middleware: configure(consumer)
    middlewareRoute: (where: string, value: unknown) => `${where}: a route must be a path, { path, method } or a controller class, got ${shown(value)}`,
    middlewareWildcard: (where: string, path: string) => `${where}: "${path}" — a wildcard is allowed only as the last segment ("/users/*") or alone ("*")`,
    middlewareItem: (where: string, value: unknown) =>
      `${where}: apply() takes middleware functions (ctx, next) => …, classes with use(ctx, next), or instances of them; got ${shown(value)}`,
    middlewareUse: (where: string, name: string) => `${where}: ${name} is applied as middleware but has no use(ctx, next) method`,
    middlewareEmpty: (where: string) => `${where}: apply() needs at least one middleware`,
    middlewareNoRoutes: (where: string) => `${where}: forRoutes() needs at least one route ('*' for every request)`,
    middlewareWithoutRoutes: (where: string) => `${where}: apply(…) without forRoutes(…): say where the middleware runs ('*' for every request)`,
    notArray: (where: string) => `${where} must be an array`,
    notModule: (where: string, value: unknown) => `${where} is ${shown(value)}, which is not a module: decorate it with @Module({ … }) (or import the module that provides it)`,
    notModuleEntry: (where: string, value: unknown) => `${where} is ${shown(value)}: expected a @Module class or a dynamic module { module, providers, … }`,
    controllerNotClass: (where: string, value: unknown) => `${where} is ${shown(value)}, not a class`,
    controllerTwice: (name: string, first: string, second: string) => `${name} is in the controllers of both ${first} and ${second}: list it in one module only`,
    exportNotToken: (where: string, value: unknown) => `${where} is ${shown(value)}: expected a provider token or an imported module`,
    providerMissing: (where: string, value: unknown) => `${where} is ${shown(value)}: a class or { provide, useClass | useValue | useFactory | useExisting } was expected`,
    provideNotToken: (where: string, value: unknown) => `${where}: provide is ${shown(value)}, not ${A_TOKEN}`,
    notProvider: (where: string) => `${where} is not a provider: give a class or { provide, useClass | useValue | useFactory | useExisting }`,
    useClass: (where: string, value: unknown) => `${where}: useClass is ${shown(value)}, not a class`,
    useFactory: (where: string) => `${where}: useFactory must be a function`,
    useExisting: (where: string, value: unknown) => `${where}: useExisting is ${shown(value)}, not ${A_TOKEN}`,
    noRecipe: (where: string) => `${where} needs one of useClass, useValue, useFactory or useExisting`,
  },
  SCOPE: {
    requestScopedModule: (module: string) =>
      `The module class ${module} injects a request-scoped provider; a module is a singleton. Inject it in a request-scoped service or controller instead.`,
    getRequestScoped: (name: string) =>
      `${name} is request-scoped: it exists only while a request is handled. Inject it into a controller or a request-scoped provider instead of getting it from the application.`,
    outsideRequest: (name: string) =>
      `${name} is request-scoped: it exists only while a request is handled, and was asked for outside one. Inject it into a controller or a request-scoped provider.`,
    asyncRequestFactory: (chain: string, name: string) =>
      `${chain}: ${name} is a request-scoped factory that returned a promise; request-scoped factories must return synchronously (make the async part a singleton, or return an object whose methods are async).`,
  },
  PROVIDER_FAILED: {
    asyncFactory: (chain: string, name: string, module: string, reason: string) => `${chain}: the async factory of ${name} (in ${module}) failed: ${reason}`,
    create: (chain: string, name: string, module: string, reason: string) => `${chain}: creating ${name} (in ${module}) failed: ${reason}`,
  },
  HOOK_FAILED: {
    hook: (name: string, hook: string, reason: string) => `${hook}() of ${name} failed: ${reason}`,
  },
} as const satisfies { readonly [C in DiErrorCode]: Readonly<Record<string, (...args: never[]) => string>> };

type Catalogue = typeof MESSAGES;
type ArgsOf<F> = F extends (...args: infer A) => string ? A : never;

/** The DiError of `code` with the catalogue's message `key`. */
export function diError<C extends DiErrorCode, K extends keyof Catalogue[C]>(code: C, key: K, ...args: ArgsOf<Catalogue[C][K]>): DiError {
  return new DiError(code, (MESSAGES[code][key] as (...a: unknown[]) => string)(...args));
}

/** The same, caused by `cause` (a constructor's or a hook's own error). */
export function diErrorCausedBy<C extends DiErrorCode, K extends keyof Catalogue[C]>(cause: unknown, code: C, key: K, ...args: ArgsOf<Catalogue[C][K]>): DiError {
  return new DiError(code, (MESSAGES[code][key] as (...a: unknown[]) => string)(...args), { cause });
}

/** An error's message, for the `reason` of a message. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
