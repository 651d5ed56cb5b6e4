import { waitFor } from '@legwork/common/testing';
import { DEAD_LETTER_HEADERS, DEAD_LETTER_QUEUE } from '@legwork/bus';
import { SippCarrier, type SippPhone, freePort, header, parseSippLog, receivedRequests } from '@legwork/originate/testing';
import { MediaNodeFixture, type Msg } from './media-node.fixture';

jest.setTimeout(60_000);

const injected = (peer: { messages(): string }): number => parseSippLog(peer.messages()).filter((m) => m.headers['x-injected'] !== undefined).length;

/** An AMQP publisher is as hostile as a REST caller: SIP-bound fields are checked where the request enters. */
describe('media node: hostile originate_req over RabbitMQ, sipp phone and carrier on the wire', () => {
  const node = new MediaNodeFixture('hostile');
  const { tag } = node;
  let accountId = '';
  let deviceId = '';
  let callerDeviceId = '';
  let carrierPort = 0;
  let phone: SippPhone;

  beforeAll(async () => {
    await node.start();
    const { directory } = node.infra;
    accountId = (await directory.accounts.create({ name: `hostile-${tag}`, realm: node.realm, limits: { max_concurrent_channels: 4 } })).id;
    deviceId = (await directory.devices.create(accountId, { name: 'desk', sip: { username: 'desk201', password: 'desk-secret-201' }, caller_id: { external: { name: 'Desk 201', number: '+15550002222' } } })).id;
    callerDeviceId = (await directory.devices.create(accountId, { name: 'caller', sip: { username: 'desk202', password: 'desk-secret-202' } })).id;
    phone = await node.phone({ username: 'desk201', password: 'desk-secret-201', behaviour: 'answer' });
    carrierPort = await freePort();
    await directory.resources.create(accountId, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1(555|900)\\d{7}$'] });
  });
  afterAll(() => node.close());

  const deadLetterReason = (req: Msg): Promise<string> =>
    waitFor(async () => {
      const got = await node.ch.get(`${node.ns}.${DEAD_LETTER_QUEUE}`, { noAck: true });
      return got !== false && (JSON.parse(got.content.toString()) as Msg)['Msg-ID'] === req['Msg-ID'] ? String(got.properties.headers?.[DEAD_LETTER_HEADERS.reason]) : undefined;
    }, { message: 'the dead-lettered request', intervalMs: 25 });

  it.each([
    ['Outbound-Caller-ID-Name', { 'Outbound-Caller-ID-Name': 'Boss\r\nX-Injected: yes' }, {}],
    ['Outbound-Caller-ID-Number', { 'Outbound-Caller-ID-Number': '2000>' }, {}],
    ['Endpoints[0].To-Username', {}, { 'To-Username': 'desk201>' }],
    ['Endpoints[0].Custom-SIP-Headers.X-Evil', {}, { 'Custom-SIP-Headers': { 'X-Evil': 'a\r\nX-Injected: yes' } }],
  ])('refuses a request whose %s would break the INVITE: error reply naming it, dead-lettered, nothing rings', async (field, top, endpoint) => {
    const req = node.publishOriginate({ 'Application-Name': 'park', Endpoints: [node.endpoint('desk201', deviceId, endpoint)], 'Custom-Channel-Vars': { 'Account-ID': accountId }, ...top });
    await waitFor(() => node.repliesTo(req).length > 0, { message: `error reply naming ${field}`, timeoutMs: 15_000 });
    const [reply] = node.repliesTo(req);
    expect(reply).toMatchObject({ 'Event-Category': 'error', 'Error-Code': 'originate_invalid' });
    expect(String(reply['Error-Message'])).toContain(`${field}:`);
    expect(await deadLetterReason(req)).toContain(field);
    await new Promise((r) => setTimeout(r, 200));
    expect(receivedRequests(phone.messages(), 'INVITE')).toHaveLength(0);
    expect(injected(phone)).toBe(0);
  });

  it('a caller id name with quotes reaches the phone escaped; an unowned Caller-ID-Number toward the carrier is barred; an owned one is presented', async () => {
    const caller = await node.phone({ username: 'desk202', password: 'desk-secret-202', behaviour: 'answer', byeAfterMs: 600 });
    const barred = node.publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: '+15551234567' }, Endpoints: [node.endpoint('desk202', callerDeviceId)],
      'Caller-ID-Number': '+19175550100', 'Custom-Channel-Vars': { 'Account-ID': accountId },
    });
    expect(await node.finalReply(barred)).toMatchObject({ 'Event-Category': 'error', 'Error-Message': 'OUTGOING_CALL_BARRED' });
    const premium = node.publishOriginate({ 'Application-Name': 'transfer', 'Application-Data': { Route: '+19005550100' }, Endpoints: [node.endpoint('desk202', callerDeviceId)], 'Custom-Channel-Vars': { 'Account-ID': accountId } });
    expect(await node.finalReply(premium)).toMatchObject({ 'Event-Category': 'error', 'Error-Message': 'OUTGOING_CALL_BARRED' });
    expect(receivedRequests(caller.messages(), 'INVITE')).toHaveLength(0);

    await node.infra.directory.accounts.patch(accountId, { outbound: { caller_id_numbers: ['+19175550100'] } });
    const carrier = node.own(await SippCarrier.start({ behaviour: 'answer-bye', port: carrierPort }));
    const aCallId = `hostile-ok-${tag}`;
    const ok = node.publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: '+15551234567' }, Endpoints: [node.endpoint('desk202', callerDeviceId)], 'Outbound-Call-ID': aCallId,
      'Outbound-Caller-ID-Name': 'Bo"ss \\ <x>', 'Outbound-Caller-ID-Number': '5550000', 'Caller-ID-Name': 'Sales', 'Caller-ID-Number': '+19175550100', 'Custom-Channel-Vars': { 'Account-ID': accountId },
    });
    expect(await node.finalReply(ok)).toMatchObject({ 'Application-Response': 'SUCCESS' });
    await waitFor(() => receivedRequests(carrier.messages(), 'INVITE').length === 1, { message: `INVITE at the carrier\n${carrier.log}`, timeoutMs: 15_000 });
    expect(header(receivedRequests(caller.messages(), 'INVITE')[0], 'From')).toMatch(/^"Bo\\"ss \\\\ <x>" <sip:5550000@/);
    expect(header(receivedRequests(carrier.messages(), 'INVITE')[0], 'From')).toMatch(/^"Sales" <sip:\+19175550100@/);
    await node.waitEvent(aCallId, 'CHANNEL_DESTROY');
    await waitFor(async () => (await node.infra.calls.limits.inUse(accountId)) === 0, { message: 'channels given back', timeoutMs: 15_000 });
  });
});
