export * from './bootstrap';
export * from './webhooks.config';
export * from './webhooks.module';
