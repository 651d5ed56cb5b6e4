export * from './binding-target';
export * from './flow-bindings';
export * from './sip-server';
export * from './sip-server.config';
export * from './sip-server.errors';
export * from './flow-relay';
export * from './relay-route';
