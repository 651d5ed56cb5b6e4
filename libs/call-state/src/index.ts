export * from './call-state.errors';
export * from './call-state.machine';
export * from './call-record';
export * from './call-store';
export * from './call-store.factory';
export * from './call-store.keys';
export * from './clock';
export * from './registration';
