import { waitFor } from '@legwork/common/testing';
import { DEAD_LETTER_HEADERS, DEAD_LETTER_QUEUE } from '@legwork/bus';
import { freePort, receivedRequests, SippCarrier } from '@legwork/originate/testing';
import { MediaNodeFixture, type Msg } from './media-node.fixture';

jest.setTimeout(60_000);

/**
 * A media node on RabbitMQ + Redis driven the way a Kazoo application drives it: raw AMQP, Title-Case JSON.
 * The test namespace prefixes every exchange (`<ns>.callmgr`); production runs without a namespace (`callmgr`).
 */
describe('media node originate over RabbitMQ, Redis and sipp', () => {
  const node = new MediaNodeFixture('orig');
  const { tag } = node;
  let accountId = '';
  let deviceId = '';
  let idleDeviceId = '';
  let carrierPort = 0;

  beforeAll(async () => {
    await node.start();
    const { directory } = node.infra;
    accountId = (await directory.accounts.create({ name: `orig-${tag}`, realm: node.realm, limits: { max_concurrent_channels: 4 } })).id;
    deviceId = (await directory.devices.create(accountId, { name: 'desk 101', sip: { username: 'desk101', password: 'desk-secret-101' }, caller_id: { external: { name: 'Desk 101', number: '+15550001111' } } })).id;
    idleDeviceId = (await directory.devices.create(accountId, { name: 'desk 102', sip: { username: 'desk102', password: 'desk-secret-102' } })).id;
    carrierPort = await freePort();
    await directory.resources.create(accountId, { name: 'test carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1555\\d{7}$'] });
  });

  afterAll(() => node.close());

  it('transfer: the registered phone answers, the carrier gets the number with the device caller id, both legs bridge and end on the carrier BYE', async () => {
    const phone = await node.phone({ username: 'desk101', password: 'desk-secret-101', behaviour: 'answer' });
    const carrier = node.own(await SippCarrier.start({ behaviour: 'answer-bye', port: carrierPort }));

    const aCallId = `kazoo-a-${tag}`;
    const req = node.publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: '+15551234567' }, Endpoints: [node.endpoint('desk101', deviceId)],
      'Outbound-Call-ID': aCallId, 'Outbound-Caller-ID-Name': 'Click To Call', 'Outbound-Caller-ID-Number': '5550000',
      'Custom-Channel-Vars': { 'Account-ID': accountId }, 'Custom-Application-Vars': { Campaign: 'spring' }, Timeout: 20,
    });
    await node.finalReply(req);
    const replies = node.repliesTo(req);
    expect(replies.map((r) => r['Event-Name'])).toEqual(['originate_uuid', 'originate_started', 'originate_resp']);
    expect(replies[0]).toMatchObject({ 'Outbound-Call-ID': aCallId });
    expect(replies[1]).toMatchObject({ 'Call-ID': aCallId, 'Custom-Application-Vars': { Campaign: 'spring' } });
    expect(replies[2]).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': aCallId });

    await waitFor(() => node.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Call-ID'] !== aCallId), { message: `B-leg bridge\n${phone.log}\n${carrier.log}`, timeoutMs: 15_000 });
    const bCallId = String(node.events.find((e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Call-ID'] !== aCallId)?.['Call-ID']);
    for (const id of [aCallId, bCallId]) {
      expect(node.eventNames(id)).toEqual(expect.arrayContaining(['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE']));
      for (const e of node.eventsOf(id)) expect(e).toMatchObject({ 'Custom-Application-Vars': { Campaign: 'spring' }, 'Custom-Channel-Vars': { 'Account-ID': accountId } });
    }
    expect(node.event(bCallId, 'CHANNEL_BRIDGE')?.['Other-Leg-Call-ID']).toBe(aCallId);

    const invite = receivedRequests(carrier.messages(), 'INVITE')[0];
    expect(invite?.startLine).toMatch(/^INVITE sip:\+15551234567@127\.0\.0\.1:\d+/);
    expect(invite?.headers['from']?.[0]).toMatch(/^"Desk 101"\s*<sip:\+15550001111@[^>]+>;tag=/);
    expect(invite?.headers['to']?.[0]).toMatch(/^<sip:\+15551234567@[^>]+>/);

    await waitFor(() => node.eventNames(aCallId).includes('CHANNEL_DESTROY') && node.eventNames(bCallId).includes('CHANNEL_DESTROY'), { message: 'both CHANNEL_DESTROY', timeoutMs: 15_000 });
    expect(node.event(bCallId, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'NORMAL_CLEARING' });
    expect(await carrier.exited).toBe(0);
    await waitFor(() => receivedRequests(phone.messages(), 'BYE').length > 0, { message: 'BYE to the phone', timeoutMs: 15_000 });
    expect(await node.infra.calls.limits.inUse(accountId)).toBe(0);
    expect(await node.infra.calls.calls.listByNode(node.config.NODE_ID)).toEqual([]);
  });

  it('an unregistered device: error reply DESTINATION_OUT_OF_ORDER and an originate_failed event', async () => {
    const outbound = `kazoo-idle-${tag}`;
    const req = node.publishOriginate({ 'Application-Name': 'park', Endpoints: [node.endpoint('desk102', idleDeviceId)], 'Outbound-Call-ID': outbound, 'Custom-Channel-Vars': { 'Account-ID': accountId } });
    await waitFor(() => node.repliesTo(req).length > 0 && node.events.some((e) => e['Event-Name'] === 'originate_failed' && e['Call-ID'] === outbound), { message: 'refusal', timeoutMs: 15_000 });
    expect(node.repliesTo(req)).toEqual([expect.objectContaining({ 'Event-Category': 'error', 'Event-Name': 'originate_resp', 'Error-Message': 'DESTINATION_OUT_OF_ORDER' })]);
    expect(node.events.find((e) => e['Event-Name'] === 'originate_failed' && e['Call-ID'] === outbound)).toMatchObject({ 'Error-Message': 'DESTINATION_OUT_OF_ORDER', 'Account-ID': accountId });
    expect(await node.infra.calls.limits.inUse(accountId)).toBe(0);
  });

  it('an invalid originate_req (no Endpoints): error reply naming the field, originate_failed, dead-lettered with the reason', async () => {
    const outbound = `kazoo-bad-${tag}`;
    const req = node.publishOriginate({ 'Application-Name': 'park', 'Outbound-Call-ID': outbound, 'Custom-Channel-Vars': { 'Account-ID': accountId } });
    await waitFor(() => node.repliesTo(req).length > 0 && node.events.some((e) => e['Event-Name'] === 'originate_failed' && e['Call-ID'] === outbound), { message: 'refusal', timeoutMs: 15_000 });
    const [reply] = node.repliesTo(req);
    expect(reply).toMatchObject({ 'Event-Category': 'error', 'Error-Code': 'originate_invalid' });
    expect(String(reply['Error-Message'])).toContain('Endpoints: is required');
    const reason = await waitFor(async () => {
      const got = await node.ch.get(`${node.ns}.${DEAD_LETTER_QUEUE}`, { noAck: true });
      return got !== false && (JSON.parse(got.content.toString()) as Msg)['Msg-ID'] === req['Msg-ID'] ? (got.properties.headers?.[DEAD_LETTER_HEADERS.reason] as unknown) : undefined;
    }, { message: 'the dead-lettered request', intervalMs: 25 });
    expect(String(reason)).toContain('Endpoints: is required');
  });
});
