import { waitFor } from '@legwork/common/testing';
import { type LoggedSipMessage, SippCarrier, type SippPhone, freePort, receivedRequests, sdpAudio } from '@legwork/originate/testing';
import { MediaNodeFixture, type Msg } from './media-node.fixture';

jest.setTimeout(90_000);

const ROUTE = '+15553334444';

const byeAt = (peer: { messages(): string }, callId: string): boolean => receivedRequests(peer.messages(), 'BYE').some((m) => m.headers['call-id']?.[0] === callId);
const invitesAt = (peer: { messages(): string }): LoggedSipMessage[] => receivedRequests(peer.messages(), 'INVITE').filter((m) => !/;tag=/.test(m.headers['to']?.[0] ?? ''));

/** A media node on the real RabbitMQ and Redis; a user with two sipp phones; a sipp carrier; call_command over raw AMQP. */
describe('call retrieve over call_command: the call moves to the user\'s other device (sipp peers)', () => {
  const node = new MediaNodeFixture('retr');
  let accountId = '';
  let deskId = '';
  let port = 0;
  let desk: SippPhone;
  let mobile: SippPhone;

  const bridgedCall = async (name: string, timeout = 15): Promise<{ a: string; b: string }> => {
    const a = `${name}-${node.tag}`;
    const req = node.publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: ROUTE }, Endpoints: [node.endpoint('retrdesk', deskId)], Media: 'bypass',
      'Outbound-Call-ID': a, 'Custom-Channel-Vars': { 'Account-ID': accountId }, Timeout: timeout,
    });
    expect(await node.finalReply(req)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': a });
    const bridge = (): Msg | undefined => node.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === a);
    await waitFor(() => bridge() !== undefined, { message: 'B-leg bridged', timeoutMs: 15_000 });
    return { a, b: String(bridge()?.['Call-ID']) };
  };

  beforeAll(async () => {
    await node.start();
    accountId = (await node.infra.directory.accounts.create({ name: node.ns, realm: node.realm, limits: { max_concurrent_channels: 6 } })).id;
    const userId = (await node.infra.directory.users.create(accountId, { first_name: 'Rita', last_name: 'Roe', username: 'rita' })).id;
    deskId = (await node.infra.directory.devices.create(accountId, { name: 'rita desk', owner_id: userId, sip: { username: 'retrdesk', password: 'pw-retrdesk' } })).id;
    await node.infra.directory.devices.create(accountId, { name: 'rita mobile', owner_id: userId, sip: { username: 'retrmobile', password: 'pw-retrmobile' } });
    port = await freePort();
    await node.infra.directory.resources.create(accountId, { name: 'carrier', gateways: [{ server: `127.0.0.1:${port}` }], rules: ['^\\+1555\\d{7}$'] });
    desk = await node.phone({ username: 'retrdesk', password: 'pw-retrdesk', behaviour: 'answer' });
    mobile = await node.phone({ username: 'retrmobile', password: 'pw-retrmobile', behaviour: 'answer', answerDelayMs: 300, sdp: { ip: '127.0.0.1', port: 40_046 } });
  });
  afterAll(() => node.close());

  it('the other device rings with the remote party\'s session, answers, the remote party is re-bridged to it and the desk\'s leg gets BYE', async () => {
    const carrier = node.own(await SippCarrier.start({ behaviour: 'answer-mirror', port, sdp: { ip: '127.0.0.1', port: 40_042 } }));
    const call = await bridgedCall('retr');
    expect(await node.command({ 'Application-Name': 'retrieve', 'Call-ID': call.a, 'Transfer-To': 'rita' })).toMatchObject({ Result: 'ok', 'Result-Data': { 'Other-Leg-Call-ID': call.b } });
    await waitFor(() => invitesAt(mobile).length === 1, { message: `INVITE at the other device\n${mobile.log}`, timeoutMs: 15_000 });
    // only the other device rings, with the carrier's session
    expect(invitesAt(desk)).toHaveLength(1);
    expect(sdpAudio(invitesAt(mobile)[0].body)?.port).toBe(40_042);
    const mobileLeg = String(invitesAt(mobile)[0].headers['call-id']?.[0]);
    await node.waitEvent(call.a, 'CHANNEL_DESTROY');
    expect(node.event(call.a, 'CHANNEL_DESTROY')).toMatchObject({ Disposition: 'RETRIEVED', 'Retrieved-By': mobileLeg });
    await waitFor(() => byeAt(desk, call.a), { message: `BYE at the desk\n${desk.log}`, timeoutMs: 15_000 });
    await waitFor(() => node.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Call-ID'] === call.b && e['Other-Leg-Call-ID'] === mobileLeg), { message: 'the carrier bridged to the other device' });
    // bypass: the carrier is re-INVITEd without SDP and its ACK carries the other device's answer
    await waitFor(() => receivedRequests(carrier.messages(), 'ACK').some((m) => sdpAudio(m.body)?.port === 40_046), { message: `ACK with the other device's SDP\n${carrier.log}`, timeoutMs: 15_000 });
    expect(byeAt(carrier, call.b)).toBe(false);
    expect(await node.app.originate.engine.hangup(call.b)).toBe(true);
    await waitFor(() => byeAt(mobile, mobileLeg), { message: `BYE at the other device\n${mobile.log}`, timeoutMs: 15_000 });
    await carrier.stop();
  });

  it('keeps the call as it was when the other device does not answer: the desk stays bridged to the carrier', async () => {
    const carrier = node.own(await SippCarrier.start({ behaviour: 'answer-mirror', port }));
    await mobile.stop();
    mobile = await node.phone({ username: 'retrmobile', password: 'pw-retrmobile', behaviour: 'noanswer' });
    // the request's 3 s Timeout bounds the retrieve's ringing too
    const call = await bridgedCall('retr-na', 3);
    expect(await node.command({ 'Application-Name': 'retrieve', 'Call-ID': call.a, 'Transfer-To': 'rita' })).toMatchObject({ Result: 'ok' });
    await waitFor(() => invitesAt(mobile).length === 1, { message: `INVITE at the other device\n${mobile.log}`, timeoutMs: 15_000 });
    await waitFor(() => receivedRequests(mobile.messages(), 'CANCEL').length === 1, { message: `CANCEL at the other device\n${mobile.log}`, timeoutMs: 15_000 });
    await waitFor(() => node.events.filter((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Call-ID'] === call.b && e['Other-Leg-Call-ID'] === call.a).length === 2, { message: 'the carrier bridged to the desk again' });
    expect(node.eventNames(call.a)).not.toContain('CHANNEL_DESTROY');
    expect(byeAt(desk, call.a) || byeAt(carrier, call.b)).toBe(false);
    expect(await node.app.originate.engine.hangup(call.a)).toBe(true);
    await waitFor(() => byeAt(carrier, call.b), { message: `BYE at the carrier\n${carrier.log}`, timeoutMs: 15_000 });
    await carrier.stop();
  });

  it('refuses without another registered device (failed), without Transfer-To (failed), and on a call not answered or ended (invalid_state)', async () => {
    const carrier = node.own(await SippCarrier.start({ behaviour: 'answer-mirror', port }));
    const call = await bridgedCall('retr-no');
    expect(await node.command({ 'Application-Name': 'retrieve', 'Call-ID': call.a, 'Transfer-To': 'retrdesk' })).toMatchObject({ Result: 'failed', 'Result-Message': expect.stringContaining('no other registered device of retrdesk') });
    expect(await node.command({ 'Application-Name': 'retrieve', 'Call-ID': call.a })).toMatchObject({ Result: 'failed', 'Result-Message': 'retrieve needs Transfer-To: the user whose other devices ring' });
    // refused: the call is as it was
    expect(node.eventNames(call.a)).not.toContain('CHANNEL_DESTROY');
    expect(await node.app.originate.engine.hangup(call.a)).toBe(true);
    await node.waitEvent(call.b, 'CHANNEL_DESTROY');
    expect(await node.command({ 'Application-Name': 'retrieve', 'Call-ID': call.a, 'Transfer-To': 'rita' })).toMatchObject({ Result: 'invalid_state', 'Call-State': 'ended' });
    await carrier.stop();
  });
});
