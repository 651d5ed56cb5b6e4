import type { Bus } from '@legwork/bus';
import { callEventBindingKey, EXCHANGES } from '@legwork/contracts';
import { partitionKey, partitionQueueName, retryQueueName, retryKey, WEBHOOK_TOPOLOGY as T } from './delivery-job';
import { DEFAULT_PARTITIONS } from './partition';

/**
 * Declares the delivery topology (idempotent); every worker and the replay tool call it. The ordered queues (the event
 * queue and the partitions) stay classic: the balancer's hand-over of a partition did not happen on a quorum queue
 * with a single active consumer on RabbitMQ 3.10 (the three-worker order test timed out waiting for a second worker).
 */
export async function declareWebhookTopology(bus: Bus, retryTiersMs: number[], partitions = DEFAULT_PARTITIONS): Promise<void> {
  await bus.declareExchange(T.exchange, 'direct');
  await bus.declareQueue(T.eventQueue, { singleActiveConsumer: true, bindings: [{ exchange: EXCHANGES.callevt.name, routingKey: callEventBindingKey('*', '*') }] });
  await bus.declareQueue(T.deliverQueue, { type: 'quorum', bindings: [{ exchange: T.exchange, routingKey: T.deliverKey }] });
  for (let p = 0; p < partitions; p++) {
    await bus.declareQueue(partitionQueueName(p), { singleActiveConsumer: true, bindings: [{ exchange: T.exchange, routingKey: partitionKey(p) }] });
  }
  await bus.declareQueue(T.deadQueue, { type: 'quorum', deadLetter: false, bindings: [{ exchange: T.exchange, routingKey: T.deadKey }] });
  for (const ms of new Set(retryTiersMs)) {
    await bus.declareQueue(retryQueueName(ms), { type: 'quorum', ttlMs: ms, deadLetter: { exchange: T.exchange, routingKey: T.deliverKey }, bindings: [{ exchange: T.exchange, routingKey: retryKey(ms) }] });
  }
}

/** Every queue the pipeline declares, for tools that list or remove them. */
export function webhookQueueNames(retryTiersMs: number[], partitions = DEFAULT_PARTITIONS): string[] {
  const parts = Array.from({ length: partitions }, (_, p) => partitionQueueName(p));
  return [T.eventQueue, T.deliverQueue, ...parts, T.deadQueue, ...new Set(retryTiersMs.map(retryQueueName))];
}

/** Queues whose messages wait to go out now (retries wait in the delay queues). */
export function webhookBacklogQueues(partitions = DEFAULT_PARTITIONS): string[] {
  return [T.eventQueue, T.deliverQueue, ...Array.from({ length: partitions }, (_, p) => partitionQueueName(p))];
}

/**
 * The unordered event queue of earlier versions, where it still exists: unbound, so it stops filling, and
 * returned so its last events can be drained. Undefined when there is none.
 */
export async function retireLegacyEventQueue(bus: Bus): Promise<string | undefined> {
  try {
    await bus.queueDepth(T.legacyEventQueue);
  } catch {
    return undefined;
  }
  await bus.unbindQueue(T.legacyEventQueue, EXCHANGES.callevt.name, callEventBindingKey('*', '*'));
  return T.legacyEventQueue;
}
