/**
 * Lifecycle hooks of singleton providers, controllers and module classes. Start-up runs
 * onModuleInit then onApplicationBootstrap over every instance in dependency order (a provider
 * after what it injects); shutdown runs beforeApplicationShutdown, drains the server, then
 * onModuleDestroy and onApplicationShutdown, in reverse order. Async hooks are awaited one
 * after the other.
 */

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
      if (errors === undefined) throw error;
      errors.push(error);
    }
  }
}

export const DEFAULT_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
