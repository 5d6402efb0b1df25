// @armature/cli: the `armature` command, and its pieces for scripts and tools.
export { main, USAGE } from './cli.js';
export { generate, KINDS, type Kind, type GenerateOptions, type GenerateResult } from './generate/index.js';
export { build, type BuildOptions, type BuildResult } from './build.js';
export { dev, type DevOptions, type DevSession } from './dev.js';
export { listRoutes, formatRoutes, type RoutesOptions, type RouteLine } from './routes.js';
export { createProject, type NewOptions } from './new.js';
export { CliError } from './project.js';
