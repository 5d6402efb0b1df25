// Dependency injection: decorators, modules, the container, lifecycle (the testing module is in ../testing.ts).
export { InjectionToken, type Token, type TokenValue, type TokenValues, type Class, type AbstractClass } from './tokens.js';
export { Scope } from './scopes.js';
export { DiError, type DiErrorCode } from './errors.js';
export { Injectable, Controller, Module, Global, Catch, type InjectableOptions, type ControllerOptions } from './decorators.js';
export { Get, Post, Put, Patch, Delete, Head, Options, All, type Ctx } from './routes.js';
export type { RouteDecoratorOptions } from './metadata.js';
export {
  UseGuards, UseInterceptors, UseFilters,
  type CanActivate, type Interceptor, type CallHandler, type ExceptionFilter, type GuardLike, type InterceptorLike, type FilterLike,
} from './enhancers.js';
export { inject, type InjectionOptions } from './container.js';
export type { ConfiguresMiddleware, InjectableMiddleware, MiddlewareConfigProxy, MiddlewareConsumer, MiddlewareLike, RouteInfo } from './middleware.js';
export { REQUEST, provide, type ProviderRecipe, type Provider, type ClassProvider, type ValueProvider, type FactoryProvider, type ExistingProvider } from './provider.js';
export { AppHost } from './app-host.js';
export { Injector, type ModuleMetadata, type DynamicModule, type ModuleImport, type ModuleClass } from './module.js';
export type { OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown } from './lifecycle.js';
export { Armature, type ArmatureOptions } from './armature.js';
export { controllerRoutes, type ControllerRoute } from './compile.js';
export { methodsOf } from './class-methods.js';
