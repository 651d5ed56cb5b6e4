import { waitFor } from '@legwork/common/testing';
import { type LoggedSipMessage, SippCarrier, type SippPhone, freePort, parseSippLog, receivedRequests, sdpAudio } from '@legwork/originate/testing';
import { MediaNodeFixture, type Msg } from './media-node.fixture';

jest.setTimeout(90_000);

const FIRST = '+15553334444';
const SECOND = '+16667778888';

/** Re-INVITEs a carrier received after the one that set its call up. */
const reinvites = (carrier: SippCarrier): LoggedSipMessage[] => {
  const byCseq = new Map(receivedRequests(carrier.messages(), 'INVITE').map((m) => [m.headers['cseq']?.[0], m]));
  return [...byCseq.values()].slice(1);
};

/**
 * A media node on the real RabbitMQ and Redis; one user's sipp phone has two calls to sipp carriers and, in the first,
 * sends REFER with Replaces naming its dialog of the second (RFC 5589 §7). The phone REFERs once a re-INVITE reaches
 * that call: the test holds the phone's leg when both calls are set up.
 */
describe('attended transfer: a phone\'s REFER with Replaces joins the remote parties of its two calls (sipp peers)', () => {
  const node = new MediaNodeFixture('atxfer');
  let accountId = '';
  let deviceId = '';
  const ports: number[] = [];
  let phone: SippPhone;
  const carrier = async (i: number, media: number): Promise<SippCarrier> =>
    node.own(await SippCarrier.start({ behaviour: 'answer-mirror', port: ports[i], sdp: { ip: '127.0.0.1', port: media } }));

  /** The phone's leg `a` bridged to the carrier's leg `b`. */
  const bridgedCall = async (name: string, route: string): Promise<{ a: string; b: string }> => {
    const a = `${name}-${node.tag}`;
    const req = node.publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: route }, Endpoints: [node.endpoint('atdesk', deviceId, { 'Custom-Channel-Vars': { 'Owner-ID': 'user-at' } })], Media: 'bypass',
      'Outbound-Call-ID': a, 'Custom-Channel-Vars': { 'Account-ID': accountId, 'Owner-ID': 'user-at' }, Timeout: 15,
    });
    expect(await node.finalReply(req)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': a });
    const bridge = (): Msg | undefined => node.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === a);
    await waitFor(() => bridge() !== undefined, { message: 'B-leg bridged', timeoutMs: 15_000 });
    return { a, b: String(bridge()?.['Call-ID']) };
  };
  const byeAt = (peer: { messages(): string }, callId: string): boolean => receivedRequests(peer.messages(), 'BYE').some((m) => m.headers['call-id']?.[0] === callId);
  /** The sipfrag status lines the phone was told in NOTIFYs of a call. */
  const fragsTo = (callId: string): string[] => {
    const notifies = receivedRequests(phone.messages(), 'NOTIFY').filter((m) => m.headers['call-id']?.[0] === callId);
    const byCseq = new Map(notifies.map((m) => [m.headers['cseq']?.[0], m.body.trim()]));
    return [...byCseq.values()];
  };
  /** The final responses the phone got to its REFERs in a call. */
  const referAnswers = (callId: string): string[] =>
    parseSippLog(phone.messages()).filter((m) => m.direction === 'received' && m.startLine.startsWith('SIP/2.0') && /REFER/.test(m.headers['cseq']?.[0] ?? '') && m.headers['call-id']?.[0] === callId).map((m) => m.startLine);
  /** The phone's REFER goes out once its leg of `call` is re-INVITEd (held). */
  const referFrom = async (call: { a: string }): Promise<void> => {
    expect(await node.command({ 'Application-Name': 'hold', 'Call-ID': call.a })).toMatchObject({ Result: 'ok', 'Call-State': 'held' });
  };

  beforeAll(async () => {
    await node.start();
    accountId = (await node.infra.directory.accounts.create({ name: node.ns, realm: node.realm, limits: { max_concurrent_channels: 10 } })).id;
    deviceId = (await node.infra.directory.devices.create(accountId, { name: 'at desk', sip: { username: 'atdesk', password: 'pw-atdesk' } })).id;
    for (const [name, prefix] of [['first', '1555'], ['second', '1666']]) {
      ports.push(await freePort());
      await node.infra.directory.resources.create(accountId, { name, gateways: [{ server: `127.0.0.1:${ports.at(-1)}` }], rules: [`^\\+${prefix}\\d{7}$`] });
    }
    phone = await node.phone({ username: 'atdesk', password: 'pw-atdesk', behaviour: 'attended' });
  });
  afterAll(() => node.close());

  it('202, NOTIFY 100 Trying then 200 OK; the two carriers get each other\'s session and are bridged; the phone\'s two legs get BYE', async () => {
    const [first, second] = [await carrier(0, 40_032), await carrier(1, 40_034)];
    const held = await bridgedCall('at-held', FIRST);
    const consulted = await bridgedCall('at-consulted', SECOND);
    await referFrom(held);

    for (const a of [held.a, consulted.a]) {
      await node.waitEvent(a, 'CHANNEL_DESTROY');
      await waitFor(() => byeAt(phone, a), { message: `BYE to the phone for ${a}\n${phone.log}`, timeoutMs: 15_000 });
    }
    expect(referAnswers(held.a)).toEqual(['SIP/2.0 202 Accepted']);
    expect(fragsTo(held.a)).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 200 OK']);
    expect(node.event(held.a, 'CHANNEL_DESTROY')).toMatchObject({ Disposition: 'CONSULTATIVE_TRANSFER', 'Transferred-To': consulted.b });
    expect(node.event(consulted.a, 'CHANNEL_DESTROY')).toMatchObject({ Disposition: 'CONSULTATIVE_TRANSFER', 'Transferred-To': held.b });
    expect(sdpAudio(reinvites(first).at(-1)?.body ?? '')?.port).toBe(40_034);
    expect(sdpAudio(reinvites(second).at(-1)?.body ?? '')?.port).toBe(40_032);
    await waitFor(() => node.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Call-ID'] === held.b && e['Other-Leg-Call-ID'] === consulted.b), { message: 'held party bridged to the consulted one' });
    expect(byeAt(first, held.b) || byeAt(second, consulted.b)).toBe(false);

    expect(await node.app.originate.engine.hangup(held.b)).toBe(true);
    await node.waitEvent(consulted.b, 'CHANNEL_DESTROY');
    await Promise.all([first.stop(), second.stop()]);
  });

  it('a Replaces naming a call that has ended is NOTIFY 481, and the referring call goes on', async () => {
    const [first, second] = [await carrier(0, 40_042), await carrier(1, 40_044)];
    const held = await bridgedCall('at-stays', FIRST);
    const gone = await bridgedCall('at-gone', SECOND);
    expect(await node.app.originate.engine.hangup(gone.a)).toBe(true);
    await node.waitEvent(gone.a, 'CHANNEL_DESTROY');
    await referFrom(held);

    await waitFor(() => fragsTo(held.a).length === 2, { message: `NOTIFYs to the phone\n${phone.log}`, timeoutMs: 15_000 });
    expect(referAnswers(held.a)).toEqual(['SIP/2.0 202 Accepted']);
    expect(fragsTo(held.a)).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 481 Call/Transaction Does Not Exist']);
    expect(node.eventNames(held.a)).not.toContain('CHANNEL_DESTROY');
    expect(node.eventNames(held.b)).not.toContain('CHANNEL_DESTROY');
    expect(reinvites(first)).toEqual([]);
    await node.app.originate.engine.hangup(held.a);
    await node.waitEvent(held.b, 'CHANNEL_DESTROY');
    await Promise.all([first.stop(), second.stop()]);
  });
});
