import { waitFor } from '@legwork/common/testing';
import { type LoggedSipMessage, SippCarrier, type SippPhone, freePort, receivedRequests, sdpAudio } from '@legwork/originate/testing';
import { MediaNodeFixture, type Msg } from './media-node.fixture';

jest.setTimeout(90_000);

const FIRST = '+15553334444';
const SECOND = '+16667778888';
const THIRD = '+17778889999';

/** Re-INVITEs a carrier received after the one that set its call up. */
const reinvites = (carrier: SippCarrier): LoggedSipMessage[] => {
  const byCseq = new Map(receivedRequests(carrier.messages(), 'INVITE').map((m) => [m.headers['cseq']?.[0], m]));
  return [...byCseq.values()].slice(1);
};

/** A media node on the real RabbitMQ and Redis; one user's sipp phone calls two sipp carriers; call_command over raw AMQP. */
describe('consultative transfer over call_command: the remote parties of two calls of one user are joined (sipp peers)', () => {
  const node = new MediaNodeFixture('cxfer');
  let accountId = '';
  let deviceId = '';
  const ports: number[] = [];
  let phone: SippPhone;
  // a sipp carrier takes one call: each test starts its own on the gateways' ports
  const carrier = async (i: number, media: number, behaviour: 'answer-mirror' | 'answer-mirror-slow' = 'answer-mirror'): Promise<SippCarrier> =>
    node.own(await SippCarrier.start({ behaviour, port: ports[i], sdp: { ip: '127.0.0.1', port: media } }));

  const command = (body: Msg): Promise<Msg> => node.command(body);

  /** The phone's leg `a` bridged to the carrier's leg `b`. */
  const bridgedCall = async (name: string, route: string): Promise<{ a: string; b: string }> => {
    const a = `${name}-${node.tag}`;
    const req = node.publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: route }, Endpoints: [node.endpoint('cxdesk', deviceId)], Media: 'bypass',
      'Outbound-Call-ID': a, 'Custom-Channel-Vars': { 'Account-ID': accountId, 'Owner-ID': 'user-cx' }, Timeout: 15,
    });
    expect(await node.finalReply(req)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': a });
    const bridge = (): Msg | undefined => node.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === a);
    await waitFor(() => bridge() !== undefined, { message: 'B-leg bridged', timeoutMs: 15_000 });
    return { a, b: String(bridge()?.['Call-ID']) };
  };
  const byeAt = (peer: { messages(): string }, callId: string): boolean => receivedRequests(peer.messages(), 'BYE').some((m) => m.headers['call-id']?.[0] === callId);

  beforeAll(async () => {
    await node.start();
    accountId = (await node.infra.directory.accounts.create({ name: node.ns, realm: node.realm, limits: { max_concurrent_channels: 10 } })).id;
    deviceId = (await node.infra.directory.devices.create(accountId, { name: 'cx desk', sip: { username: 'cxdesk', password: 'pw-cxdesk' } })).id;
    for (const [name, prefix] of [['first', '1555'], ['second', '1666'], ['third', '1777']]) {
      ports.push(await freePort());
      await node.infra.directory.resources.create(accountId, { name, gateways: [{ server: `127.0.0.1:${ports.at(-1)}` }], rules: [`^\\+${prefix}\\d{7}$`] });
    }
    phone = await node.phone({ username: 'cxdesk', password: 'pw-cxdesk', behaviour: 'answer' });
  });
  afterAll(() => node.close());

  it('the held party and the consulted one are re-INVITEd with each other\'s session, bridged in one call, and both of the phone\'s legs get BYE', async () => {
    const [first, second] = [await carrier(0, 40_012), await carrier(1, 40_014)];
    const held = await bridgedCall('cx-held', FIRST);
    expect(await command({ 'Application-Name': 'hold', 'Call-ID': held.b })).toMatchObject({ Result: 'ok', 'Call-State': 'held' });
    const consulted = await bridgedCall('cx-consulted', SECOND);

    expect(await command({ 'Application-Name': 'consultative_transfer', 'Call-ID': held.a, 'Target-Call-ID': consulted.a })).toMatchObject({
      Result: 'ok', 'Result-Data': { 'Other-Leg-Call-ID': held.b, 'Target-Other-Leg-Call-ID': consulted.b, 'Target-Call-ID': consulted.a },
    });
    // the held carrier gets the consulted one's session (sendrecv: off hold), and the consulted one the held one's answer
    const toFirst = reinvites(first).at(-1);
    expect(sdpAudio(toFirst?.body ?? '')?.port).toBe(40_014);
    expect(toFirst?.body).not.toContain('a=sendonly');
    expect(sdpAudio(reinvites(second).at(-1)?.body ?? '')?.port).toBe(40_012);
    await node.waitEvent(held.b, 'CHANNEL_UNHOLD');

    for (const a of [held.a, consulted.a]) {
      await node.waitEvent(a, 'CHANNEL_DESTROY');
      await waitFor(() => byeAt(phone, a), { message: `BYE to the phone for ${a}\n${phone.log}`, timeoutMs: 15_000 });
    }
    expect(node.event(held.a, 'CHANNEL_DESTROY')).toMatchObject({ Disposition: 'CONSULTATIVE_TRANSFER', 'Transferred-To': consulted.b });
    expect(node.event(consulted.a, 'CHANNEL_DESTROY')).toMatchObject({ Disposition: 'CONSULTATIVE_TRANSFER', 'Transferred-To': held.b });
    await waitFor(() => node.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Call-ID'] === held.b && e['Other-Leg-Call-ID'] === consulted.b), { message: 'held party bridged to the consulted one' });
    await waitFor(() => node.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Call-ID'] === consulted.b && e['Other-Leg-Call-ID'] === held.b), { message: 'consulted party bridged to the held one' });
    expect(byeAt(first, held.b) || byeAt(second, consulted.b)).toBe(false);

    // one call now: when the held party hangs up, the consulted one is released
    expect(await node.app.originate.engine.hangup(held.b)).toBe(true);
    await node.waitEvent(consulted.b, 'CHANNEL_DESTROY');
    await waitFor(() => byeAt(second, consulted.b), { message: `BYE to the consulted carrier\n${second.log}`, timeoutMs: 15_000 });
    await Promise.all([first.stop(), second.stop()]);
  });

  it('refuses a second transfer of a leg already being transferred (transferring), an unknown target (failed), itself and an ended call (invalid_state)', async () => {
    // the first carrier answers re-INVITEs late: the transfer is still in progress when the second command comes
    await Promise.all([carrier(0, 40_022, 'answer-mirror-slow'), carrier(1, 40_024), carrier(2, 40_026)]);
    const one = await bridgedCall('cx-one', FIRST);
    const two = await bridgedCall('cx-two', SECOND);
    const [ran, again] = await Promise.all([
      command({ 'Application-Name': 'consultative_transfer', 'Call-ID': one.a, 'Target-Call-ID': two.a }),
      command({ 'Application-Name': 'consultative_transfer', 'Call-ID': two.a, 'Target-Call-ID': one.a }),
    ]);
    expect(ran).toMatchObject({ Result: 'ok' });
    expect(again).toMatchObject({ Result: 'invalid_state', 'Call-State': 'transferring', 'Result-Message': `a consultative transfer of call ${two.a} is already in progress` });
    await node.waitEvent(one.a, 'CHANNEL_DESTROY');
    expect(await command({ 'Application-Name': 'consultative_transfer', 'Call-ID': one.a, 'Target-Call-ID': two.a })).toMatchObject({ Result: 'invalid_state', 'Call-State': 'ended' });

    const three = await bridgedCall('cx-three', THIRD);
    expect(await command({ 'Application-Name': 'consultative_transfer', 'Call-ID': three.a, 'Target-Call-ID': `nowhere-${node.tag}` })).toMatchObject({ Result: 'failed', 'Result-Message': `call nowhere-${node.tag} is not live on the media node holding call ${three.a}` });
    expect(await command({ 'Application-Name': 'consultative_transfer', 'Call-ID': three.a, 'Target-Call-ID': three.a })).toMatchObject({ Result: 'invalid_state', 'Result-Message': `call ${three.a} cannot be transferred to itself` });
    // the refused transfers left the call as it was
    expect(node.eventNames(three.a)).not.toContain('CHANNEL_DESTROY');
    for (const id of [one.b, three.a]) await node.app.originate.engine.hangup(id);
    await node.waitEvent(three.b, 'CHANNEL_DESTROY');
    await node.waitEvent(two.b, 'CHANNEL_DESTROY');
  });
});
