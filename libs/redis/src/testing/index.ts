export * from './redis-cluster';
export * from './redis-sentinel';
