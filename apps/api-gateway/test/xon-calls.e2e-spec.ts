import { randomBytes } from 'node:crypto';
import { EXCHANGES, PUSH_REQUEST_ROUTING_KEY, SHARED_PUSH_QUEUE, pushRequest, type PushRequest } from '@legwork/contracts';
import { cleanupScratch, AMQP_URL, REDIS_URL, scratchNames, type Scratch } from '@legwork/platform/testing';
import { startGateway, type GatewayHarness } from './quickcall.harness';

// the gateway alone on real RabbitMQ and Redis: what X-on answers when no media node sends the push
process.env['XON_PUSH_TIMEOUT_MS'] = '300';

const tag = randomBytes(3).toString('hex');
const PRID = `cbc16ed8-${tag}-456f-9e15-f269b8a25811`;

describe('X-on routes when the media nodes do not push (gateway on RabbitMQ and Redis)', () => {
  let scratch: Scratch;
  let h: GatewayHarness;
  let secret = '';

  const call = async (body: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${h.url}/v1/call`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };

  beforeAll(async () => {
    scratch = scratchNames('xon');
    h = await startGateway({ AMQP_URL, REDIS_URL, REDIS_PREFIX: scratch.redisPrefix, AMQP_NAMESPACE: scratch.amqpNamespace, LEGWORK_SECRET_KEYS: scratch.secretKeys });
    const account = await h.directory.accounts.create({ name: `xon-${tag}`, realm: `xon-${tag}.xon.test`, country: 'GB' });
    const user = await h.directory.users.create(account.id, { first_name: 'Pat', last_name: 'Ient', mobile_number: '+447700900123' });
    await h.directory.devices.create(account.id, { name: 'phone', device_type: 'mobile', owner_id: user.id, sip: { username: `phone-${tag}`, password: 'pw' }, push: { provider: 'xon', prid: PRID } });
    secret = (await h.directory.apiClients.create(account.id, { name: 'patient-api', dialect: 'xon' })).client_secret;
  }, 60_000);

  afterAll(async () => {
    await h?.close();
    await cleanupScratch(scratch, { queues: [SHARED_PUSH_QUEUE] });
  });

  it('answers 503 {"error"} when no media node takes push requests', async () => {
    expect(await call({ deviceId: PRID, callId: `none-${tag}`, callerName: 'John Smith' })).toEqual({ status: 503, json: { error: 'no media node is available to send push notifications' } });
  });

  it('answers 504 {"error"} when the push request is taken but not answered within XON_PUSH_TIMEOUT_MS', async () => {
    const taken: PushRequest[] = [];
    const queue = await h.bus.declareQueue(SHARED_PUSH_QUEUE, { durable: false, autoDelete: true, bindings: [{ exchange: EXCHANGES.callmgr.name, routingKey: PUSH_REQUEST_ROUTING_KEY }] });
    const consumer = await h.bus.consume(queue, pushRequest.schema, async (req) => void taken.push(req));
    try {
      expect(await call({ deviceId: PRID, callId: `silent-${tag}`, callerName: 'John Smith' })).toEqual({ status: 504, json: { error: 'the push notification was not confirmed in time' } });
      expect(taken.map((r) => [r['Call-ID'], r['Push-PRID'], r['Push-Kind'], r['Caller-ID-Name']])).toEqual([[`silent-${tag}`, PRID, 'call', 'John Smith']]);
    } finally {
      await consumer.cancel();
    }
  });
});
