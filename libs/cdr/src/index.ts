export * from './cdr.store';
export * from './cdr.errors';
export { sortKey } from './cdr.order';
export { createCdrStore } from './cdr-store.factory';
export { MemoryCdrStore } from './memory-cdr-store.driver';
export { RedisCdrStore } from './redis-cdr-store.driver';
