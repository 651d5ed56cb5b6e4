import { z } from 'zod';
import { useContractContext, type BusHarness } from './contract.context';
import { messagingContract } from './messaging.contract';
import { orderedContract } from './ordered.contract';
import { queueLifecycleContract } from './queue-lifecycle.contract';
import { requestContract } from './request.contract';

export type { BusHarness } from './contract.context';

/** The one behaviour suite every bus driver must pass. */
export function runBusContract(driver: string, harness: BusHarness): void {
  describe(`${driver} bus contract`, () => {
    const t = useContractContext(harness);

    it('is unavailable before start', async () => {
      const bus = harness.make({ appName: 'contract', nodeId: 'idle', namespace: t.namespace });
      await expect(bus.ping()).rejects.toMatchObject({ code: 'bus_unavailable' });
      await expect(bus.publish('callmgr', 'k', {})).rejects.toMatchObject({ code: 'bus_unavailable' });
      await expect(bus.consume('q', z.object({}), async () => undefined)).rejects.toMatchObject({ code: 'bus_unavailable' });
      await bus.close();
    });

    describe('messaging', () => messagingContract(t));
    describe('request/reply', () => requestContract(t));
    describe('queue lifecycle', () => queueLifecycleContract(t));
    describe('single active consumer, key order', () => orderedContract(t));
  });
}
