export * from './sip-text.rules';
export * from './sip-safe.schemas';
