export * from './kazoo-quickcall.samples';
export * from './call-event.samples';
