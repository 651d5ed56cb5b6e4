import { createInfrastructure, createLogger, loadConfig, type AppHandle, type Infrastructure } from '@legwork/platform';
import { BlackholeClient, StreamFixture } from '@legwork/event-stream/testing';
import { AMQP_URL, REDIS_URL } from '@legwork/platform/testing';
import { bootstrapWebsockets } from '../src/bootstrap';
import { websocketsConfigSchema } from '../src/websockets.config';

/** Two websockets app instances on the real RabbitMQ and Redis, as separate processes would run them. */
describe('websockets app (blackhole endpoint)', () => {
  const fx = new StreamFixture('wsapp');
  const apps: Array<{ app: AppHandle; infra: Infrastructure }> = [];
  const clients: BlackholeClient[] = [];

  const start = async (index: number) => {
    const logger = createLogger('websockets', 'silent');
    const config = loadConfig(websocketsConfigSchema, {
      NODE_ID: `ws-${index}`, HOST: '127.0.0.1', WEBSOCKETS_PORT: '0', AMQP_URL, REDIS_URL,
      AMQP_NAMESPACE: fx.scratch.amqpNamespace, REDIS_PREFIX: fx.scratch.redisPrefix, LEGWORK_SECRET_KEYS: fx.scratch.secretKeys, WEBSOCKETS_MAX_CONNECTIONS_PER_IP: '3',
    });
    const infra = createInfrastructure({ appName: 'websockets', nodeId: config.NODE_ID, logger, amqpUrl: AMQP_URL, redisUrl: REDIS_URL, amqpNamespace: config.AMQP_NAMESPACE, redisPrefix: config.REDIS_PREFIX, secretKeys: config.LEGWORK_SECRET_KEYS });
    await infra.start();
    const app = await bootstrapWebsockets({ config, infra, logger });
    apps.push({ app, infra });
    return app;
  };
  const connect = async (url: string) => {
    const c = await BlackholeClient.connect(url);
    clients.push(c);
    return c;
  };

  beforeAll(() => fx.start());
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    for (const { app, infra } of apps) {
      await app.close();
      await infra.close();
    }
    await fx.close();
  });

  it('serves the stream on / and /websocket beside /healthz, each instance to its own sockets', async () => {
    const [one, two] = [await start(1), await start(2)];
    expect((await fetch(`${one.url}/healthz`)).status).toBe(200);
    const a = await fx.account();
    const b = await fx.account();
    const onOne = await connect(`${one.url.replace('http', 'ws')}/websocket`);
    const onTwo = await connect(`${two.url.replace('http', 'ws')}/`);
    const otherAccount = await connect(`${two.url.replace('http', 'ws')}/websocket`);
    await onOne.subscribe(a.token, a.id, 'call.CHANNEL_ANSWER.*');
    await onTwo.subscribe(a.token, a.id, 'call.*.*');
    await otherAccount.subscribe(b.token, b.id, 'call.*.*');
    expect(await otherAccount.subscribe(b.token, a.id, 'call.*.*')).toMatchObject({ status: 'error', data: { errors: ['unauthorized account id'], error_codes: ['forbidden'] } });

    await fx.publish('CHANNEL_CREATE', a.id, 'app-call');
    await fx.publish('CHANNEL_ANSWER', a.id, 'app-call');
    await fx.publish('CHANNEL_ANSWER', b.id, 'b-call');
    expect((await onOne.waitForEvents(1)).map((e) => e['name'])).toEqual(['CHANNEL_ANSWER']);
    expect((await onTwo.waitForEvents(2)).map((e) => e['name'])).toEqual(['CHANNEL_CREATE', 'CHANNEL_ANSWER']);
    expect((await otherAccount.waitForEvents(1))[0]).toMatchObject({ data: { call_id: 'b-call' } });
  });

  it('resumes from the call store\'s event log: a client that left gets what it missed on the other instance', async () => {
    const [one, two] = [apps[0].app, apps[1].app];
    const a = await fx.account();
    const left = await connect(`${one.url.replace('http', 'ws')}/websocket`);
    await left.subscribe(a.token, a.id, 'call.*.*');
    await fx.publish('CHANNEL_CREATE', a.id, 'resume-call');
    const [seen] = await left.waitForEvents(1);
    await left.close();
    await fx.publish('CHANNEL_ANSWER', a.id, 'resume-call');
    const back = await connect(`${two.url.replace('http', 'ws')}/websocket`);
    const reply = await back.request({ action: 'subscribe', auth_token: a.token, data: { account_id: a.id, binding: 'call.*.*', since: seen['cursor'] } });
    expect(reply).toMatchObject({ status: 'success', data: { resumed: { since: seen['cursor'], complete: true } } });
    expect((await back.waitForEvents(1))[0]).toMatchObject({ name: 'CHANNEL_ANSWER', data: { call_id: 'resume-call', event_sequence: 2 } });
    await back.close();
    const metrics = await (await fetch(`${two.url}/metrics`)).text();
    expect(metrics).toMatch(/legwork_websocket_resumes_total\{complete="true"[^}]*\} 1/);
    expect(metrics).toMatch(/legwork_websocket_replayed_entries_total\{[^}]*\} 1/);
  });

  it('applies the per-IP limit from the config at upgrade', async () => {
    const app = apps[0].app;
    const url = `${app.url.replace('http', 'ws')}/websocket`;
    await connect(url);
    await connect(url);
    await expect(BlackholeClient.connect(url)).rejects.toThrow('HTTP 429');
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/legwork_websocket_connections\{[^}]*\} 3/);
    expect(metrics).toMatch(/legwork_websocket_refused_total\{[^}]*\} 1/);
  });

  it('refuses invalid limits in the environment', () => {
    expect(() => loadConfig(websocketsConfigSchema, { WEBSOCKETS_MAX_CONNECTIONS_PER_IP: '0' })).toThrow(/WEBSOCKETS_MAX_CONNECTIONS_PER_IP/);
    for (const bad of ['0', '3601', 'soon']) expect(() => loadConfig(websocketsConfigSchema, { WEBSOCKETS_REVERIFY_SECONDS: bad })).toThrow(/WEBSOCKETS_REVERIFY_SECONDS/);
    expect(loadConfig(websocketsConfigSchema, { WEBSOCKETS_REVERIFY_SECONDS: '5' }).WEBSOCKETS_REVERIFY_SECONDS).toBe(5);
    expect(loadConfig(websocketsConfigSchema, {}).WEBSOCKETS_REVERIFY_SECONDS).toBe(30);
  });
});
