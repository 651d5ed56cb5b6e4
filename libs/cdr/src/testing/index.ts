export * from './cdr-store.contract';
