export * from './legwork-error';
export * from './logger';
export * from './ids';
export * from './user-pattern';
export * from './backend-unavailable';
