export * from './bootstrap';
export * from './event-stream.service';
export * from './websockets.config';
export * from './websockets.module';
