// The example imports Armature through this file: from the source tree, so that it runs (and is
// tested) without a build. An application writes `from '@armature/core'` instead (and takes the
// testing module from `@armature/core/testing`).
export * from '../../packages/core/src/index.js';
