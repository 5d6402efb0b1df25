/** Rate limiting: the middleware, its policies and the stores (memory per process, Redis shared). */
export { rateLimit, type RateLimitOptions, type RateLimitKey } from './rate-limit.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { RedisStore, type RedisStoreOptions, type RedisClientLike } from './redis-store.js';
export type { RateLimitAlgorithm, RateLimitStore, RatePolicy, RateVerdict } from './policy.js';
