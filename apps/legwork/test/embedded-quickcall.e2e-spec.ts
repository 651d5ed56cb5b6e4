import { randomBytes } from 'node:crypto';
import { SippCarrier, SippPhone, freePort, header, receivedRequests, sdpAudio } from '@legwork/originate/testing';
import { waitFor } from '@legwork/common/testing';
import { FREE_PORTS, NodeProcess, ensureBuilt } from './node-process';
import { Rest, dataOf, type Json } from './kazoo-platform.fixture';

jest.setTimeout(30_000);

const tag = randomBytes(3).toString('hex');

/** `npm start` as a newcomer runs it: embedded, no rtpengine, a quickcall without `media`. */
describe('npm start (embedded, no rtpengine): a default quickcall works out of the box', () => {
  let platform: NodeProcess | undefined;
  let phone: SippPhone | undefined;
  let carrier: SippCarrier | undefined;

  beforeAll(() => ensureBuilt(), 120_000);
  afterAll(async () => {
    await carrier?.stop();
    await phone?.stop();
    platform?.kill();
  });

  it('rings the device and reaches the carrier in bypass, the phone’s SDP handed on unchanged', async () => {
    const apiKey = randomBytes(32).toString('hex');
    platform = new NodeProcess('apps/legwork/dist/main.js', { ...FREE_PORTS, LEGWORK_BOOTSTRAP_API_KEY: apiKey, LOG_LEVEL: 'warn' });
    await platform.waitFor(/Press Ctrl\+C to stop\./, 30_000);
    expect(platform.stdout).toContain('mode: embedded');
    const api = /^ {2}api-gateway +(http:\/\/\S+) /m.exec(platform.stdout)?.[1] ?? '';
    const sipPort = Number(/sip: udp:127\.0\.0\.1:(\d+)/.exec(platform.stdout)?.[1]);

    const anon = new Rest(api);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: apiKey });
    const admin = anon.withToken(String(auth.body.auth_token));
    const accountId = String(dataOf(auth)['account_id']);
    const realm = String(dataOf(await admin.call('GET', `/v2/accounts/${accountId}`))['realm']);
    const base = `/v2/accounts/${accountId}`;
    const deviceId = String((await admin.create(`${base}/devices`, { name: `desk-${tag}`, sip: { username: `desk-${tag}`, password: 'desk-pw' } }))['id']);
    const carrierPort = await freePort();
    await admin.create(`${base}/resources`, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1415555\\d{4}$'] });

    const phoneSdp = { ip: '127.0.0.1', port: await freePort() };
    phone = await SippPhone.start({ username: `desk-${tag}`, password: 'desk-pw', realm, registrar: `127.0.0.1:${sipPort}`, behaviour: 'answer', answerDelayMs: 100, sdp: phoneSdp });
    await phone.waitRegistered();
    carrier = await SippCarrier.start({ behaviour: 'answer', port: carrierPort });

    const res = await admin.call('GET', `${base}/devices/${deviceId}/quickcall/%2B14155550177`);
    expect(res.status).toBe(202);
    const data: Json = dataOf(res);
    expect(data['media']).toBe('bypass');
    const gw = carrier;
    await waitFor(() => receivedRequests(gw.messages(), 'INVITE').length > 0, { timeoutMs: 15_000, message: () => `INVITE at the carrier\n${phone?.log ?? ''}\n${gw.log}` });
    const invite = receivedRequests(gw.messages(), 'INVITE')[0];
    expect(header(invite, 'To')).toContain('+14155550177');
    expect(sdpAudio(invite?.body ?? '')).toEqual({ address: phoneSdp.ip, port: phoneSdp.port });
  });
});
