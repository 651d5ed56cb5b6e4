import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { createCallStore, type CallStore } from '@legwork/call-state';
import { scratchEnv, scratchNames, type ScratchEnv } from '@legwork/platform/testing';
import { FREE_PORTS, NodeProcess, ensureBuilt, listeningUrl } from '../node-process';
import { Rest, dataOf, type Json } from '../kazoo-platform.fixture';
import { AnsweringPeer } from './answering-peer';

export type AppName = 'api-gateway' | 'media-node' | 'webhooks' | 'websockets';

export interface FaultPlatformOptions {
  amqpUrl: string;
  redisUrl: string;
  mediaNodes?: number;
  websockets?: number;
  webhooks?: boolean;
  /** Extra environment for every app. */
  env?: Record<string, string>;
  /** How long the phone talks before it hangs up. */
  holdMs?: number;
}

/** One running app process and where it answers HTTP. */
export interface RunningApp {
  name: AppName;
  nodeId: string;
  proc: NodeProcess;
  url: string;
}

/** Heartbeat, TTL and sweep stay at their defaults (the node-death bound is the one production gets); closing drains in 1 s. */
const QUICK_DRAIN = { DRAIN_TIMEOUT_MS: '1000' };
/** The media node's sweep runs every second and a node is dead 3 s after its last heartbeat. */
export const FAST_FAILOVER = { HEARTBEAT_INTERVAL_MS: '1000', HEARTBEAT_TTL_MS: '3000', SWEEP_INTERVAL_MS: '1000', DRAIN_TIMEOUT_MS: '1000' };
/** The load would spend the account's request bucket in a second otherwise. */
export const ROOMY_BUCKETS = { RATE_BUCKET_BURST: '100000', RATE_BUCKET_REFILL_PER_SECOND: '10000' };

/**
 * The platform as separate processes (api-gateway, media nodes, webhooks, websockets) on one broker and one Redis,
 * with one account whose device is a sipp phone reached by route and a sipp carrier behind the dialled numbers.
 */
export class FaultPlatform {
  readonly apps: RunningApp[] = [];
  readonly tag = randomBytes(4).toString('hex');
  readonly scratch: ScratchEnv;
  private readonly bootstrapKey = randomBytes(32).toString('hex');
  private readonly nonceSecret = randomBytes(24).toString('hex');
  phone: AnsweringPeer | undefined;
  carrier: AnsweringPeer | undefined;
  store!: CallStore;
  admin!: Rest;
  token = '';
  accountId = '';
  deviceId = '';

  constructor(private readonly opts: FaultPlatformOptions) {
    this.scratch = scratchEnv(scratchNames('fault'));
  }

  get api(): RunningApp {
    return this.of('api-gateway')[0] as RunningApp;
  }

  of(name: AppName): RunningApp[] {
    return this.apps.filter((a) => a.name === name);
  }

  async start(): Promise<void> {
    ensureBuilt();
    this.phone = await AnsweringPeer.start('phone', this.opts.holdMs ?? 3000);
    this.carrier = await AnsweringPeer.start('carrier');
    this.store = createCallStore({ url: this.opts.redisUrl, prefix: this.scratch.REDIS_PREFIX });
    const plan: AppName[] = ['api-gateway', ...Array<AppName>(this.opts.mediaNodes ?? 1).fill('media-node'), ...Array<AppName>(this.opts.websockets ?? 0).fill('websockets'), ...(this.opts.webhooks ? (['webhooks'] as AppName[]) : [])];
    const started = plan.map((name, i) => this.launch(name, i));
    for (const app of started) this.apps.push(await app);
    await waitFor(async () => (await this.store.nodes.liveNodes()).length === (this.opts.mediaNodes ?? 1), { message: 'every media node in the node registry', timeoutMs: 30_000 });
    await this.provision();
  }

  /** Starts one app process and waits for its `listening` line. */
  async launch(name: AppName, index: number): Promise<RunningApp> {
    const nodeId = `${this.scratch.AMQP_NAMESPACE}-${name}-${index}`;
    const env: Record<string, string> = {
      ...FREE_PORTS, ...this.scratch, AMQP_URL: this.opts.amqpUrl, REDIS_URL: this.opts.redisUrl, NODE_ID: nodeId, LOG_LEVEL: 'info', LOG_FORMAT: 'json',
      ...(name === 'api-gateway' ? { LEGWORK_BOOTSTRAP_API_KEY: this.bootstrapKey, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', ...ROOMY_BUCKETS } : {}),
      ...(name === 'media-node' ? { ...QUICK_DRAIN, SIP_NONCE_SECRET: this.nonceSecret } : {}),
      ...(name === 'webhooks' ? { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } : {}),
      ...this.opts.env,
    };
    const proc = new NodeProcess(`apps/${name}/dist/main.js`, env);
    await proc.waitFor(/"msg":"listening"/, 60_000);
    return { name, nodeId, proc, url: listeningUrl(proc.stdout) ?? '' };
  }

  private async provision(): Promise<void> {
    const anon = new Rest(this.api.url);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: this.bootstrapKey });
    if (auth.status !== 201) throw new Error(`api_auth gave ${auth.status}`);
    this.token = String(auth.body.auth_token);
    this.admin = anon.withToken(this.token);
    const master = String(dataOf(auth)['account_id']);
    this.accountId = String((await this.admin.create(`/v2/accounts/${master}`, { name: `fault-${this.tag}`, realm: `fault-${this.tag}.legwork.test` }))['id']);
    const route = `sip:phone@127.0.0.1:${this.phone?.port ?? 0}`;
    this.deviceId = String((await this.admin.create(`${this.base}/devices`, { name: 'desk', sip: { username: `desk-${this.tag}`, password: 'desk-secret', invite_format: 'route', route } }))['id']);
    await this.admin.create(`${this.base}/resources`, { name: 'carrier', gateways: [{ server: `127.0.0.1:${this.carrier?.port ?? 0}` }], rules: ['^\\+1415555\\d{4}$'] });
  }

  get base(): string {
    return `/v2/accounts/${this.accountId}`;
  }

  /** GET quickcall from the desk to a carrier number; the A-leg's call id when it was 202. */
  async quickcall(n: number): Promise<{ status: number; callId?: string; body: Json }> {
    const res = await this.admin.call('GET', `${this.base}/devices/${this.deviceId}/quickcall/%2B1415555${String(n % 10_000).padStart(4, '0')}?media=bypass`);
    const endpoints = (dataOf(res)['endpoints'] as Json[] | undefined) ?? [];
    const callId = res.status === 202 ? String(endpoints[0]?.['outbound_call_id']) : undefined;
    return { status: res.status, ...(callId !== undefined ? { callId } : {}), body: res.body };
  }

  /** The account's event log, oldest first: what the platform recorded even while the bus could carry nothing. */
  async eventLog(): Promise<Json[]> {
    const out: Json[] = [];
    let cursor = '0-0';
    for (;;) {
      const page = await this.store.events.readAfter(this.accountId, cursor, 500);
      out.push(...page.events.map((e) => ({ ...(JSON.parse(e.payload) as Json), 'Event-Sequence': e.sequence })));
      if (page.events.length < 500) return out;
      cursor = page.events[page.events.length - 1]?.cursor ?? cursor;
    }
  }

  /** Log lines of every app that name `id`, for a failure message. */
  logsAbout(id: string): string {
    return this.apps.flatMap((a) => a.proc.stdout.split('\n').filter((l) => l.includes(id)).map((l) => `${a.nodeId}: ${l.slice(0, 1500)}`)).join('\n');
  }

  /** Every app process's last output, for a failure message. */
  output(): string {
    return this.apps.map((a) => `--- ${a.nodeId} (exit ${String(a.proc.child.exitCode)})\n${a.proc.stdout.slice(-3000)}\n${a.proc.stderr.slice(-2000)}`).join('\n');
  }

  async close(): Promise<void> {
    for (const app of this.apps) app.proc.kill();
    await Promise.all(this.apps.map((a) => a.proc.exited));
    await this.store?.close().catch(() => undefined);
    await this.phone?.stop();
    await this.carrier?.stop();
  }
}
