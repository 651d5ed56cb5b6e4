import { createBus, type Bus } from '@legwork/bus';
import { createCallStore, type CallStore } from '@legwork/call-state';
import { silentLogger } from '@legwork/common';
import { AMQP_URL, REDIS_URL, cleanupScratch, scratchNames } from '@legwork/platform/testing';

/** A bus and a call store for one test, in-process or on the real broker and Redis under a unique namespace. */
export interface ScratchInfra {
  bus: Bus;
  calls: CallStore;
  namespace: string;
  /** A second store on the same data (another node's view). */
  otherStore(): CallStore;
  close(extraQueues?: string[]): Promise<void>;
}

export type InfraKind = 'in-process' | 'rabbitmq+redis';

export async function scratchInfra(kind: InfraKind): Promise<ScratchInfra> {
  const scratch = scratchNames('glue');
  const namespace = scratch.amqpNamespace;
  const real = kind === 'rabbitmq+redis';
  const bus = createBus({ url: real ? AMQP_URL : undefined, appName: 'glue-test', nodeId: 'glue', namespace, logger: silentLogger });
  await bus.start();
  const prefix = scratch.redisPrefix;
  const calls = createCallStore(real ? { url: REDIS_URL, prefix } : {});
  const others: CallStore[] = [];
  return {
    bus,
    calls,
    namespace,
    otherStore() {
      if (!real) return calls;
      const store = createCallStore({ url: REDIS_URL, prefix });
      others.push(store);
      return store;
    },
    async close(extraQueues = []) {
      await bus.close();
      await Promise.all([calls, ...others].map((s) => s.close()));
      if (real) await cleanupScratch(scratch, { queues: extraQueues });
    },
  };
}
