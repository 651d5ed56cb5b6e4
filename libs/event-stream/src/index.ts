export * from './event-stream.error';
export * from './event-stream.options';
export * from './binding.parser';
export * from './blackhole.protocol';
export { blackholeData, blackholeRoutingKey, eventAccountId, streamedEventSchema, type StreamedEvent } from './call-event.frame';
export { SessionAuth } from './session-auth';
export { SubscriptionSet, type Subscription } from './subscription.set';
export { EventStreamServer, type EventStreamDeps } from './event-stream.server';
export type { FanOutObserver } from './event-fan-out';
