import { randomBytes } from 'node:crypto';
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';

export type Msg = Record<string, unknown>;

/**
 * A Kazoo-style client on raw AMQP: publishes originate_req on `<ns>.callmgr`, collects its targeted
 * replies and every call event of the namespace.
 */
export class BusProbe {
  readonly replies: Msg[] = [];
  readonly events: Msg[] = [];

  private constructor(
    private readonly conn: ChannelModel,
    private readonly ch: Channel,
    private readonly ns: string,
    readonly replyQueue: string,
  ) {}

  static async open(url: string, ns: string): Promise<BusProbe> {
    const conn = await connect(url);
    const ch = await conn.createChannel();
    const replyQueue = `kazoo-tool-${randomBytes(5).toString('hex')}`;
    const probe = new BusProbe(conn, ch, ns, replyQueue);
    const json = (m: ConsumeMessage | null): Msg => (m === null ? {} : (JSON.parse(m.content.toString()) as Msg));
    await ch.assertQueue(replyQueue, { exclusive: true });
    await ch.bindQueue(replyQueue, `${ns}.targeted`, replyQueue);
    await ch.consume(replyQueue, (m) => probe.onReply(json(m)), { noAck: true });
    const evq = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(evq.queue, `${ns}.callevt`, 'call.*.*');
    await ch.consume(evq.queue, (m) => void probe.events.push(json(m)), { noAck: true });
    return probe;
  }

  /** A Kazoo app that publishes a park answers ecallmgr's originate_ready with originate_execute. */
  private onReply(reply: Msg): void {
    this.replies.push(reply);
    if (reply['Event-Name'] !== 'originate_ready') return;
    const execute = { 'App-Name': 'kazoo-tool', 'App-Version': '4.3.0', 'Event-Category': 'dialplan', 'Event-Name': 'originate_execute', 'Msg-ID': reply['Msg-ID'], 'Call-ID': reply['Call-ID'], 'Server-ID': this.replyQueue };
    this.ch.publish(`${this.ns}.targeted`, String(reply['Server-ID']), Buffer.from(JSON.stringify(execute)), { contentType: 'application/json' });
  }

  /** A call command on `callctl` to a node's control queue (`callctl.<node>`), answered to this probe's queue. */
  command(body: Msg, controlQueue: string): Msg {
    const msg = { 'App-Name': 'kazoo-tool', 'App-Version': '4.3.0', 'Event-Category': 'call', 'Event-Name': 'command', 'Msg-ID': randomBytes(8).toString('hex'), 'Server-ID': this.replyQueue, ...body };
    this.ch.publish(`${this.ns}.callctl`, controlQueue, Buffer.from(JSON.stringify(msg)), { contentType: 'application/json', mandatory: true });
    return msg;
  }

  /** What a Kazoo app publishes; `routingKey` defaults to the shared `originate.resource.req`. */
  originate(body: Msg, routingKey = 'originate.resource.req'): Msg {
    const msg = { 'App-Name': 'kazoo-tool', 'App-Version': '4.3.0', 'Event-Category': 'resource', 'Event-Name': 'originate_req', 'Msg-ID': randomBytes(8).toString('hex'), 'Server-ID': this.replyQueue, ...body };
    this.ch.publish(`${this.ns}.callmgr`, routingKey, Buffer.from(JSON.stringify(msg)), { contentType: 'application/json', mandatory: true });
    return msg;
  }

  event(callId: string, name: string): Msg | undefined {
    return this.events.find((e) => e['Call-ID'] === callId && e['Event-Name'] === name);
  }

  reply(msgId: unknown, name = 'originate_resp'): Msg | undefined {
    return this.replies.find((r) => r['Msg-ID'] === msgId && r['Event-Name'] === name);
  }

  async close(): Promise<void> {
    await this.conn.close().catch(() => undefined);
  }
}
