import { waitFor } from '@legwork/common/testing';
import { groupRoute } from '@legwork/contracts';
import { type LoggedSipMessage, SippCarrier, type SippPhone, freePort, header, receivedRequests, sdpAudio } from '@legwork/originate/testing';
import { MediaNodeFixture, type Msg } from './media-node.fixture';

jest.setTimeout(90_000);

const ROUTE = '+15553334444';
const TRANSFER_TO = '+16667778888';

/** Re-INVITEs the carrier received after the one that set the call up. */
const reinvites = (carrier: SippCarrier): LoggedSipMessage[] => {
  const byCseq = new Map(receivedRequests(carrier.messages(), 'INVITE').map((m) => [m.headers['cseq']?.[0], m]));
  return [...byCseq.values()].slice(1);
};

/** A media node on the real RabbitMQ and Redis; a sipp phone and two sipp carriers; call_command over raw AMQP. */
describe('call control over call_command: hold, unhold, reconnect, blind transfer (sipp peers)', () => {
  const node = new MediaNodeFixture('ctl');
  let accountId = '';
  let deviceId = '';
  let firstPort = 0;
  let secondPort = 0;
  let phone: SippPhone;

  const command = (body: Msg): Promise<Msg> => node.command(body);

  const bridgedCall = async (name: string): Promise<{ a: string; b: string }> => {
    const a = `${name}-${node.tag}`;
    const req = node.publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: ROUTE }, Endpoints: [node.endpoint('ctldesk', deviceId)], Media: 'bypass',
      'Outbound-Call-ID': a, 'Custom-Channel-Vars': { 'Account-ID': accountId }, Timeout: 15,
    });
    expect(await node.finalReply(req)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': a });
    const bridge = (): Msg | undefined => node.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === a);
    await waitFor(() => bridge() !== undefined, { message: 'B-leg bridged', timeoutMs: 15_000 });
    return { a, b: String(bridge()?.['Call-ID']) };
  };

  beforeAll(async () => {
    await node.start();
    accountId = (await node.infra.directory.accounts.create({ name: node.ns, realm: node.realm, limits: { max_concurrent_channels: 6 } })).id;
    deviceId = (await node.infra.directory.devices.create(accountId, { name: 'ctl desk', sip: { username: 'ctldesk', password: 'pw-ctldesk' } })).id;
    [firstPort, secondPort] = [await freePort(), await freePort()];
    await node.infra.directory.resources.create(accountId, { name: 'first', gateways: [{ server: `127.0.0.1:${firstPort}` }], rules: ['^\\+1555\\d{7}$'] });
    await node.infra.directory.resources.create(accountId, { name: 'second', gateways: [{ server: `127.0.0.1:${secondPort}` }], rules: ['^\\+1666\\d{7}$'] });
    phone = await node.phone({ username: 'ctldesk', password: 'pw-ctldesk', behaviour: 'answer' });
  });
  afterAll(() => node.close());

  it('hold: the carrier gets a=sendonly (answers recvonly), CHANNEL_HOLD; again: invalid_state; unhold and reconnect restore a=sendrecv with CHANNEL_UNHOLD', async () => {
    const carrier = node.own(await SippCarrier.start({ behaviour: 'answer-mirror', port: firstPort }));
    const call = await bridgedCall('hold');
    expect(await command({ 'Application-Name': 'hold', 'Call-ID': call.b })).toMatchObject({ Result: 'ok', 'Call-State': 'held', 'Call-ID': call.b });
    expect(reinvites(carrier)[0]?.body).toContain('a=sendonly');
    await node.waitEvent(call.b, 'CHANNEL_HOLD');
    expect(node.event(call.b, 'CHANNEL_HOLD')).toMatchObject({ 'Other-Leg-Call-ID': call.a });
    expect(await command({ 'Application-Name': 'hold', 'Call-ID': call.b })).toMatchObject({ Result: 'invalid_state', 'Call-State': 'held', 'Result-Message': `call ${call.b} is already on hold` });

    expect(await command({ 'Application-Name': 'unhold', 'Call-ID': call.b })).toMatchObject({ Result: 'ok', 'Call-State': 'bridged' });
    expect(reinvites(carrier)[1]?.body).toContain('a=sendrecv');
    await node.waitEvent(call.b, 'CHANNEL_UNHOLD');

    expect(await command({ 'Application-Name': 'hold', 'Call-ID': call.b })).toMatchObject({ Result: 'ok' });
    expect(await command({ 'Application-Name': 'reconnect', 'Call-ID': call.b })).toMatchObject({ Result: 'ok', 'Call-State': 'bridged' });
    expect(reinvites(carrier).map((m) => /a=(sendonly|sendrecv)/.exec(m.body)?.[1])).toEqual(['sendonly', 'sendrecv', 'sendonly', 'sendrecv']);
    expect(await node.app.originate.engine.hangup(call.a)).toBe(true);
    await node.waitEvent(call.b, 'CHANNEL_DESTROY');
    expect(await command({ 'Application-Name': 'unhold', 'Call-ID': call.b })).toMatchObject({ Result: 'invalid_state', 'Call-State': 'ended' });
    // the next test's carrier listens on the same gateway port
    await carrier.stop();
  });

  it('blind transfer: the second carrier is called with the remaining party\'s session, the phone\'s leg ends, the remaining party is bridged to the new one', async () => {
    const first = node.own(await SippCarrier.start({ behaviour: 'answer-mirror', port: firstPort, sdp: { ip: '127.0.0.1', port: 40_002 } }));
    const second = node.own(await SippCarrier.start({ behaviour: 'answer-mirror', port: secondPort, sdp: { ip: '127.0.0.1', port: 40_004 } }));
    const call = await bridgedCall('xfer');
    expect(await command({ 'Application-Name': 'blind_transfer', 'Call-ID': call.a, 'Transfer-To': TRANSFER_TO })).toMatchObject({ Result: 'ok', 'Result-Data': { 'Other-Leg-Call-ID': call.b } });
    await node.waitEvent(call.a, 'CHANNEL_DESTROY');
    await waitFor(() => receivedRequests(phone.messages(), 'BYE').some((m) => m.headers['call-id']?.[0] === call.a), { message: `BYE to the transferring phone\n${phone.log}`, timeoutMs: 15_000 });
    expect(node.event(call.a, 'CHANNEL_DESTROY')).toMatchObject({ Disposition: 'BLIND_TRANSFER', 'Transfer-To': TRANSFER_TO });
    await waitFor(() => receivedRequests(second.messages(), 'INVITE').length > 0, { message: `INVITE at the second carrier\n${second.log}`, timeoutMs: 15_000 });
    const invite = receivedRequests(second.messages(), 'INVITE')[0];
    expect(invite.startLine).toContain(TRANSFER_TO);
    expect(sdpAudio(invite.body)?.port).toBe(40_002);
    const newLeg = (): Msg | undefined => node.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === call.b && e['Call-ID'] !== call.a);
    await waitFor(() => newLeg() !== undefined && node.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Call-ID'] === call.b && e['Other-Leg-Call-ID'] === newLeg()?.['Call-ID']), { message: 'remaining party bridged to the new leg', timeoutMs: 15_000 });
    // bypass: the remaining carrier is re-INVITEd and its ACK carries the new carrier's answer
    await waitFor(() => receivedRequests(first.messages(), 'ACK').some((m) => sdpAudio(m.body)?.port === 40_004), { message: `ACK with the new carrier's SDP\n${first.log}`, timeoutMs: 15_000 });
    expect(node.eventNames(call.b)).toContain('CHANNEL_UNBRIDGE');
    const c = String(newLeg()?.['Call-ID']);
    expect(await node.app.originate.engine.hangup(call.b)).toBe(true);
    await node.waitEvent(c, 'CHANNEL_DESTROY');
    await Promise.all([first.stop(), second.stop()]);
  });

  it('blind transfer to a group: both members ring with the remaining party\'s session, the one that answers is bridged to it, the other is CANCELled', async () => {
    const member = async (name: string): Promise<string> => (await node.infra.directory.devices.create(accountId, { name, sip: { username: name, password: `pw-${name}` } })).id;
    const [m1, m2] = [await member('xmember1'), await member('xmember2')];
    const group = await node.infra.directory.groups.create(accountId, { name: 'transfer desk', endpoints: { [m1]: { type: 'device' }, [m2]: { type: 'device' } } });
    const silent = await node.phone({ username: 'xmember1', password: 'pw-xmember1', behaviour: 'noanswer' });
    const picks = await node.phone({ username: 'xmember2', password: 'pw-xmember2', behaviour: 'answer', answerDelayMs: 300 });
    const first = node.own(await SippCarrier.start({ behaviour: 'answer-mirror', port: firstPort }));
    const call = await bridgedCall('gxfer');
    expect(await command({ 'Application-Name': 'blind_transfer', 'Call-ID': call.a, 'Transfer-To': groupRoute(group.id) })).toMatchObject({ Result: 'ok' });
    await node.waitEvent(call.a, 'CHANNEL_DESTROY');
    const newLeg = (): Msg | undefined => node.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === call.b && e['Call-ID'] !== call.a);
    await waitFor(() => newLeg() !== undefined, { message: `a member bridged to the remaining party\n${silent.log}\n${picks.log}`, timeoutMs: 15_000 });
    expect(String(newLeg()?.['Call-ID'])).toBe(header(receivedRequests(picks.messages(), 'INVITE')[0], 'Call-ID'));
    await waitFor(() => receivedRequests(silent.messages(), 'CANCEL').length > 0, { message: `CANCEL to the member that did not answer\n${silent.log}`, timeoutMs: 15_000 });
    expect(await node.app.originate.engine.hangup(call.b)).toBe(true);
    await node.waitEvent(String(newLeg()?.['Call-ID']), 'CHANNEL_DESTROY');
    await first.stop();
  });
});
