import { randomBytes } from 'node:crypto';
import { waitFor } from '@legwork/common/testing';
import { createCallStore, type CallStore } from '@legwork/call-state';
import { scratchEnv, scratchNames, type ScratchEnv } from '@legwork/platform/testing';
import { FREE_PORTS, NodeProcess, ensureBuilt } from '../node-process';
import { Rest, dataOf, type Json } from '../kazoo-platform.fixture';
import type { AppName } from './fault-platform';
import { FAST_FAILOVER, ROOMY_BUCKETS } from './fault-platform';
import { LabSipp } from './lab-sipp';
import { NetLab } from './net-lab';
import { OwnRabbit } from './own-rabbit';
import { OwnRedis } from './own-redis';

/** Every host of the lab, in address order (10.77.0.2 on). */
export const LAB_HOSTS = ['services', 'gateway-1', 'gateway-2', 'media-node-1', 'media-node-2', 'phone-1', 'phone-2', 'phone-3', 'carrier', 'client'] as const;
export type LabHostName = (typeof LAB_HOSTS)[number];
export const GATEWAYS = ['gateway-1', 'gateway-2'] as const;
export const MEDIA_NODES = ['media-node-1', 'media-node-2'] as const;
/** The phones, the node each registers on, and how. */
const PHONES = [
  { host: 'phone-1', on: 'media-node-1', transport: 'udp' },
  { host: 'phone-2', on: 'media-node-2', transport: 'udp' },
  { host: 'phone-3', on: 'media-node-2', transport: 'tcp' },
] as const;
const HTTP_PORT = 8000;
const SIP_PORT = 5060;
const REDIS_PORT = 6379;
const AMQP_PORT = 5672;

/** One app process on its host. */
export interface LabApp {
  name: AppName;
  host: LabHostName;
  nodeId: string;
  proc: NodeProcess;
}

/** A registered device of the account: its sipp phone and the node it registered on. */
export interface LabDevice {
  id: string;
  aor: string;
  phone: LabSipp;
  registeredOn: LabHostName;
  transport: 'udp' | 'tcp';
}

/**
 * The platform spread over hosts of a NetLab: RabbitMQ and Redis on `services`, two api-gateways and two media
 * nodes on hosts of their own, sipp phones registered on each media node (UDP on both, TCP on the second), a sipp
 * carrier behind the dialled numbers.
 * The test process stays in the root namespace and reaches Redis, RabbitMQ and the gateways through `client`.
 */
export class NetnsPlatform {
  readonly apps: LabApp[] = [];
  readonly devices: LabDevice[] = [];
  readonly tag = randomBytes(4).toString('hex');
  readonly scratch: ScratchEnv = scratchEnv(scratchNames('netns'));
  private readonly bootstrapKey = randomBytes(32).toString('hex');
  private readonly nonceSecret = randomBytes(24).toString('hex');
  lab: NetLab | undefined;
  rabbit: OwnRabbit | undefined;
  redis: OwnRedis | undefined;
  carrier: LabSipp | undefined;
  store!: CallStore;
  /** One client per gateway, same token. */
  gateways: Rest[] = [];
  accountId = '';
  private closing: Promise<void> | undefined;

  constructor(private readonly holdMs: number) {}

  async start(): Promise<void> {
    ensureBuilt();
    const lab = await NetLab.create(LAB_HOSTS);
    this.lab = lab;
    const [redisAt, amqpAt, ...gatewaysAt] = await lab.forward('client', [
      { host: 'services', port: REDIS_PORT }, { host: 'services', port: AMQP_PORT }, ...GATEWAYS.map((host) => ({ host, port: HTTP_PORT })),
    ]);
    [this.redis, this.rabbit] = await Promise.all([OwnRedis.start(lab.place('services', REDIS_PORT, redisAt)), OwnRabbit.start(lab.place('services', AMQP_PORT, amqpAt))]);
    this.store = createCallStore({ url: this.redis.url, prefix: this.scratch.REDIS_PREFIX });
    const started = [...GATEWAYS.map((h) => this.launch('api-gateway', h)), ...MEDIA_NODES.map((h) => this.launch('media-node', h))];
    for (const app of started) this.apps.push(await app);
    await waitFor(async () => (await this.store.nodes.liveNodes()).length === MEDIA_NODES.length, { message: 'both media nodes in the node registry', timeoutMs: 30_000 });
    this.gateways = gatewaysAt.map((port) => new Rest(`http://127.0.0.1:${port}`));
    await this.provision();
  }

  address(host: LabHostName): string {
    return this.lab?.host(host).address ?? '';
  }

  app(host: LabHostName): LabApp {
    const app = this.apps.find((a) => a.host === host);
    if (app === undefined) throw new Error(`no app on ${host}`);
    return app;
  }

  private async launch(name: AppName, host: LabHostName): Promise<LabApp> {
    const lab = this.lab as NetLab;
    const nodeId = `${this.scratch.AMQP_NAMESPACE}-${host}`;
    const env: Record<string, string> = {
      ...FREE_PORTS, ...this.scratch, AMQP_URL: this.rabbit?.innerUrl ?? '', REDIS_URL: this.redis?.innerUrl ?? '', NODE_ID: nodeId, HOST: lab.host(host).address, LOG_LEVEL: 'info', LOG_FORMAT: 'json',
      ...(name === 'api-gateway' ? { API_GATEWAY_PORT: String(HTTP_PORT), LEGWORK_BOOTSTRAP_API_KEY: this.bootstrapKey, ...ROOMY_BUCKETS } : {}),
      ...(name === 'media-node' ? { SIP_UDP_PORT: String(SIP_PORT), SIP_TCP_PORT: String(SIP_PORT), ...FAST_FAILOVER, SIP_NONCE_SECRET: this.nonceSecret } : {}),
    };
    const proc = new NodeProcess(`apps/${name}/dist/main.js`, env, { command: (cmd, args) => lab.command(host, cmd, args) });
    await proc.waitFor(/"msg":"listening"/, 60_000);
    return { name, host, nodeId, proc };
  }

  private async provision(): Promise<void> {
    const lab = this.lab as NetLab;
    const anon = this.gateways[0] as Rest;
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: this.bootstrapKey });
    if (auth.status !== 201) throw new Error(`api_auth gave ${auth.status}`);
    const token = String(auth.body.auth_token);
    this.gateways = this.gateways.map((g) => g.withToken(token));
    const admin = this.gateways[0] as Rest;
    const realm = `netns-${this.tag}.legwork.test`;
    this.accountId = String((await admin.create(`/v2/accounts/${String(dataOf(auth)['account_id'])}`, { name: `netns-${this.tag}`, realm }))['id']);
    this.carrier = LabSipp.carrier(lab, 'carrier');
    await admin.create(`${this.base}/resources`, { name: 'carrier', gateways: [{ server: this.carrier.contact }], rules: ['^\\+1415555\\d{4}$'] });
    for (const [i, { host, on, transport }] of PHONES.entries()) {
      const username = `desk${i + 1}-${this.tag}`;
      const id = String((await admin.create(`${this.base}/devices`, { name: `desk${i + 1}`, sip: { username, password: 'desk-secret' } }))['id']);
      const phone = LabSipp.phone(lab, host, { username, password: 'desk-secret', realm, registrar: `${this.address(on)}:${SIP_PORT}`, transport }, this.holdMs);
      this.devices.push({ id, aor: `${username}@${realm}`, phone, registeredOn: on, transport });
    }
    for (const device of this.devices) {
      const nodeId = this.app(device.registeredOn).nodeId;
      await waitFor(async () => (await this.store.registrations.list(device.aor)).some((c) => c.nodeId === nodeId), { message: () => `${device.aor} registered on ${device.registeredOn}`, timeoutMs: 20_000, intervalMs: 100 });
    }
  }

  get base(): string {
    return `/v2/accounts/${this.accountId}`;
  }

  /** Request n goes to gateway n % 2 for device ⌊n / 2⌋ % 3: every pairing of gateway and device in turn. */
  gatewayOf(n: number): number {
    return n % 2;
  }

  deviceOf(n: number): LabDevice {
    return this.devices[Math.floor(n / 2) % this.devices.length] as LabDevice;
  }

  /** GET quickcall from a desk to a carrier number; the A-leg's call id when it was 202. */
  async quickcall(n: number): Promise<{ status: number; callId?: string; body: Json }> {
    const gateway = this.gateways[this.gatewayOf(n)] as Rest;
    const res = await gateway.call('GET', `${this.base}/devices/${this.deviceOf(n).id}/quickcall/%2B1415555${String(n % 10_000).padStart(4, '0')}?media=bypass`);
    const endpoints = (dataOf(res)['endpoints'] as Json[] | undefined) ?? [];
    const callId = res.status === 202 ? String(endpoints[0]?.['outbound_call_id']) : undefined;
    return { status: res.status, ...(callId !== undefined ? { callId } : {}), body: res.body };
  }

  /** Every app process's last output, for a failure message. */
  output(): string {
    return this.apps.map((a) => `--- ${a.host} (exit ${String(a.proc.child.exitCode)})\n${a.proc.stdout.slice(-3000)}\n${a.proc.stderr.slice(-2000)}`).join('\n');
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    for (const app of this.apps) app.proc.kill();
    await Promise.all(this.apps.map((a) => a.proc.exited));
    await this.store?.close().catch(() => undefined);
    await Promise.all([...this.devices.map((d) => d.phone.stop()), this.carrier?.stop()]);
    await Promise.all([this.rabbit?.stop(), this.redis?.stop()]);
    await this.lab?.close();
  }
}
