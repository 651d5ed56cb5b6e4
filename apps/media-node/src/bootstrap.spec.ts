import { connect, type Socket } from 'node:net';
import { waitFor } from '@legwork/common/testing';
import { EXCHANGES, ROUTING_KEYS } from '@legwork/contracts';
import { createInfrastructure, createLogger, loadConfig, type Infrastructure } from '@legwork/platform';
import { describeAppShell } from '@legwork/platform/testing';
import { bootstrapMediaNode } from './bootstrap';
import { mediaNodeConfigSchema } from './media-node.config';
import { z } from 'zod';

const logger = createLogger('media-node', 'silent');
const sipPorts = { MEDIA_NODE_HTTP_PORT: '0', SIP_UDP_PORT: '0', SIP_TCP_PORT: '0', SIP_WS_PORT: '0' };
const config = loadConfig(mediaNodeConfigSchema, { NODE_ID: 'shell-test', HOST: '127.0.0.1', ...sipPorts });

describeAppShell({ appName: 'media-node', schema: mediaNodeConfigSchema, env: sipPorts, bootstrap: bootstrapMediaNode, extraChecks: ['sip'] });

describe('bootstrapMediaNode', () => {
  let infra: Infrastructure;

  beforeEach(async () => {
    infra = createInfrastructure({ appName: 'media-node', nodeId: config.NODE_ID, logger });
    await infra.start();
  });
  afterEach(() => infra.close());

  it('starts SIP on the configured (ephemeral) ports, reports it unhealthy once its transports stop, and stops it on close', async () => {
    const app = await bootstrapMediaNode({ config, infra, logger });
    try {
      expect(app.sip.listening().map((l) => l.protocol).sort()).toEqual(['tcp', 'udp', 'ws']);
      expect(app.sip.listening().every((l) => l.address === '127.0.0.1' && l.port > 0)).toBe(true);
      const [node] = await infra.calls.nodes.liveNodes();
      expect(node.info.sip).toMatch(/^udp:127\.0\.0\.1:\d+ tcp:127\.0\.0\.1:\d+ ws:127\.0\.0\.1:\d+$/);
      await app.sip.transport.close();
      const res = await fetch(`${app.url}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'error', checks: { sip: 'error', bus: 'ok' } });
    } finally {
      await app.close();
    }
    expect(app.sip.listening()).toEqual([]);
  });

  it('fails to start when a SIP port is taken, releasing what it bound', async () => {
    const first = await bootstrapMediaNode({ config, infra, logger });
    try {
      const udp = first.sip.listening().find((l) => l.protocol === 'udp');
      const clash = { ...config, NODE_ID: 'shell-test-2', SIP_UDP_PORT: udp?.port ?? 1 };
      await expect(bootstrapMediaNode({ config: clash, infra, logger })).rejects.toThrow();
    } finally {
      await first.close();
    }
  });

  it('publishes under its own name: replies carry App-Name media-node', async () => {
    const app = await bootstrapMediaNode({ config, infra, logger });
    try {
      const replies: Array<Record<string, unknown>> = [];
      const queue = await infra.bus.declareQueue('', { exclusive: true, bindings: [{ exchange: EXCHANGES.targeted.name, routingKey: 'app-name-probe' }] });
      await infra.bus.consume(queue, z.record(z.string(), z.unknown()), async (body) => void replies.push(body));
      const req = { 'Event-Category': 'resource', 'Event-Name': 'originate_req', 'App-Name': 'probe', 'App-Version': '1', 'Msg-ID': 'app-name-1', 'Server-ID': 'app-name-probe' };
      await infra.bus.publish(EXCHANGES.callmgr.name, ROUTING_KEYS.originateReq, req);
      const [reply] = await waitFor(() => replies.length > 0 && replies, { message: 'the reply to an invalid originate_req' });
      expect(reply).toMatchObject({ 'Msg-ID': 'app-name-1', 'App-Name': 'media-node', 'App-Version': '0.1.0' });
    } finally {
      await app.close();
    }
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

  it('applies the SIP connection settings: a source past its share is refused, and /metrics counts it', async () => {
    const limited = loadConfig(mediaNodeConfigSchema, { NODE_ID: 'shell-test', HOST: '127.0.0.1', ...sipPorts, SIP_MAX_CONNECTIONS_PER_SOURCE: '2' });
    const app = await bootstrapMediaNode({ config: limited, infra, logger });
    const sockets: Socket[] = [];
    try {
      const tcp = app.sip.listening().find((l) => l.protocol === 'tcp');
      const open = (): Promise<Socket> =>
        new Promise((resolve, reject) => {
          const socket = connect(tcp?.port ?? 1, '127.0.0.1', () => resolve(socket));
          socket.once('error', reject);
          sockets.push(socket);
        });
      await open();
      await open();
      const third = await open();
      await new Promise((resolve) => third.once('close', resolve));
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      expect(metrics).toMatch(/legwork_sip_connections_refused_total\{reason="per_source",app="media-node"\} 1/);
      expect(metrics).toMatch(/legwork_sip_stream_connections\{app="media-node"\} 2/);
    } finally {
      sockets.forEach((s) => s.destroy());
      await app.close();
    }
  });
});
