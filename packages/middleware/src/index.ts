/**
 * @armature/middleware: the middleware a service needs on day one. Each feature is also a subpath
 * of its own (`@armature/middleware/cors`, …) so that an app loads only what it uses.
 */
export * from './cors.js';
export * from './security-headers.js';
export * from './request-id.js';
export * from './rate-limit/index.js';
export * from './etag.js';
export * from './static/index.js';
export * from './multipart/index.js';
export * from './modules.js';
