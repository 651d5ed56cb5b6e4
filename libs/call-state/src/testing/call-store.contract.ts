import { callsContract } from './calls.contract';
import { eventLogContract } from './event-log.contract';
import { idempotencyContract } from './idempotency.contract';
import { imrnsContract } from './imrns.contract';
import { limitsContract } from './limits.contract';
import { nodesContract } from './nodes.contract';
import { noncesContract } from './nonces.contract';
import { registrationsContract } from './registrations.contract';
import type { HarnessFactory } from './store-harness';

/** The behaviour every CallStore driver must show; each driver's spec runs it against itself. */
export function callStoreContract(makeHarness: HarnessFactory): void {
  it('answers ping', async () => {
    const h = await makeHarness();
    await expect(h.store.ping()).resolves.toBeUndefined();
    await h.store.close();
  });
  callsContract(makeHarness);
  nodesContract(makeHarness);
  registrationsContract(makeHarness);
  limitsContract(makeHarness);
  idempotencyContract(makeHarness);
  noncesContract(makeHarness);
  eventLogContract(makeHarness);
  imrnsContract(makeHarness);
}
