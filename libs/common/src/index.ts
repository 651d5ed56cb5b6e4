export * from './legwork-error';
export * from './logger';
export * from './ids';
