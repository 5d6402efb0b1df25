// The example imports Armature through this one file, as `@armature/core` (the built package:
// `npm install` builds it), so that its tests, its OpenAPI document and its typed client all see
// the same decorators. The testing module comes from `@armature/core/testing`.
export * from '@armature/core';
