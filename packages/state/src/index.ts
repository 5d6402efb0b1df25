/** @armature/state: read-optimized state and caching, shared across workers and machines. */
export { ReadState, type ReadStateOptions, type Recipe, type Subscriber } from './read-state.js';
export { ReadCache, type ReadCacheOptions } from './read-cache.js';
export type { Snapshot, StateSync, SyncChannel, SyncListener, WriteResult } from './sync.js';
export { workerSync } from './workers-sync.js';
export { redisSync, type RedisSyncClient, type RedisSyncOptions, type RedisSyncSubscriber } from './redis-sync.js';
export { Cache, type CacheOptions, type CacheSetOptions } from './cache/cache.js';
export type { CacheStore } from './cache/store.js';
export { MemoryCacheStore, type MemoryCacheStoreOptions } from './cache/memory-cache-store.js';
export { RedisCacheStore, type RedisCacheStoreClient, type RedisCacheStoreOptions } from './cache/redis-cache-store.js';
export { CACHED_HEADERS, defaultResponseKey, type CacheResponsesOptions } from './cache/response-cache.js';
export { CACHE_MANAGER, CacheInterceptor, CacheModule, Cacheable, cacheResponses, type CacheModuleOptions } from './cache/module.js';
export { natsKey, natsSync, type NatsKvBucket, type NatsKvEntry, type NatsKvWatch, type NatsSyncConnection, type NatsSyncOptions } from './nats-sync.js';
