import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { Redis } from 'ioredis';
import { DEAD_LETTER_HEADERS, DEAD_LETTER_QUEUE, STANDARD_EXCHANGES } from '@legwork/bus';
import { createInfrastructure, createLogger, loadConfig, type Infrastructure } from '@legwork/platform';
import { scratchSecretKeys } from '@legwork/platform/testing';
import { SHARED_ORIGINATE_QUEUE } from '@legwork/originate';
import { bootstrapMediaNode, type MediaNodeHandle } from '../src/bootstrap';
import { mediaNodeConfigSchema, type MediaNodeConfig } from '../src/media-node.config';
import { SippPhone, type PhoneOptions } from '@legwork/originate/testing';

export const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export type Msg = Record<string, unknown>;

/** A message the bus dead-lettered, with the reason header it was given. */
export interface DeadLetter {
  content: Buffer;
  reason: string;
  /** The exchange it was first published on, by its logical name (`callmgr`). */
  exchange: string;
  msgId?: string;
}

/**
 * A media node started in-process on the real RabbitMQ and Redis, driven the way a Kazoo application drives it:
 * raw AMQP, Title-Case JSON. Every exchange/queue carries a per-run namespace and every key a per-run prefix.
 */
export class MediaNodeFixture {
  readonly tag = randomBytes(5).toString('hex');
  readonly ns: string;
  readonly prefix: string;
  readonly realm: string;
  /** LEGWORK_SECRET_KEYS of the run, for any other process on the same prefix. */
  readonly secretKeys = scratchSecretKeys();
  readonly config: MediaNodeConfig;
  readonly replyQueue: string;
  readonly replies: Msg[] = [];
  readonly events: Msg[] = [];
  private readonly phones: Array<{ stop(): Promise<void> }> = [];
  infra!: Infrastructure;
  app!: MediaNodeHandle;
  private conn: ChannelModel | undefined;
  ch!: Channel;

  /**
   * Answer every originate_ready with originate_execute, as a Kazoo application that publishes a park does
   * (ecallmgr's handshake); off for suites that drive the handshake themselves.
   */
  autoExecute = true;

  constructor(name: string, env: Record<string, string> = {}) {
    this.ns = `t-${name}-${this.tag}`;
    this.prefix = `t-${name}-${this.tag}:`;
    this.realm = `${name}-${this.tag}.legwork.test`;
    this.replyQueue = `kazoo-tool-${name}-${this.tag}`;
    this.config = loadConfig(mediaNodeConfigSchema, {
      NODE_ID: `${name}-${this.tag}`, HOST: '127.0.0.1', MEDIA_NODE_HTTP_PORT: '0', SIP_UDP_PORT: '0', SIP_TCP_PORT: '0', SIP_WS_PORT: '0', DRAIN_TIMEOUT_MS: '2000', ...env,
    });
  }

  async start(): Promise<void> {
    const logger = createLogger('media-node', 'silent');
    this.infra = createInfrastructure({ appName: 'media-node', nodeId: this.config.NODE_ID, logger, amqpUrl: AMQP_URL, redisUrl: REDIS_URL, amqpNamespace: this.ns, redisPrefix: this.prefix, secretKeys: this.secretKeys });
    await this.infra.start();
    this.app = await bootstrapMediaNode({ config: this.config, infra: this.infra, logger });
    this.conn = await connect(AMQP_URL);
    this.ch = await this.conn.createChannel();
    await this.ch.assertQueue(this.replyQueue, { exclusive: true });
    await this.ch.bindQueue(this.replyQueue, `${this.ns}.targeted`, this.replyQueue);
    await this.ch.consume(this.replyQueue, (m) => this.onReply(json(m)), { noAck: true });
    const evq = await this.ch.assertQueue('', { exclusive: true });
    await this.ch.bindQueue(evq.queue, `${this.ns}.callevt`, 'call.*.*');
    await this.ch.consume(evq.queue, (m) => void this.events.push(json(m)), { noAck: true });
  }

  private onReply(reply: Msg): void {
    this.replies.push(reply);
    if (this.autoExecute && reply['Event-Name'] === 'originate_ready') this.publishExecute(reply);
  }

  /** originate_execute for a ready call, to the Server-ID its originate_ready named (kapi_dialplan). */
  publishExecute(ready: Msg, extra: Msg = {}): Msg {
    const msg = { 'App-Name': 'kazoo-tool', 'App-Version': '4.3.0', 'Event-Category': 'dialplan', 'Event-Name': 'originate_execute', 'Msg-ID': ready['Msg-ID'], 'Call-ID': ready['Call-ID'], 'Server-ID': this.replyQueue, ...extra };
    this.ch.publish(`${this.ns}.targeted`, String(ready['Server-ID']), Buffer.from(JSON.stringify(msg)), { contentType: 'application/json' });
    return msg;
  }

  /** The media node's registrar on a transport (UDP by default), `host:port`. */
  registrar(protocol: 'udp' | 'tcp' = 'udp'): string {
    const listener = this.app.sip.listening().find((l) => l.protocol === protocol);
    if (listener === undefined) throw new Error(`media node has no ${protocol} listener`);
    return `127.0.0.1:${listener.port}`;
  }

  /** A registered sipp phone, stopped by close(). */
  async phone(opts: Omit<PhoneOptions, 'registrar' | 'realm'> & { realm?: string }): Promise<SippPhone> {
    const realm = opts.realm ?? this.realm;
    const phone = await SippPhone.start({ ...opts, registrar: this.registrar(opts.transport ?? 'udp'), realm });
    this.phones.push(phone);
    await phone.waitRegistered();
    await waitFor(async () => (await this.infra.calls.registrations.list(`${opts.username}@${realm}`)).length > 0, { message: `${opts.username} in the registrar`, timeoutMs: 15_000 });
    return phone;
  }

  /** Any peer the fixture should stop at close(). */
  own<T extends { stop(): Promise<void> }>(peer: T): T {
    this.phones.push(peer);
    return peer;
  }

  /** Exactly what a Kazoo app publishes: envelope, Title-Case keys, JSON, on callmgr / originate.resource.req (or one node's key). */
  publishOriginate(body: Msg, routingKey = 'originate.resource.req'): Msg {
    const msg = { 'App-Name': 'kazoo-tool', 'App-Version': '4.3.0', 'Event-Category': 'resource', 'Event-Name': 'originate_req', 'Msg-ID': randomBytes(8).toString('hex'), 'Server-ID': this.replyQueue, ...body };
    this.ch.publish(`${this.ns}.callmgr`, routingKey, Buffer.from(JSON.stringify(msg)), { contentType: 'application/json', mandatory: true });
    return msg;
  }

  endpoint(username: string, id: string, extra: Msg = {}): Msg {
    return { 'Invite-Format': 'username', 'To-Username': username, 'To-Realm': this.realm, 'Endpoint-ID': id, ...extra };
  }

  repliesTo(req: Msg): Msg[] {
    return this.replies.filter((r) => r['Msg-ID'] === req['Msg-ID']);
  }

  /** The final reply (originate_resp or error) to a request, waiting for it. */
  async finalReply(req: Msg, timeoutMs = 20_000): Promise<Msg> {
    const final = () => this.repliesTo(req).find((r) => r['Event-Name'] === 'originate_resp');
    await waitFor(() => final() !== undefined, { message: `final reply to ${String(req['Msg-ID'])}`, timeoutMs });
    return final() ?? {};
  }

  /** A call_command to this node's control queue, as a Kazoo tool sends it; resolves with its call_command_result. */
  async command(body: Msg, timeoutMs = 15_000): Promise<Msg> {
    const msg = { 'App-Name': 'kazoo-tool', 'App-Version': '4.3.0', 'Event-Category': 'call', 'Event-Name': 'command', 'Msg-ID': randomBytes(8).toString('hex'), 'Server-ID': this.replyQueue, ...body };
    this.ch.publish(`${this.ns}.callctl`, `callctl.${this.config.NODE_ID}`, Buffer.from(JSON.stringify(msg)), { contentType: 'application/json' });
    const result = (): Msg | undefined => this.replies.find((r) => r['Msg-ID'] === msg['Msg-ID'] && r['Event-Name'] === 'command_result');
    await waitFor(() => result() !== undefined, { message: `result of ${String(body['Application-Name'])}`, timeoutMs });
    return result() ?? {};
  }

  /** Bytes as a hostile publisher sends them, on one of the namespace's exchanges. */
  publishRaw(exchange: 'callmgr' | 'callctl', routingKey: string, content: Buffer): void {
    this.ch.publish(`${this.ns}.${exchange}`, routingKey, content, { contentType: 'application/json' });
  }

  /** This node's call-control routing key (`callctl.<node>`). */
  get controlKey(): string {
    return `callctl.${this.config.NODE_ID}`;
  }

  /** Collects everything dead-lettered in the namespace from now on (the queue is consumed: use one watcher per suite). */
  async watchDeadLetters(): Promise<DeadLetter[]> {
    const seen: DeadLetter[] = [];
    await this.ch.consume(`${this.ns}.${DEAD_LETTER_QUEUE}`, (m) => {
      if (m === null) return;
      let msgId: string | undefined;
      try {
        const id = (JSON.parse(m.content.toString()) as Msg)['Msg-ID'];
        msgId = typeof id === 'string' ? id : undefined;
      } catch {
        msgId = undefined;
      }
      const headers = m.properties.headers ?? {};
      seen.push({ content: m.content, reason: String(headers[DEAD_LETTER_HEADERS.reason] ?? ''), exchange: String(headers[DEAD_LETTER_HEADERS.exchange] ?? ''), ...(msgId !== undefined ? { msgId } : {}) });
    }, { noAck: true });
    return seen;
  }

  eventsOf(callId: string): Msg[] {
    return this.events.filter((e) => e['Call-ID'] === callId);
  }

  eventNames(callId: string): string[] {
    return this.eventsOf(callId).map((e) => String(e['Event-Name']));
  }

  event(callId: string, name: string): Msg | undefined {
    return this.eventsOf(callId).find((e) => e['Event-Name'] === name);
  }

  async waitEvent(callId: string, name: string, timeoutMs = 15_000): Promise<void> {
    await waitFor(() => this.event(callId, name) !== undefined, { message: `${name} of ${callId}`, timeoutMs });
  }

  /** Stops the peers, the node and the client, then removes every key and bus object this run created. */
  async close(): Promise<void> {
    for (const peer of this.phones) await peer.stop().catch(() => undefined);
    await this.conn?.close().catch(() => undefined);
    await this.app?.close();
    await this.infra?.close();
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    const admin = await connect(AMQP_URL);
    const ach = await admin.createChannel();
    for (const q of [SHARED_ORIGINATE_QUEUE, DEAD_LETTER_QUEUE]) await ach.deleteQueue(`${this.ns}.${q}`);
    for (const x of STANDARD_EXCHANGES.map((e) => e.name)) await ach.deleteExchange(`${this.ns}.${x}`);
    await admin.close();
  }
}

const json = (m: Pick<ConsumeMessage, 'content'> | null): Msg => (m === null ? {} : (JSON.parse(m.content.toString()) as Msg));
