import { randomBytes } from 'node:crypto';
import { connect, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { AMQP_URL, REDIS_URL, cleanupScratch, scratchEnv, scratchNames, type ScratchEnv } from '@legwork/platform/testing';
import { DEFAULT_PARTITIONS, DEFAULT_RETRY_TIERS_MS, WEBHOOK_TOPOLOGY, splitList, webhookQueueNames } from '@legwork/webhook-delivery';
import { FREE_PORTS, NodeProcess, ensureBuilt } from './node-process';

export type Json = Record<string, unknown>;

export interface Reply {
  status: number;
  body: Json & { data?: unknown; message?: string; status?: string; auth_token?: string };
}

/** A Kazoo REST client as a new user writes one: JSON over fetch, X-Auth-Token when it has a token. */
export class Rest {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  withToken(token: string): Rest {
    return new Rest(this.baseUrl, token);
  }

  async call(method: string, path: string, data?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.token === undefined ? {} : { 'x-auth-token': this.token }), ...headers },
      body: data === undefined ? undefined : JSON.stringify({ data }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Reply['body']) };
  }

  /** Creates a document (201) and returns its `data`; fails loudly with the error envelope otherwise. */
  async create(path: string, data: Json): Promise<Json> {
    const res = await this.call('PUT', path, data);
    if (res.status !== 201) throw new Error(`PUT ${path} gave ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.data as Json;
  }
}

export const dataOf = (r: Reply): Json => (r.body.data ?? {}) as Json;

/** Every `call.*.*` event of the namespace, read off a queue of our own on the call-event exchange. */
export class CallEvents {
  readonly events: Json[] = [];
  private constructor(private readonly conn: ChannelModel) {}

  static async open(ns: string): Promise<CallEvents> {
    const conn = await connect(AMQP_URL);
    const probe = new CallEvents(conn);
    const ch = await conn.createChannel();
    const q = await ch.assertQueue('', { exclusive: true, autoDelete: true });
    await ch.bindQueue(q.queue, `${ns}.callevt`, 'call.*.*');
    await ch.consume(q.queue, (m: ConsumeMessage | null) => void (m && probe.events.push(JSON.parse(m.content.toString()) as Json)), { noAck: true });
    return probe;
  }

  of(callId: string, name?: string): Json[] {
    return this.events.filter((e) => e['Call-ID'] === callId && (name === undefined || e['Event-Name'] === name));
  }

  async close(): Promise<void> {
    await this.conn.close().catch(() => undefined);
  }
}

/** Durable queues the apps declare under the namespace (originate intake, CDR writer), beyond what cleanupScratch knows. */
const PLATFORM_QUEUES = ['legwork.originate', 'legwork.cdr'];

/** The webhooks app's pipeline: its queues (one delay queue per retry tier) and its own exchange. */
function webhookQueues(tiers: string | undefined, partitions: string | undefined): string[] {
  const tiersMs = tiers === undefined ? DEFAULT_RETRY_TIERS_MS : splitList(tiers).map(Number);
  return webhookQueueNames(tiersMs, partitions === undefined ? DEFAULT_PARTITIONS : Number(partitions));
}

export interface RunningPlatform {
  proc: NodeProcess;
  scratch: ScratchEnv;
  apiUrl: string;
  /** The blackhole endpoint of the websockets app (`ws://…/websocket`). */
  wsUrl: string;
  sipPort: number;
  bootstrapKey: string;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Runs on the run's scratch names before the platform starts (to prepare the broker as a test needs it). */
  beforeStart?: (scratch: ScratchEnv) => Promise<void>;
}

/** `node apps/legwork/dist/main.js` on RabbitMQ and Redis under a namespace of its own, every port picked by the OS. */
export async function startLegwork(label: string, env: Record<string, string> = {}, opts: StartOptions = {}): Promise<RunningPlatform> {
  ensureBuilt();
  const names = scratchNames(label);
  const scratch = scratchEnv(names);
  const cleanup = (): Promise<void> =>
    cleanupScratch(names, { queues: [...PLATFORM_QUEUES, ...webhookQueues(env['WEBHOOK_RETRY_TIERS_MS'], env['WEBHOOK_PARTITIONS'])], exchanges: [WEBHOOK_TOPOLOGY.exchange] });
  try {
    await opts.beforeStart?.(scratch);
  } catch (err) {
    await cleanup();
    throw err;
  }
  const bootstrapKey = randomBytes(32).toString('hex');
  const proc = new NodeProcess('apps/legwork/dist/main.js', {
    ...FREE_PORTS, ...scratch, AMQP_URL, REDIS_URL, NODE_ID: scratch.AMQP_NAMESPACE, LEGWORK_BOOTSTRAP_API_KEY: bootstrapKey, LOG_LEVEL: 'warn', ...env,
  });
  const close = async (): Promise<void> => {
    proc.kill();
    await proc.exited;
    await cleanup();
  };
  try {
    await proc.waitFor(/Press Ctrl\+C to stop\./, 30_000);
    const api = /^ {2}api-gateway +(http:\/\/\S+) /m.exec(proc.stdout)?.[1];
    const ws = /^ {2}websockets +http:\/\/(\S+) /m.exec(proc.stdout)?.[1];
    const sip = /sip: udp:127\.0\.0\.1:(\d+)/.exec(proc.stdout)?.[1];
    if (api === undefined || ws === undefined || sip === undefined) throw new Error(`no API, websockets or SIP port in the banner:\n${proc.stdout}`);
    return { proc, scratch, apiUrl: api, wsUrl: `ws://${ws}/websocket`, sipPort: Number(sip), bootstrapKey, close };
  } catch (err) {
    await close();
    throw err;
  }
}
