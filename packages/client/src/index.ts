/**
 * `@armature/client`: a typed `fetch` client of an Armature app. `createClient<typeof api>(url)`
 * takes its types from a chain of functional route registrations and imports nothing of the app
 * at run time; `@armature/client/controller` has `controllerClient(Controller, url)` for DI
 * controllers. Guide: docs/client.md.
 */
export { createClient, type Client } from './client.js';
export { ClientError } from './errors.js';
export type { ClientOptions } from './send.js';
export type { CallArgs, CallInput, CallOptions, CallResult, Jsonify, QueryValue } from './types.js';
