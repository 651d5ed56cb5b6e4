export * from './auth.errors';
export * from './digest';
export * from './digest-credentials';
export * from './digest-hash';
export { NonceIssuer, type NonceState } from './digest-nonce';
export { NonceCountTracker, type NonceCounter } from './nonce-count.tracker';
export * from './digest-client';
