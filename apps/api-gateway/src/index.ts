export * from './bootstrap';
export * from './api-gateway.config';
export * from './api-gateway.module';
