import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { LocalPushGateway, SippCarrier, SippPhone, freePort, receivedRequests, type GatewayPush } from '@legwork/originate/testing';
import { CallEvents, Rest, dataOf, startLegwork, type Json, type RunningPlatform } from './kazoo-platform.fixture';

jest.setTimeout(45_000);

const tag = randomBytes(3).toString('hex');
const SECRET = `push-secret-${tag}-0123456789`;

/**
 * A Kazoo quickcall to a mobile device that is not registered: the platform pushes it through the configured gateway,
 * the "app" wakes and REGISTERs with its pn-* parameters, is INVITEd and answers, the carrier is bridged, and the CDR
 * tells how long the wake-up took.
 */
describe('Kazoo quickcall to a device woken by a push (one legwork process, RabbitMQ, Redis)', () => {
  let platform: RunningPlatform;
  let gateway: LocalPushGateway;
  let events: CallEvents;
  let master: Rest;
  let base = '';
  let realm = '';
  let deviceId = '';
  let carrierPort = 0;
  const phones: SippPhone[] = [];

  beforeAll(async () => {
    gateway = await LocalPushGateway.start(SECRET);
    platform = await startLegwork('kqcpush', { PUSH_GATEWAY_URL: gateway.url, PUSH_GATEWAY_SECRET: SECRET });
    events = await CallEvents.open(platform.scratch.AMQP_NAMESPACE);
    const anon = new Rest(platform.apiUrl);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    master = anon.withToken(String(auth.body.auth_token));
    realm = `qcpush-${tag}.legwork.test`;
    const accountId = String((await master.create(`/v2/accounts/${String(dataOf(auth)['account_id'])}`, { name: `qcpush-${tag}`, realm }))['id']);
    base = `/v2/accounts/${accountId}`;
    deviceId = String((await master.create(`${base}/devices`, {
      name: 'mobile', device_type: 'mobile', sip: { username: `mobile-${tag}`, password: 'mobile-pw' }, caller_id: { external: { name: 'Mobile', number: '+14155550177' } },
      push: { provider: 'apns', prid: `tok-${tag}`, param: 'TEAM123456.com.example.phone.voip' },
    }))['id']);
    carrierPort = await freePort();
    await master.create(`${base}/resources`, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1415555\\d{4}$'] });
    gateway.onPush = (push: GatewayPush) => {
      if (push.kind !== 'call') return;
      const contactParams = `;pn-provider=${push.provider};pn-prid=${push.prid};pn-param=${push.param ?? ''}`;
      void SippPhone.start({ username: `mobile-${tag}`, password: 'mobile-pw', realm, registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'answer', byeAfterMs: 1000, contactParams }).then((p) => phones.push(p));
    };
  }, 90_000);

  afterAll(async () => {
    await Promise.all(phones.map((p) => p.stop()));
    await events?.close();
    await platform?.close();
    await gateway?.close();
  }, 30_000);

  it('GET quickcall: PUSH_SENT, the REGISTER, DEVICE_REGISTERED, the INVITE answered, the carrier bridged; the CDR has push_wake_ms', async () => {
    const carrier = await SippCarrier.start({ behaviour: 'answer', port: carrierPort });
    try {
      const res = await master.call('GET', `${base}/devices/${deviceId}/quickcall/%2B14155550188?media=bypass`);
      expect(res.status).toBe(202);
      const callId = String((dataOf(res)['endpoints'] as Json[])[0]?.['outbound_call_id']);
      await waitFor(() => events.of(callId, 'CHANNEL_DESTROY').length > 0, { message: `CHANNEL_DESTROY of ${callId}`, timeoutMs: 30_000 }).catch((err: unknown) => {
        throw new Error(`${String(err)}\nevents: ${events.of(callId).map((e) => String(e['Event-Name'])).join(' ')}\npushes: ${JSON.stringify(gateway.pushes)} ${gateway.rejected.join(';')}\nphone: ${phones[0]?.log ?? 'none'}`);
      });
      expect(events.of(callId).map((e) => e['Event-Name']).slice(0, 5)).toEqual(['CHANNEL_CREATE', 'PUSH_SENT', 'DEVICE_REGISTERED', 'CHANNEL_PROGRESS', 'CHANNEL_ANSWER']);
      expect(events.of(callId, 'CHANNEL_BRIDGE')).toHaveLength(1);
      expect(gateway.pushesOf(callId, 'call')).toEqual([expect.objectContaining({ provider: 'apns', prid: `tok-${tag}`, call_id: callId })]);
      expect([...new Set(receivedRequests(phones[0]?.messages() ?? '', 'INVITE').map((m) => m.headers['call-id']?.[0]))]).toEqual([callId]);
      expect(receivedRequests(carrier.messages(), 'INVITE')[0]?.startLine).toMatch(/^INVITE sip:\+14155550188@/);
      const wakeMs = events.of(callId, 'DEVICE_REGISTERED')[0]?.['Push-Wake-Ms'];
      let cdr: Json | undefined;
      await waitFor(async () => {
        cdr = dataOf(await master.call('GET', `${base}/cdrs/${encodeURIComponent(callId)}`));
        return cdr['call_id'] === callId;
      }, { message: 'the CDR', timeoutMs: 10_000, intervalMs: 250 });
      expect(cdr).toMatchObject({ push_provider: 'apns', push_wake_ms: wakeMs });
    } finally {
      await carrier.stop();
    }
  });
});
