import { createInfrastructure, createLogger, loadConfig, type Infrastructure } from '@legwork/platform';
import { bootstrapWebsockets } from './bootstrap';
import { websocketsConfigSchema } from './websockets.config';

const logger = createLogger('websockets', 'silent');
const config = loadConfig(websocketsConfigSchema, { NODE_ID: 'shell-test', HOST: '127.0.0.1', WEBSOCKETS_PORT: '0' });

describe('bootstrapWebsockets', () => {
  let infra: Infrastructure;

  beforeEach(async () => {
    infra = createInfrastructure({ appName: 'websockets', nodeId: config.NODE_ID, logger });
    await infra.start();
  });
  afterEach(() => infra.close());

  it('serves healthz over the shared infrastructure and stops on close', async () => {
    const app = await bootstrapWebsockets({ config, infra, logger });
    try {
      expect(app.name).toBe('websockets');
      const res = await fetch(`${app.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', checks: { bus: 'ok', store: 'ok', directory: 'ok' } });
    } finally {
      await app.close();
    }
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
  });

  it('reports 503 once the infrastructure is gone', async () => {
    const app = await bootstrapWebsockets({ config, infra, logger });
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
