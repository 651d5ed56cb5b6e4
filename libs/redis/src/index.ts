export * from './cluster-safe';
export * from './redis-client.factory';
export * from './redis-target';
export * from './redis.errors';
export * from './redis-sentinel-url';
