import { accountContract } from './accounts.contract';
import { apiBucketContract } from './api-bucket.contract';
import { apiClientRotationContract, apiClientsContract } from './api-clients.contract';
import { credentialContract, TOKEN_TTL_SECONDS } from './credentials.contract';
import { deviceContract } from './devices.contract';
import { CONTRACT_KEYS, type DirectoryHarness, type HarnessFactory } from './directory-harness';
import { lookupsContract } from './lookups.contract';
import { numberingContract } from './numbering.contract';
import { resourceContract } from './resources.contract';
import { secretsContract } from './secrets.contract';
import { userCredentialsContract } from './user-credentials.contract';
import { sipSafetyContract } from './sip-safety.contract';
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
      harness = await factory({ tokenTtlSeconds: TOKEN_TTL_SECONDS, secretKeys: CONTRACT_KEYS.k0 });
      await harness.directory.ping();
    });

    afterAll(async () => {
      await harness?.dispose();
    });

    accountContract(h);
    apiBucketContract(h);
    userContract(h);
    deviceContract(h);
    numberingContract(h);
    lookupsContract(h);
    apiClientsContract(h);
    resourceContract(h);
    sipSafetyContract(h);
    credentialContract(h);
    webhookContract(h);
    tenancyContract(h);
    sessionContract(h);
    userCredentialsContract(h);
    // Last: rotation re-encrypts what the earlier suites stored under keys the main directory may not hold.
    secretsContract(h);
    apiClientRotationContract(h);
  });
}
