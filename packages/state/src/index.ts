/** @armature/state: read-optimized state and caching, shared across workers and machines. */
export { ReadState, type ReadStateOptions, type Recipe, type Subscriber } from './read-state.js';
export { ReadCache, type ReadCacheOptions } from './read-cache.js';
export type { Snapshot, StateSync, SyncChannel, SyncListener, WriteResult } from './sync.js';
export { workerSync } from './workers-sync.js';
export { redisSync, type RedisSyncClient, type RedisSyncOptions, type RedisSyncSubscriber } from './redis-sync.js';
