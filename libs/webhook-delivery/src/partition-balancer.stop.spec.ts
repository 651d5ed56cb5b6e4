import { waitFor } from '@legwork/common/testing';
import { silentLogger } from '@legwork/common';
import type { Bus, Consumer } from '@legwork/bus';
import { PartitionBalancer } from './partition-balancer';

/** A consumer that counts its cancels. */
function consumer(cancels: string[], name: string): Consumer {
  return { queue: name, cancel: async () => void cancels.push(name) } as unknown as Consumer;
}

describe('partition balancer: stop while a hand-on waits for the broker', () => {
  it('returns without waiting for the re-registration, and cancels it if it completes afterwards', async () => {
    const cancels: string[] = [];
    const releases: ((c: Consumer) => void)[] = [];
    let started = false;
    const bus = { queueConsumers: async () => 2 } as unknown as Bus;
    const balancer = new PartitionBalancer({
      bus,
      partitions: 4,
      intervalMs: 20,
      logger: silentLogger,
      // After start, registering again never completes on its own (a worker cut off from the broker).
      consume: (p) => (started ? new Promise<Consumer>((resolve) => void releases.push(resolve)) : Promise.resolve(consumer(cancels, `p${p}`))),
    });
    await balancer.start();
    started = true;
    for (let p = 0; p < 4; p++) balancer.touch(p);
    // The balancer's own timer starts the rebalance, which hands two partitions on (share 2 of 4 with 2 workers).
    await waitFor(() => releases.length === 2, { timeoutMs: 5_000 });

    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([balancer.stop().then(() => 'stopped'), new Promise((r) => (timer = setTimeout(() => r('still waiting'), 2_000)))]);
    clearTimeout(timer);
    expect(outcome).toBe('stopped');
    expect([...new Set(cancels)].sort()).toEqual(['p0', 'p1', 'p2', 'p3']);

    releases.forEach((release, i) => release(consumer(cancels, `late${i}`)));
    await waitFor(() => cancels.includes('late0') && cancels.includes('late1'), { timeoutMs: 5_000 });
  });
});
