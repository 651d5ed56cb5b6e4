import { accountContract } from './accounts.contract';
import { credentialContract, TOKEN_TTL_SECONDS } from './credentials.contract';
import { deviceContract } from './devices.contract';
import type { DirectoryHarness, HarnessFactory } from './directory-harness';
import { resourceContract } from './resources.contract';
import { sessionContract } from './sessions.contract';
import { tenancyContract } from './tenancy.contract';
import { userContract } from './users.contract';
import { webhookContract } from './webhooks.contract';

/** The behaviour every directory driver must show; each driver's spec runs it with its own factory. */
export function directoryContract(driver: string, factory: HarnessFactory): void {
  describe(`directory contract (${driver})`, () => {
    let harness: DirectoryHarness | undefined;
    const h = (): DirectoryHarness => {
      if (!harness) throw new Error('harness not ready');
      return harness;
    };

    beforeAll(async () => {
      harness = await factory({ tokenTtlSeconds: TOKEN_TTL_SECONDS });
      await harness.directory.ping();
    });

    afterAll(async () => {
      await harness?.dispose();
    });

    accountContract(h);
    userContract(h);
    deviceContract(h);
    resourceContract(h);
    credentialContract(h);
    webhookContract(h);
    tenancyContract(h);
    sessionContract(h);
  });
}
