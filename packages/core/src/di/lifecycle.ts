/**
 * Lifecycle hooks of singleton providers, controllers and module classes. Start-up runs
 * onModuleInit then onApplicationBootstrap over every instance in dependency order (a provider
 * after what it injects); shutdown runs beforeApplicationShutdown, drains the server, then
 * onModuleDestroy and onApplicationShutdown, in reverse order. Async hooks are awaited one
 * after the other. A hook that fails is reported as a DiError (HOOK_FAILED) naming the provider
 * and the hook, with the hook's own error as its `cause`.
 */
import { diErrorCausedBy, reasonOf } from './messages.js';

export interface OnModuleInit {
  onModuleInit(): unknown;
}
export interface OnApplicationBootstrap {
  onApplicationBootstrap(): unknown;
}
/** Called before the server stops accepting and drains connections (e.g. fail health checks). */
export interface BeforeApplicationShutdown {
  beforeApplicationShutdown(signal?: string): unknown;
}
/** Called once in-flight requests have finished: release what they used (pools, files). */
export interface OnModuleDestroy {
  onModuleDestroy(): unknown;
}
export interface OnApplicationShutdown {
  onApplicationShutdown(signal?: string): unknown;
}

export type HookName = 'onModuleInit' | 'onApplicationBootstrap' | 'beforeApplicationShutdown' | 'onModuleDestroy' | 'onApplicationShutdown';

/** The provider (token) name of each instance the container created, for messages. */
export const providerNames = new WeakMap<object, string>();

function nameOf(instance: unknown): string {
  const known = providerNames.get(instance as object);
  if (known !== undefined) return known;
  const ctor = (instance as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'a provider';
}

/**
 * Calls `hook` on each instance that has it, in order, awaiting each. With `errors`, a failing
 * hook is recorded and the others still run; without, the first failure stops and throws.
 */
export async function callHooks(instances: readonly unknown[], hook: HookName, arg: string | undefined, errors?: unknown[]): Promise<void> {
  for (const instance of instances) {
    const fn = (instance as Record<string, unknown>)[hook];
    if (typeof fn !== 'function') continue;
    try {
      await fn.call(instance, arg);
    } catch (error) {
      const failed = diErrorCausedBy(error, 'HOOK_FAILED', 'hook', nameOf(instance), hook, reasonOf(error));
      if (errors === undefined) throw failed;
      errors.push(failed);
    }
  }
}

export const DEFAULT_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
