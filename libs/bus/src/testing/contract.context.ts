import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Bus, BusOptions, Consumer, DeliveryContext, QueueOptions } from '../bus.driver';
import { DEAD_LETTER_QUEUE } from '../bus.topology';

/** How a contract suite obtains buses of one driver and removes what a test left on the broker. */
export interface BusHarness {
  make(opts: Omit<BusOptions, 'url'> & { namespace: string }): Bus;
  cleanup?(namespace: string, queues: string[]): Promise<void>;
}

export interface Received<T> {
  msg: T;
  ctx: DeliveryContext;
}

export interface ContractContext {
  readonly namespace: string;
  open(overrides?: Partial<BusOptions>): Promise<Bus>;
  queue(bus: Bus, name: string, opts?: QueueOptions): Promise<string>;
  collectInto<T>(bus: Bus, queue: string, schema: z.ZodType<T>, prefetch?: number): Promise<{ got: Received<T>[]; consumer: Consumer }>;
  deadLetters(bus: Bus): Promise<Received<Record<string, unknown>>[]>;
}

/** Registers per-test setup/teardown: a fresh namespace, buses closed and topology removed afterwards. */
export function useContractContext(harness: BusHarness): ContractContext {
  let namespace = '';
  const buses: Bus[] = [];
  const queues = new Set<string>();

  beforeEach(() => {
    namespace = `t${randomBytes(5).toString('hex')}`;
    queues.clear();
  });

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
    await harness.cleanup?.(namespace, [...queues]);
  });

  const ctx: ContractContext = {
    get namespace() {
      return namespace;
    },
    async open(overrides = {}) {
      const bus = harness.make({ appName: 'contract', nodeId: `n${buses.length}`, ...overrides, namespace });
      buses.push(bus);
      await bus.start();
      return bus;
    },
    async queue(bus, name, opts) {
      const q = await bus.declareQueue(name, opts);
      queues.add(q);
      return q;
    },
    async collectInto(bus, queue, schema, prefetch) {
      const got: Received<z.infer<typeof schema>>[] = [];
      const consumer = await bus.consume(queue, schema, async (msg, c) => void got.push({ msg, ctx: c }), { prefetch });
      return { got, consumer };
    },
    async deadLetters(bus) {
      const { got } = await ctx.collectInto(bus, DEAD_LETTER_QUEUE, z.record(z.string(), z.unknown()));
      return got;
    },
  };
  return ctx;
}
