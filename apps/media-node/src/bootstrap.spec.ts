import { createInfrastructure, createLogger, loadConfig, type Infrastructure } from '@legwork/platform';
import { bootstrapMediaNode } from './bootstrap';
import { mediaNodeConfigSchema } from './media-node.config';

const logger = createLogger('media-node', 'silent');
const config = loadConfig(mediaNodeConfigSchema, { NODE_ID: 'shell-test', HOST: '127.0.0.1', MEDIA_NODE_HTTP_PORT: '0' });

describe('bootstrapMediaNode', () => {
  let infra: Infrastructure;

  beforeEach(async () => {
    infra = createInfrastructure({ appName: 'media-node', nodeId: config.NODE_ID, logger });
    await infra.start();
  });
  afterEach(() => infra.close());

  it('serves healthz over the shared infrastructure and stops on close', async () => {
    const app = await bootstrapMediaNode({ config, infra, logger });
    try {
      expect(app.name).toBe('media-node');
      const res = await fetch(`${app.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', checks: { bus: 'ok', store: 'ok', directory: 'ok' } });
    } finally {
      await app.close();
    }
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
  });

  it('reports 503 once the infrastructure is gone', async () => {
    const app = await bootstrapMediaNode({ config, infra, logger });
    try {
      await infra.close();
      const res = await fetch(`${app.url}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'error' });
    } finally {
      await app.close();
    }
  });

  it('announces the node while running and leaves the registry on close', async () => {
    const app = await bootstrapMediaNode({ config, infra, logger });
    expect(await infra.calls.nodes.liveNodes()).toEqual([
      { nodeId: 'shell-test', info: expect.objectContaining({ app: 'media-node', http: app.url }) },
    ]);
    await app.close();
    expect(await infra.calls.nodes.isLive('shell-test')).toBe(false);
  });
});
