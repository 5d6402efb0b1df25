/**
 * DI integration, as in NestJS:
 *
 *   imports: [ConfigModule.forRoot({ schema: Env, envFile: ['.env.local', '.env'], load: [databaseConfig] })]
 *   …
 *   private readonly config = inject(ConfigService<Env>);   // config.get('PORT') is a number
 *   private readonly db = inject(databaseConfig);            // the namespace's validated value
 *
 * The configuration is loaded and validated while the app starts (`Armature.create()`), so an
 * invalid one stops the start with a ConfigError listing every problem. The module is global
 * unless `global: false`. `ConfigModule.forFeature(namespace)` adds a namespace from a feature
 * module, validated against the same environment.
 */
import { Module, type DynamicModule, type StandardSchemaV1 } from '@armature/core';
import { ConfigService, environmentOf } from './config-service.js';
import { checkOptions, gatherEnvironment, validateEnvironment, type ConfigOptions } from './load.js';
import type { ConfigNamespace } from './namespace.js';

export interface ConfigModuleOptions<S extends StandardSchemaV1 | undefined = undefined, N extends readonly ConfigNamespace[] = []> extends ConfigOptions<S, N> {
  /** Visible to every module without importing it. Default true. */
  global?: boolean;
}

@Module({})
export class ConfigModule {
  /** Provides `ConfigService` and every namespace of `load`, validated at start-up. */
  static forRoot<S extends StandardSchemaV1 | undefined = undefined, const N extends readonly ConfigNamespace[] = []>(
    options: ConfigModuleOptions<S, N> = {},
  ): DynamicModule {
    checkOptions(options, 'ConfigModule.forRoot');
    const namespaces = options.load ?? [];
    return {
      module: ConfigModule,
      global: options.global ?? true,
      providers: [
        {
          provide: ConfigService,
          useFactory: async () => {
            const env = gatherEnvironment(options);
            return new ConfigService(await validateEnvironment(env, options.schema, namespaces, options.secrets ?? []), env);
          },
        },
        ...namespaces.map((ns) => ({ provide: ns, useFactory: (config: ConfigService) => config.get(ns.name), inject: [ConfigService] })),
      ],
      exports: [ConfigService, ...namespaces],
    };
  }

  /** Provides a namespace to the module importing this (it needs `forRoot()` somewhere in the app). */
  static forFeature(namespace: ConfigNamespace): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        {
          provide: namespace,
          useFactory: async (config: ConfigService) => {
            const values = await validateEnvironment(environmentOf(config), undefined, [namespace], []);
            return values[namespace.name];
          },
          inject: [ConfigService],
        },
      ],
      exports: [namespace],
    };
  }
}
