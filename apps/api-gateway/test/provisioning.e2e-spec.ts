import { createInfrastructure, createLogger, loadConfig } from '@legwork/platform';
import { apiGatewayConfigSchema } from '../src/api-gateway.config';
import { bootstrapApiGateway } from '../src/bootstrap';
import type { ProvisioningHarness } from '../src/dialects/kazoo/provisioning/testing';
import { describeProvisioning } from './provisioning.suite';

// The bucket is raised so the suite's burst of calls from one account never meets 429.
const env = { NODE_ID: 'provisioning-e2e', HOST: '127.0.0.1', API_GATEWAY_PORT: '0', LOG_LEVEL: 'silent', RATE_BUCKET_BURST: '100000' };

async function start(): Promise<ProvisioningHarness> {
  const logger = createLogger('api-gateway', 'silent');
  const config = loadConfig(apiGatewayConfigSchema, env);
  const infra = createInfrastructure({ appName: 'api-gateway', nodeId: config.NODE_ID, logger });
  await infra.start();
  const app = await bootstrapApiGateway({ config, infra, logger }, { print: () => undefined });
  return {
    url: app.url,
    directory: infra.directory,
    close: async () => {
      await app.close();
      await infra.close();
    },
  };
}

describeProvisioning('in-process infrastructure', start);

describe('Kazoo provisioning OpenAPI', () => {
  let h: ProvisioningHarness;
  beforeAll(async () => {
    h = await start();
  });
  afterAll(() => h.close());

  it('documents every provisioning route with its body and auth', async () => {
    const doc = (await (await fetch(`${h.url}/docs-json`)).json()) as { paths: Record<string, Record<string, { security?: unknown; requestBody?: unknown; responses: Record<string, unknown> }>> };
    expect(Object.keys(doc.paths['/v2/accounts/{accountId}'] ?? {}).sort()).toEqual(['delete', 'get', 'patch', 'post', 'put']);
    expect(doc.paths['/v2/accounts/{accountId}/children']).toHaveProperty('get');
    for (const kind of ['users', 'devices', 'resources', 'groups']) {
      expect(Object.keys(doc.paths[`/v2/accounts/{accountId}/${kind}`] ?? {}).sort()).toEqual(['get', 'put']);
      const one = doc.paths[`/v2/accounts/{accountId}/${kind}/{id}`] ?? {};
      expect(Object.keys(one).sort()).toEqual(['delete', 'get', 'patch', 'post']);
      expect(one['post']?.requestBody).toBeDefined();
      expect(one['post']?.responses).toHaveProperty('200');
      expect(doc.paths[`/v2/accounts/{accountId}/${kind}`]?.['put']?.responses).toHaveProperty('201');
    }
  });
});
