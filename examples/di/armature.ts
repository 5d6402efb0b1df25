// The example imports Armature through this file: from the source tree, so that it runs (and is
// tested) without a build. An application writes `from '@armature/core'` instead.
export * from '../../packages/core/src/index.js';
// The package's root exports the adapters' request-injection helper as `inject` (see
// docs/adapters.md); here `inject` is the dependency-injection one.
export { inject } from '../../packages/core/src/di/index.js';
