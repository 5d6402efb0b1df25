// @armature/config: the environment and .env files, validated at start-up with any Standard Schema.
export { ConfigService, type ConfigPath, type ConfigPathValue } from './config-service.js';
export { ConfigError, type ConfigIssue } from './errors.js';
export { parseEnvText } from './env-file.js';
export { loadConfig, type ConfigOptions, type ConfigValues } from './load.js';
export { ConfigModule, type ConfigModuleOptions } from './module.js';
export { ConfigNamespace, registerAs, type ConfigType, type Environment } from './namespace.js';
