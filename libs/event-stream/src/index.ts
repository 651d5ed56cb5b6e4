export * from './event-stream.error';
export * from './event-stream.options';
export * from './binding.parser';
export * from './blackhole.protocol';
export { streamedEventSchema, eventAccountId, type StreamedEvent } from './call-event.frame';
export { SubscriptionSet, type Subscription } from './subscription.set';
export { EventStreamServer, type EventStreamDeps } from './event-stream.server';
