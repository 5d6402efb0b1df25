/**
 * Errors of the DI layer. All of them are raised at start-up (`Armature.create`,
 * `Test…compile()`) or at class definition (a decorator on the wrong kind of member), and say
 * what to change. The messages are in messages.ts, by code.
 */
export type DiErrorCode =
  /** No provider for a token in the module that needs it. */
  | 'MISSING_PROVIDER'
  /** Providers that need each other. */
  | 'CIRCULAR_DEPENDENCY'
  /** A module exports something it neither provides nor imports. */
  | 'INVALID_EXPORT'
  /** Two controller methods for the same method and path. */
  | 'DUPLICATE_ROUTE'
  /** A decorator on the wrong kind of class member. */
  | 'DECORATOR_MISUSE'
  /** `inject()` outside a field initialiser, constructor or factory. */
  | 'NO_INJECTION_CONTEXT'
  /** A malformed module, provider or controller declaration. */
  | 'INVALID_DECLARATION'
  /** A request-scoped provider where it cannot be (a module class, `armature.get()`). */
  | 'SCOPE'
  /** A constructor or factory threw (or its promise rejected) at start-up. */
  | 'PROVIDER_FAILED'
  /** A decorator was called the legacy way (`experimentalDecorators` in tsconfig.json). */
  | 'LEGACY_DECORATORS'
  /** A lifecycle hook (onModuleInit, onModuleDestroy, …) threw or rejected. */
  | 'HOOK_FAILED';

export class DiError extends Error {
  readonly code: DiErrorCode;
  constructor(code: DiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DiError';
    this.code = code;
  }
}
