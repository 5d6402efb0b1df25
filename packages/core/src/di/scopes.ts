/**
 * How long an instance lives.
 * - `singleton` (default): one instance for the application, created at start-up.
 * - `transient`: a new instance for every class or factory that injects it.
 * - `request`: one instance per request, shared by everything that request resolves. A class
 *   that depends on a request-scoped provider becomes request-scoped itself (its controller
 *   too): see docs/dependency-injection.md for what that costs.
 */
export const Scope = {
  Singleton: 'singleton',
  Transient: 'transient',
  Request: 'request',
} as const;

export type Scope = (typeof Scope)[keyof typeof Scope];

export function isScope(value: unknown): value is Scope {
  return value === 'singleton' || value === 'transient' || value === 'request';
}
