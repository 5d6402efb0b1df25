// The example imports Armature through this file: from the source tree, so that it runs (and is
// tested) without a build. An application writes `from '@armature/core'` instead.
export * from '../../packages/core/src/index.js';
