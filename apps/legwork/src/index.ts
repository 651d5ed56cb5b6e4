export * from './banner';
export * from './launcher';
export * from './legwork.config';
