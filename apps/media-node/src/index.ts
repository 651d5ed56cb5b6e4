export * from './bootstrap';
export * from './media-node.config';
export * from './media-node.module';
export * from './node-heartbeat';
export * from './media-originate.service';
