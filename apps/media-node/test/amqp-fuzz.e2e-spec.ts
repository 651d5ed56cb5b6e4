import { waitFor } from '@legwork/common/testing';
import { callCommand, originateRequest } from '@legwork/contracts';
import { hostileBodies, UNREADABLE, type HostileBody } from './amqp-fuzz.bodies';
import { MediaNodeFixture, type DeadLetter, type Msg } from './media-node.fixture';

/** Hostile bodies per message and per Server-ID presence; `npm run test:fuzz` raises it. */
const COUNT = Number(process.env['FUZZ_AMQP_MESSAGES'] ?? 40);
if (!Number.isInteger(COUNT) || COUNT < 1) throw new Error(`FUZZ_AMQP_MESSAGES must be a whole number of at least 1, not ${String(process.env['FUZZ_AMQP_MESSAGES'])}`);

jest.setTimeout(120_000);

/** A hostile AMQP publisher: invalid originate_req and call_command bodies at a real media node on RabbitMQ. */
describe(`AMQP fuzz: ${COUNT} invalid originate_req and call_command bodies each, with and without Server-ID`, () => {
  const node = new MediaNodeFixture('amqpfuzz');
  let accountId = '';
  let deviceId = '';
  let dead: DeadLetter[] = [];

  const envelope = (category: string, name: string): Msg => ({ 'App-Name': 'kazoo-tool', 'App-Version': '4.3.0', 'Event-Category': category, 'Event-Name': name });
  const originateBase = (): Msg => ({
    ...envelope('resource', 'originate_req'), 'Application-Name': 'park', Endpoints: [node.endpoint('fuzz301', deviceId)], 'Custom-Channel-Vars': { 'Account-ID': accountId }, Timeout: 20,
  });
  const commandBase: Msg = { ...envelope('call', 'command'), 'Application-Name': 'hangup', 'Call-ID': 'fuzz-call', 'Hangup-Cause': 'NORMAL_CLEARING' };

  beforeAll(async () => {
    await node.start();
    dead = await node.watchDeadLetters();
    accountId = (await node.infra.directory.accounts.create({ name: `amqpfuzz-${node.tag}`, realm: node.realm, limits: { max_concurrent_channels: 4 } })).id;
    deviceId = (await node.infra.directory.devices.create(accountId, { name: 'desk', sip: { username: 'fuzz301', password: 'fuzz-secret-301' } })).id;
    await node.phone({ username: 'fuzz301', password: 'fuzz-secret-301', behaviour: 'answer', byeAfterMs: 300 });
  });
  afterAll(async () => {
    console.log(JSON.stringify({ perMessageAndServerId: COUNT, deadLettered: dead.length, replies: node.replies.length }));
    await node.close();
  });

  const deadLetterOf = (b: HostileBody, exchange: string): DeadLetter | undefined =>
    dead.find((d) => d.exchange === exchange && (b.msgId !== undefined ? d.msgId === b.msgId : d.content.equals(b.content)));
  const replyTo = (msgId: string | undefined): Msg | undefined => node.replies.find((r) => r['Msg-ID'] === msgId);

  /** Publishes every body, then waits until each is dead-lettered with a reason. */
  async function throwAll(bodies: HostileBody[], exchange: 'callmgr' | 'callctl', routingKey: string): Promise<void> {
    for (const b of bodies) node.publishRaw(exchange, routingKey, b.content);
    await waitFor(() => bodies.every((b) => deadLetterOf(b, exchange) !== undefined), {
      message: () => `not dead-lettered: ${bodies.filter((b) => deadLetterOf(b, exchange) === undefined).map((b) => b.name).join(', ')}`, timeoutMs: 60_000, intervalMs: 100,
    });
    for (const b of bodies) expect({ name: b.name, reason: deadLetterOf(b, exchange)?.reason }).toEqual({ name: b.name, reason: expect.stringMatching(/\S/) });
  }

  const routes = [
    ['originate_req', () => hostileBodies(originateRequest, originateBase(), { count: COUNT, seed: 0x0a1, serverId: node.replyQueue }), 'callmgr', () => 'originate.resource.req', 'originate_invalid'],
    ['call_command', () => hostileBodies(callCommand, commandBase, { count: COUNT, seed: 0x0c1, serverId: node.replyQueue }), 'callctl', () => node.controlKey, 'command_invalid'],
  ] as const;

  it.each(routes)('%s: unreadable and non-object bodies are dead-lettered with the reason', async (_name, _bodies, exchange, key) => {
    await throwAll(UNREADABLE, exchange, key());
    for (const b of UNREADABLE) expect({ name: b.name, reason: deadLetterOf(b, exchange)?.reason }).toEqual({ name: b.name, reason: expect.stringMatching(/^(invalid_json|schema_mismatch|handler_error): /) });
  });

  it.each(routes)('%s: invalid bodies with a Server-ID are dead-lettered with the reason and answered with an error', async (_name, bodies, exchange, key, code) => {
    const hostile = bodies();
    expect(hostile.length).toBe(COUNT);
    await throwAll(hostile, exchange, key());
    await waitFor(() => hostile.every((b) => replyTo(b.msgId) !== undefined), { message: () => `error replies: ${hostile.filter((b) => replyTo(b.msgId) === undefined).length} missing`, timeoutMs: 30_000 });
    for (const b of hostile) {
      const reply = replyTo(b.msgId) ?? {};
      expect({ name: b.name, category: reply['Event-Category'], code: reply['Error-Code'] }).toEqual({ name: b.name, category: 'error', code });
      expect(String(reply['Error-Message'])).not.toBe('');
    }
  });

  it.each(routes)('%s: invalid bodies without a Server-ID are dead-lettered and answered to nobody', async (_name, bodies, exchange, key) => {
    const hostile = bodies().map((b) => {
      const body = JSON.parse(b.content.toString()) as Msg;
      delete body['Server-ID'];
      return { ...b, msgId: `${String(b.msgId)}-anon`, content: Buffer.from(JSON.stringify({ ...body, 'Msg-ID': `${String(b.msgId)}-anon` })) };
    });
    await throwAll(hostile, exchange, key());
    expect(hostile.filter((b) => replyTo(b.msgId) !== undefined)).toEqual([]);
  });

  it('the consumers still carry valid requests: an originate rings and answers, a command is answered', async () => {
    const req = node.publishOriginate(originateBase());
    expect(await node.finalReply(req)).toMatchObject({ 'Application-Response': 'SUCCESS' });
    expect(await node.command({ 'Application-Name': 'hangup', 'Call-ID': `fuzz-nobody-${node.tag}` })).toMatchObject({ Result: 'no_such_call' });
  });
});
