export { cacheSweepJob, cacheSweepSchedule } from './cache-sweep.job.js';
export {
  CACHE_DIMS,
  type CachedResponseMeta,
  type CacheEntry,
  type CacheHit,
  type CacheLookup,
  cacheTenantOf,
  cacheThresholdFor,
  createSemanticCache,
  type SemanticCache,
  type SemanticCacheOptions,
} from './semantic-cache.js';
export { deleteTenant as eraseSemanticCacheTenant } from './semantic-cache.repository.js';
