import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Bus, Consumer } from '@legwork/bus';
import { callEventBindingKey, EXCHANGES } from '@legwork/contracts';
import { z } from 'zod';
import { BUS } from '../../../core/infra.tokens';

const createdSchema = z.looseObject({ 'Call-ID': z.string() });

/** The legs of one request that a media node created (CHANNEL_CREATE seen), in the order they were asked for. */
export class LegsWatch {
  private readonly seen = new Set<string>();
  private wake: (() => void) | undefined;
  private readonly first: Promise<void>;

  constructor(
    readonly callIds: string[],
    private readonly release: () => Promise<void>,
  ) {
    this.first = new Promise((resolve) => (this.wake = resolve));
  }

  created(callId: string): void {
    this.seen.add(callId);
    this.wake?.();
  }

  /** Resolves on the first leg created. */
  started(): Promise<void> {
    return this.first;
  }

  /** Waits up to `graceMs` for every leg to be created (legs of one request are created together). */
  async settled(graceMs: number): Promise<string[]> {
    const deadline = Date.now() + graceMs;
    while (this.seen.size < this.callIds.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return this.legs();
  }

  legs(): string[] {
    return this.callIds.filter((id) => this.seen.has(id));
  }

  close(): Promise<void> {
    return this.release();
  }
}

/**
 * One exclusive queue per gateway on callevt, bound once to every CHANNEL_CREATE: call_user answers with the uuids
 * of the legs that were created (the seed's "one for each originating leg"). One binding for all, rather than one
 * per request: binding per call costs the broker a channel round trip each way and caps call_user's rate.
 */
@Injectable()
export class LegsWatcher implements OnModuleDestroy {
  private queue: Promise<string> | undefined;
  private consumer: Consumer | undefined;
  private readonly watches = new Map<string, LegsWatch>();

  constructor(@Inject(BUS) private readonly bus: Bus) {}

  /** Registered before the request is published, so no CHANNEL_CREATE can pass unseen. */
  async watch(callIds: string[]): Promise<LegsWatch> {
    await this.ensureQueue();
    const watch = new LegsWatch(callIds, async () => {
      for (const id of callIds) this.watches.delete(id);
    });
    for (const id of callIds) this.watches.set(id, watch);
    return watch;
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.cancel();
  }

  private ensureQueue(): Promise<string> {
    this.queue ??= (async () => {
      const bus = this.bus;
      const name = await bus.declareQueue('', {
        exclusive: true, deadLetter: false, bindings: [{ exchange: EXCHANGES.callevt.name, routingKey: callEventBindingKey('CHANNEL_CREATE', '*') }],
      });
      this.consumer = await bus.consume(name, createdSchema, async (event) => this.watches.get(event['Call-ID'])?.created(event['Call-ID']));
      return name;
    })();
    // a failed declaration is tried again by the next request
    this.queue.catch(() => (this.queue = undefined));
    return this.queue;
  }
}
