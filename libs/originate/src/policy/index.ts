export * from './number-class';
export * from './outbound-rules';
export * from './outbound-policy';
