import { createCallStore } from '@legwork/call-state';
import { FREE_PORTS, NodeProcess, ensureBuilt, listeningUrl } from './node-process';
import { AMQP_URL, REDIS_URL, cleanupScratch, scratchEnv, scratchNames } from '@legwork/platform/testing';

const APP_NAMES = ['api-gateway', 'media-node', 'webhooks', 'websockets'];

describe('each app on its own against RabbitMQ and Redis', () => {
  const names = scratchNames('e2e');
  const scratch = scratchEnv(names);
  const procs = new Map<string, NodeProcess>();

  beforeAll(() => ensureBuilt(), 120_000);
  afterAll(async () => {
    for (const proc of procs.values()) proc.kill();
    await Promise.all([...procs.values()].map((p) => p.exited));
    await cleanupScratch(names);
  });

  it('starts the four apps as separate processes, each healthy; media-node joins the node registry', async () => {
    for (const name of APP_NAMES) {
      const env = { ...FREE_PORTS, ...scratch, AMQP_URL, REDIS_URL, NODE_ID: `${scratch.AMQP_NAMESPACE}-${name}` };
      procs.set(name, new NodeProcess(`apps/${name}/dist/main.js`, env));
    }
    for (const [name, proc] of procs) {
      await proc.waitFor(/"msg":"listening"/);
      const url = listeningUrl(proc.stdout);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${url}/healthz`);
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      expect(await res.json()).toEqual({ status: 'ok', checks: { bus: 'ok', store: 'ok', directory: 'ok', ...(name === 'media-node' ? { sip: 'ok' } : {}) } });
      expect(proc.stdout).toContain('"mode":"distributed"');
    }

    const store = createCallStore({ url: REDIS_URL, prefix: scratch.REDIS_PREFIX });
    try {
      const mediaNodeId = `${scratch.AMQP_NAMESPACE}-media-node`;
      expect(await store.nodes.isLive(mediaNodeId)).toBe(true);
      for (const proc of procs.values()) expect(await proc.stop('SIGTERM')).toBe(0);
      // A graceful stop leaves the registry at once instead of waiting for the sweeper.
      expect(await store.nodes.isLive(mediaNodeId)).toBe(false);
    } finally {
      await store.close();
    }
  });
});
