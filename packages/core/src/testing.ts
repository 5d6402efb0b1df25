/**
 * `@armature/core/testing`: what tests use. The DI testing module (build an application's
 * modules with providers, guards, interceptors or filters replaced) and the in-process request
 * runner as a free function (`injectRequest(app, '/path')`, the same as `app.inject('/path')`).
 */
export { inject as injectRequest, type InjectOptions, type InjectResult } from './adapters/inject.js';
export { Test, TestingModule, TestingModuleBuilder, type OverrideBy, type Mock } from './di/testing.js';
