export * from './bus.driver';
export { BusError, isBusError, type BusErrorCode } from './bus.error';
export { createBus } from './create-bus';
export { resolveBusConfig, type BusConfig } from './bus.config';
export { BUS_EXCHANGES, DEAD_LETTER_QUEUE, DEAD_LETTER_HEADERS } from './bus.topology';
export { topicMatches } from './topic.matcher';
export { AmqpBus } from './amqp-bus.driver';
export { InProcessBus } from './in-process-bus.driver';
export { InProcessBroker } from './in-process.broker';
