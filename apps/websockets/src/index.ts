export * from './bootstrap';
export * from './websockets.config';
export * from './websockets.module';
