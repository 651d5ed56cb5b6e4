export * from './dialog';
export * from './dialog-id';
export * from './dialog-layer';
export * from './dialog.types';
export * from './invite-queue';
export { sameOrigin } from './session-change';
