import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { KAZOO_DECLARE, KAZOO_EXCHANGES } from '@legwork/bus/testing';
import { SippPhone } from '@legwork/originate/testing';
import { AMQP_URL, REDIS_URL, type ScratchEnv } from '@legwork/platform/testing';
import { FREE_PORTS, NodeProcess } from './node-process';
import { Rest, dataOf, startLegwork, type Json, type RunningPlatform } from './kazoo-platform.fixture';

// Every `it` is bounded well below this; the platform start in beforeAll gets its own budget.
jest.setTimeout(30_000);

const PRECONDITION_FAILED = 406;

interface Delivery {
  body: Json;
  headers: Record<string, unknown>;
  routingKey: string;
}

/** A Kazoo application on the same broker, in raw amqplib: its own declares, reply queue and bindings. */
class KazooTool {
  readonly replies: Json[] = [];
  readonly replyQueue = `kazoo-tool-${randomBytes(4).toString('hex')}`;
  private constructor(
    private readonly conn: ChannelModel,
    private readonly ch: Channel,
    private readonly ns: string,
  ) {}

  static async open(ns: string): Promise<KazooTool> {
    const conn = await connect(AMQP_URL);
    conn.on('error', () => undefined);
    const tool = new KazooTool(conn, await conn.createChannel(), ns);
    return tool;
  }

  /** Declares each exchange on its own channel, as a Kazoo node does on connect: declare-ok or the refusal's code. */
  async declareExchanges(options: object): Promise<Array<[string, 'ok' | number | undefined]>> {
    const out: Array<[string, 'ok' | number | undefined]> = [];
    for (const { name, type } of KAZOO_EXCHANGES) {
      const ch = await this.conn.createChannel();
      ch.on('error', () => undefined);
      try {
        await ch.assertExchange(`${this.ns}.${name}`, type, options);
        out.push([name, 'ok']);
      } catch (err) {
        out.push([name, (err as { code?: number }).code]);
      } finally {
        await ch.close().catch(() => undefined);
      }
    }
    return out;
  }

  async listenForReplies(): Promise<void> {
    await this.ch.assertQueue(this.replyQueue, { exclusive: true, autoDelete: true });
    await this.ch.bindQueue(this.replyQueue, `${this.ns}.targeted`, this.replyQueue);
    await this.ch.consume(this.replyQueue, (m) => void (m && this.replies.push(JSON.parse(m.content.toString()) as Json)), { noAck: true });
  }

  /** `kapi_call:bind_q/2` for one call: `call.*.{encoded Call-ID}` on callevt, the key given already encoded. */
  async bindCall(encodedCallId: string): Promise<Delivery[]> {
    const got: Delivery[] = [];
    const q = await this.ch.assertQueue('', { exclusive: true, autoDelete: true });
    await this.ch.bindQueue(q.queue, `${this.ns}.callevt`, `call.*.${encodedCallId}`);
    await this.ch.consume(q.queue, (m: ConsumeMessage | null) => {
      if (m) got.push({ body: JSON.parse(m.content.toString()) as Json, headers: m.properties.headers ?? {}, routingKey: m.fields.routingKey });
    }, { noAck: true });
    return got;
  }

  originate(body: Json): Json {
    const msg = { 'App-Name': 'kazoo-tool', 'App-Version': '4.3.0', 'Event-Category': 'resource', 'Event-Name': 'originate_req', 'Msg-ID': randomBytes(8).toString('hex'), 'Server-ID': this.replyQueue, ...body };
    this.ch.publish(`${this.ns}.callmgr`, 'originate.resource.req', Buffer.from(JSON.stringify(msg)), { contentType: 'application/json', mandatory: true });
    return msg;
  }

  repliesTo(req: Json): Json[] {
    return this.replies.filter((r) => r['Msg-ID'] === req['Msg-ID']);
  }

  async close(): Promise<void> {
    await this.conn.close().catch(() => undefined);
  }
}

/** What an earlier Legwork left on the broker: durable exchanges, and its shared originate queue bound on one. */
async function leaveOldLegworkTopology(ns: string): Promise<void> {
  const conn = await connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    for (const { name, type } of KAZOO_EXCHANGES) await ch.assertExchange(`${ns}.${name}`, type, { durable: true });
    await ch.assertExchange(`${ns}.legwork.dlx`, 'fanout', { durable: true });
    await ch.assertQueue(`${ns}.legwork.originate`, { durable: true, arguments: { 'x-dead-letter-exchange': `${ns}.legwork.dlx` } });
    await ch.bindQueue(`${ns}.legwork.originate`, `${ns}.callmgr`, 'originate.resource.req');
    await ch.close();
  } finally {
    await conn.close();
  }
}

/** The same platform, told not to migrate: it must refuse at once, saying what to run. */
async function startManual(scratch: ScratchEnv): Promise<NodeProcess & { code: number | null }> {
  const proc = new NodeProcess('apps/legwork/dist/main.js', {
    ...FREE_PORTS, ...scratch, AMQP_URL, REDIS_URL, NODE_ID: `${scratch.AMQP_NAMESPACE}-manual`, AMQP_EXCHANGE_MIGRATION: 'manual', LOG_LEVEL: 'warn',
  });
  const timer = setTimeout(() => proc.kill(), 25_000);
  const code = await proc.exited;
  clearTimeout(timer);
  return Object.assign(proc, { code });
}

describe('a Kazoo tool on the same broker (raw amqplib), against the whole platform on RabbitMQ and Redis', () => {
  const tag = randomBytes(3).toString('hex');
  let platform: RunningPlatform;
  let manual: NodeProcess & { code: number | null };
  let tool: KazooTool;
  let phone: SippPhone;
  let ns = '';
  let accountId = '';
  let deviceId = '';
  const realm = `kzbus-${tag}.legwork.test`;

  beforeAll(async () => {
    platform = await startLegwork('kzbus', {}, {
      beforeStart: async (scratch) => {
        await leaveOldLegworkTopology(scratch.AMQP_NAMESPACE);
        manual = await startManual(scratch);
      },
    });
    ns = platform.scratch.AMQP_NAMESPACE;
    tool = await KazooTool.open(ns);
    const anon = new Rest(platform.apiUrl);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    const master = anon.withToken(String(auth.body.auth_token));
    accountId = String((await master.create(`/v2/accounts/${String(dataOf(auth)['account_id'])}`, { name: `kzbus-${tag}`, realm }))['id']);
    deviceId = String((await master.create(`/v2/accounts/${accountId}/devices`, { name: 'desk', sip: { username: `desk-${tag}`, password: 'desk-pw' } }))['id']);
    phone = await SippPhone.start({ username: `desk-${tag}`, password: 'desk-pw', realm, registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'answer', answerDelayMs: 200, byeAfterMs: 1000 });
    await phone.waitRegistered();
  }, 120_000);

  afterAll(async () => {
    await phone?.stop();
    await tool?.close();
    await platform?.close();
  }, 30_000);

  it('an earlier Legwork left durable exchanges: told not to migrate, the platform refuses to start and names the command', () => {
    expect(manual.code).toBe(1);
    expect(manual.stderr).toContain('[bus_legacy_exchanges]');
    expect(manual.stderr).toContain(`${ns}.callmgr`);
    expect(manual.stderr).toContain('npm run legwork -- bus migrate-exchanges');
    expect(manual.stdout).not.toContain('Press Ctrl+C to stop.');
  });

  it('by default it replaced them itself at start (nothing depended on them) and says so', () => {
    expect(platform.proc.stdout).toContain('replaced exchanges an earlier Legwork declared durable');
  });

  it("Kazoo's declares of callmgr, targeted, callevt and callctl (non-durable) get declare-ok; the old durable ones are now refused", async () => {
    expect(await tool.declareExchanges(KAZOO_DECLARE)).toEqual(KAZOO_EXCHANGES.map(({ name }) => [name, 'ok']));
    expect(await tool.declareExchanges({ durable: true })).toEqual(KAZOO_EXCHANGES.map(({ name }) => [name, PRECONDITION_FAILED]));
  });

  it('after those declares an AMQP originate completes with sipp; a per-call binding on the encoded Call-ID gets its events, call-id header, call states and µs creation time', async () => {
    await tool.listenForReplies();
    const callId = `kz.${tag}!%+*(x)@legwork.test:5060`;
    // kz_amqp_util:encode/1 by hand: . ! % + * ( ) @ : are bytes outside [A-Za-z0-9~_-]
    const mine = await tool.bindCall(`kz%2E${tag}%21%25%2B%2A%28x%29%40legwork%2Etest%3A5060`);
    const before = Date.now();
    const req = tool.originate({
      'Application-Name': 'park', 'Originate-Immediate': true, Timeout: 20, 'Outbound-Call-ID': callId,
      Endpoints: [{ 'Invite-Format': 'username', 'To-Username': `desk-${tag}`, 'To-Realm': realm, 'Endpoint-ID': deviceId }],
      'Custom-Channel-Vars': { 'Account-ID': accountId },
    });
    const names = (): string[] => mine.map((d) => String(d.body['Event-Name']));
    await waitFor(() => tool.repliesTo(req).some((r) => r['Event-Name'] === 'originate_resp'), { message: `originate_resp\n${phone.log}`, timeoutMs: 15_000 });
    expect(tool.repliesTo(req).find((r) => r['Event-Name'] === 'originate_resp')).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': callId });
    await waitFor(() => names().includes('CHANNEL_DESTROY'), { message: `CHANNEL_DESTROY of ${callId}: ${names().join(',')}\n${phone.log}`, timeoutMs: 15_000 });

    expect(names()).toEqual(expect.arrayContaining(['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_DESTROY']));
    for (const d of mine) expect({ event: d.body['Event-Name'], header: d.headers['call-id'], callId: d.body['Call-ID'] }).toEqual({ event: d.body['Event-Name'], header: callId, callId });
    const create = mine.find((d) => d.body['Event-Name'] === 'CHANNEL_CREATE')!;
    expect(create.routingKey).toBe(`call.CHANNEL_CREATE.kz%2E${tag}%21%25%2B%2A%28x%29%40legwork%2Etest%3A5060`);
    const state = (name: string): unknown => mine.find((d) => d.body['Event-Name'] === name)?.body['Channel-Call-State'];
    expect([state('CHANNEL_CREATE'), state('CHANNEL_ANSWER'), state('CHANNEL_DESTROY')]).toEqual(['DOWN', 'RINGING', 'HANGUP']);
    const created = create.body['Channel-Created-Time'];
    expect(Number.isInteger(created)).toBe(true);
    // microseconds of this very call: between the request and now, at µs scale
    expect(created as number).toBeGreaterThanOrEqual((before - 5_000) * 1000);
    expect(created as number).toBeLessThanOrEqual(Date.now() * 1000);
  });

  it("a Call-ID with a space (no SIP Call-ID may have one) is refused; the refusal's event still reaches the per-call binding on its encoded id", async () => {
    const callId = `kz ${tag}@legwork.test`;
    const mine = await tool.bindCall(`kz+${tag}%40legwork%2Etest`);
    const req = tool.originate({
      'Application-Name': 'park', 'Outbound-Call-ID': callId, 'Custom-Channel-Vars': { 'Account-ID': accountId },
      Endpoints: [{ 'Invite-Format': 'username', 'To-Username': `desk-${tag}`, 'To-Realm': realm }],
    });
    await waitFor(() => tool.repliesTo(req).length > 0 && mine.length > 0, { message: 'the refusal and its event', timeoutMs: 15_000 });
    expect(tool.repliesTo(req)[0]).toMatchObject({ 'Event-Category': 'error', 'Error-Code': 'originate_invalid', 'Error-Message': expect.stringContaining('Outbound-Call-ID') });
    expect(mine[0]).toMatchObject({ body: { 'Event-Name': 'originate_failed', 'Call-ID': callId, 'Error-Code': 'originate_invalid' }, headers: { 'call-id': callId } });
  });
});
