import { createInfrastructure, createLogger, loadConfig, type Infrastructure } from '@legwork/platform';
import { bootstrapWebhooks } from './bootstrap';
import { webhooksConfigSchema } from './webhooks.config';

const logger = createLogger('webhooks', 'silent');
const config = loadConfig(webhooksConfigSchema, { NODE_ID: 'shell-test', HOST: '127.0.0.1', WEBHOOKS_PORT: '0' });

describe('bootstrapWebhooks', () => {
  let infra: Infrastructure;

  beforeEach(async () => {
    infra = createInfrastructure({ appName: 'webhooks', nodeId: config.NODE_ID, logger });
    await infra.start();
  });
  afterEach(() => infra.close());

  it('serves healthz over the shared infrastructure and stops on close', async () => {
    const app = await bootstrapWebhooks({ config, infra, logger });
    try {
      expect(app.name).toBe('webhooks');
      const res = await fetch(`${app.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', checks: { bus: 'ok', store: 'ok', directory: 'ok' } });
    } finally {
      await app.close();
    }
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
  });

  it('reports 503 once the infrastructure is gone', async () => {
    const app = await bootstrapWebhooks({ config, infra, logger });
    try {
      await infra.close();
      const res = await fetch(`${app.url}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'error' });
    } finally {
      await app.close();
    }
  });
});
