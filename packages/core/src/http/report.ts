/**
 * Where unexpected errors go (a handler's 500, a failing hook, a stream that broke): the
 * `onError` option of the app or engine, by default the console.
 */

import { logPrefix } from './worker-id.js';

/** The default reporter: `console.error` with the framework's prefix, which names the worker in a worker process. */
export function reportToConsole(error: unknown): void {
  console.error(logPrefix(), error);
}

/** `onError` (default: the console) wrapped so that a failing reporter never breaks a request. */
export function safeReporter(onError: ((error: unknown) => void) | undefined): (error: unknown) => void {
  const report = onError ?? reportToConsole;
  return (error) => {
    try {
      report(error);
    } catch {
      // a failing reporter must not break the request
    }
  };
}
