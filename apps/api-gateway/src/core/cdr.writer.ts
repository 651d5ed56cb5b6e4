import type { Bus, Consumer } from '@legwork/bus';
import type { CdrStore } from '@legwork/cdr';
import type { Logger } from '@legwork/common';
import { EXCHANGES, SHARED_QUEUE_NAMES, callEventBindingKey, callEvents, type ChannelDestroy } from '@legwork/contracts';
import { cdrFromDestroy } from './cdr.record';

/** Shared durable queue: every gateway competes on it, so each CDR is written once cluster-wide. */
export const CDR_QUEUE = SHARED_QUEUE_NAMES.cdr;

/** Turns each CHANNEL_DESTROY on `callevt` into the account's CDR; invalid events are dead-lettered by the bus. */
export class CdrWriter {
  private consumer: Consumer | undefined;

  constructor(private readonly deps: { bus: Bus; store: CdrStore; logger: Logger }) {}

  async start(): Promise<void> {
    const { bus } = this.deps;
    const queue = await bus.declareQueue(CDR_QUEUE, { durable: true, type: 'quorum', bindings: [{ exchange: EXCHANGES.callevt.name, routingKey: callEventBindingKey('CHANNEL_DESTROY') }] });
    this.consumer = await bus.consume(queue, callEvents.CHANNEL_DESTROY.schema, (event) => this.write(event));
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.cancel();
  }

  private async write(event: ChannelDestroy): Promise<void> {
    const stored = await this.deps.store.put(cdrFromDestroy(event));
    if (!stored) this.deps.logger.debug({ callId: event['Call-ID'] }, 'cdr already written (redelivered event)');
  }
}
