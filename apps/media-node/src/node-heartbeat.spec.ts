import { silentLogger } from '@legwork/common';
import { createCallStore, type CallStore } from '@legwork/call-state';
import { startNodeHeartbeat } from './node-heartbeat';

describe('startNodeHeartbeat', () => {
  let store: CallStore;

  beforeEach(() => {
    store = createCallStore();
  });
  afterEach(async () => {
    jest.useRealTimers();
    await store.close();
  });

  it('registers the node with its info at once and leaves the registry on stop', async () => {
    const beat = await startNodeHeartbeat({
      nodes: store.nodes,
      nodeId: 'media-a',
      info: { http: 'http://127.0.0.1:8001' },
      logger: silentLogger,
    });
    expect(await store.nodes.isLive('media-a')).toBe(true);
    expect(await store.nodes.liveNodes()).toEqual([{ nodeId: 'media-a', info: { http: 'http://127.0.0.1:8001' } }]);
    await Promise.all([beat.stop(), beat.stop()]);
    expect(await store.nodes.isLive('media-a')).toBe(false);
  });

  it('keeps beating on its interval and survives a failed beat', async () => {
    jest.useFakeTimers();
    const beats: number[] = [];
    let fail = false;
    const nodes = {
      ...store.nodes,
      heartbeat: async (nodeId: string, ttlMs: number) => {
        beats.push(ttlMs);
        if (fail) throw new Error('store unavailable');
        await store.nodes.heartbeat(nodeId, ttlMs);
      },
      forget: (nodeId: string) => store.nodes.forget(nodeId),
    };
    const warnings: unknown[] = [];
    const logger = { ...silentLogger, warn: (obj: object | string) => void warnings.push(obj) };
    const beat = await startNodeHeartbeat({ nodes, nodeId: 'media-b', info: {}, logger, intervalMs: 1000 });
    expect(beats).toEqual([3000]);
    await jest.advanceTimersByTimeAsync(1000);
    fail = true;
    await jest.advanceTimersByTimeAsync(1000);
    expect(beats).toEqual([3000, 3000, 3000]);
    expect(warnings).toHaveLength(1);
    await beat.stop();
    await jest.advanceTimersByTimeAsync(5000);
    expect(beats).toHaveLength(3);
  });
});
