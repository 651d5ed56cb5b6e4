import { waitFor } from '@legwork/common/testing';
import { groupRoute } from '@legwork/contracts';
import { freePort, header, receivedRequests, sdpAudio, type SippPhone } from '@legwork/originate/testing';
import { MediaNodeFixture, type Msg } from './media-node.fixture';

jest.setTimeout(60_000);

const RTPENGINE_NG = process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223';

const COMPLETED_ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';

/** A group as a transfer's destination: sipp members registered on an in-process media node, originate_req over RabbitMQ. */
describe('media node originate: a group as the destination', () => {
  const node = new MediaNodeFixture('group');
  let accountId = '';
  const ccv = (): Msg => ({ 'Account-ID': accountId });

  async function device(username: string, extra: Record<string, unknown> = {}): Promise<string> {
    return (await node.infra.directory.devices.create(accountId, { name: username, sip: { username, password: `pw-${username}` }, ...extra })).id;
  }

  /** Rings `caller`, and once it answers transfers it to the group; the A-leg's call id. */
  async function callGroup(caller: string, callerId: string, groupId: string, timeout = 15): Promise<string> {
    const aCallId = `${caller}-${node.tag}`;
    const req = node.publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: groupRoute(groupId) }, Endpoints: [node.endpoint(caller, callerId)],
      'Outbound-Call-ID': aCallId, 'Custom-Channel-Vars': ccv(), Timeout: timeout,
    });
    expect(await node.finalReply(req)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': aCallId });
    return aCallId;
  }

  const bridgeOf = (aCallId: string): Msg | undefined => node.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === aCallId);
  const inviteCallId = (phone: SippPhone): string => String(header(receivedRequests(phone.messages(), 'INVITE')[0], 'Call-ID'));

  beforeAll(async () => {
    await node.start();
    accountId = (await node.infra.directory.accounts.create({ name: `group-${node.tag}`, realm: node.realm, limits: { max_concurrent_channels: 8 } })).id;
  });

  afterAll(() => node.close());

  it('simultaneous: both members ring at once, the second answers and is bridged, the first gets CANCEL', async () => {
    const callerId = await device('gcaller');
    const [m1, m2] = [await device('gmember1'), await device('gmember2')];
    const group = await node.infra.directory.groups.create(accountId, { name: 'support', strategy: 'simultaneous', endpoints: { [m1]: { type: 'device' }, [m2]: { type: 'device' } } });
    const caller = await node.phone({ username: 'gcaller', password: 'pw-gcaller', behaviour: 'answer' });
    const first = await node.phone({ username: 'gmember1', password: 'pw-gmember1', behaviour: 'noanswer' });
    const second = await node.phone({ username: 'gmember2', password: 'pw-gmember2', behaviour: 'answer', answerDelayMs: 500 });

    const aCallId = await callGroup('gcaller', callerId, group.id);
    await waitFor(() => bridgeOf(aCallId) !== undefined, { message: `a member bridged\n${first.log}\n${second.log}`, timeoutMs: 15_000 });
    expect(receivedRequests(first.messages(), 'INVITE')).toHaveLength(1);
    expect(receivedRequests(second.messages(), 'INVITE')).toHaveLength(1);
    const winner = String(bridgeOf(aCallId)?.['Call-ID']);
    expect(winner).toBe(inviteCallId(second));
    await waitFor(() => receivedRequests(first.messages(), 'CANCEL').length > 0, { message: `CANCEL to the first member\n${first.log}`, timeoutMs: 15_000 });
    expect(header(receivedRequests(first.messages(), 'CANCEL')[0], 'Reason')).toBe(COMPLETED_ELSEWHERE);
    const loser = inviteCallId(first);
    await node.waitEvent(loser, 'CHANNEL_DESTROY');
    expect(node.event(loser, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'LOSE_RACE' });
    // the member's offer is the caller's: third-party call control relays it to every member alike
    expect(receivedRequests(second.messages(), 'INVITE')[0]?.body).toMatch(/^m=audio /m);
    expect(node.event(aCallId, 'CHANNEL_BRIDGE')).toMatchObject({ 'Other-Leg-Call-ID': winner });

    expect(await node.app.originate.engine.hangup(aCallId)).toBe(true);
    await waitFor(() => receivedRequests(second.messages(), 'BYE').length > 0 && receivedRequests(caller.messages(), 'BYE').length > 0, { message: 'BYE to both ends', timeoutMs: 15_000 });
    await node.waitEvent(winner, 'CHANNEL_DESTROY');
    await waitFor(async () => (await node.infra.calls.limits.inUse(accountId)) === 0, { message: 'channels given back', timeoutMs: 15_000 });
  });

  it('single: the members ring one after the other by weight; the first is busy, the next answers and is bridged', async () => {
    const callerId = await device('scaller');
    const [busy, picks] = [await device('smember1'), await device('smember2')];
    // weight orders the hunt: the heavier member is listed first but rings last
    const group = await node.infra.directory.groups.create(accountId, { name: 'sales', strategy: 'single', endpoints: { [picks]: { type: 'device', weight: 60 }, [busy]: { type: 'device', weight: 10 } } });
    await node.phone({ username: 'scaller', password: 'pw-scaller', behaviour: 'answer' });
    const first = await node.phone({ username: 'smember1', password: 'pw-smember1', behaviour: 'busy' });
    const second = await node.phone({ username: 'smember2', password: 'pw-smember2', behaviour: 'answer' });

    const aCallId = await callGroup('scaller', callerId, group.id);
    await waitFor(() => bridgeOf(aCallId) !== undefined, { message: `the second member bridged\n${first.log}\n${second.log}`, timeoutMs: 15_000 });
    expect(String(bridgeOf(aCallId)?.['Call-ID'])).toBe(inviteCallId(second));
    const busyLeg = inviteCallId(first);
    expect(node.event(busyLeg, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'USER_BUSY' });
    // one after the other: the second member's leg exists only once the first one ended
    const created = node.events.filter((e) => e['Event-Name'] === 'CHANNEL_CREATE' || e['Event-Name'] === 'CHANNEL_DESTROY').map((e) => `${String(e['Call-ID'])}:${String(e['Event-Name'])}`);
    expect(created.indexOf(`${busyLeg}:CHANNEL_DESTROY`)).toBeLessThan(created.indexOf(`${inviteCallId(second)}:CHANNEL_CREATE`));

    expect(await node.app.originate.engine.hangup(aCallId)).toBe(true);
    await node.waitEvent(inviteCallId(second), 'CHANNEL_DESTROY');
  });

  it('no member answers: every member is CANCELled at Timeout and the answered caller is hung up NO_ANSWER', async () => {
    const callerId = await device('ncaller');
    const members = [await device('nmember1'), await device('nmember2')];
    const group = await node.infra.directory.groups.create(accountId, { name: 'night', endpoints: Object.fromEntries(members.map((id) => [id, { type: 'device' }])) });
    const caller = await node.phone({ username: 'ncaller', password: 'pw-ncaller', behaviour: 'answer' });
    const phones = [await node.phone({ username: 'nmember1', password: 'pw-nmember1', behaviour: 'noanswer' }), await node.phone({ username: 'nmember2', password: 'pw-nmember2', behaviour: 'noanswer' })];

    const aCallId = await callGroup('ncaller', callerId, group.id, 2);
    for (const p of phones) await waitFor(() => receivedRequests(p.messages(), 'CANCEL').length > 0, { message: `CANCEL to ${p.username}\n${p.log}`, timeoutMs: 15_000 });
    await waitFor(() => receivedRequests(caller.messages(), 'BYE').length > 0, { message: `BYE to the caller\n${caller.log}`, timeoutMs: 15_000 });
    await node.waitEvent(aCallId, 'CHANNEL_DESTROY');
    expect(node.event(aCallId, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'NO_ANSWER' });
    expect(node.eventNames(aCallId)).not.toContain('CHANNEL_BRIDGE');
  });

  it('the caller hangs up while the members ring: every member is CANCELled and every leg ends', async () => {
    const callerId = await device('hcaller');
    const members = [await device('hmember1'), await device('hmember2')];
    const group = await node.infra.directory.groups.create(accountId, { name: 'hangs', endpoints: Object.fromEntries(members.map((id) => [id, { type: 'device' }])) });
    await node.phone({ username: 'hcaller', password: 'pw-hcaller', behaviour: 'answer', byeAfterMs: 1000 });
    const phones = [await node.phone({ username: 'hmember1', password: 'pw-hmember1', behaviour: 'noanswer' }), await node.phone({ username: 'hmember2', password: 'pw-hmember2', behaviour: 'noanswer' })];

    const aCallId = await callGroup('hcaller', callerId, group.id, 20);
    for (const p of phones) await waitFor(() => receivedRequests(p.messages(), 'CANCEL').length > 0, { message: `CANCEL to ${p.username}\n${p.log}`, timeoutMs: 15_000 });
    await node.waitEvent(aCallId, 'CHANNEL_DESTROY');
    for (const p of phones) await node.waitEvent(inviteCallId(p), 'CHANNEL_DESTROY');
    expect(node.eventNames(aCallId)).not.toContain('CHANNEL_BRIDGE');
    await waitFor(async () => (await node.infra.calls.limits.inUse(accountId)) === 0, { message: 'channels given back', timeoutMs: 15_000 });
  });

  it("another account's group is no destination: the caller is hung up and no member rings", async () => {
    const other = (await node.infra.directory.accounts.create({ name: `other-${node.tag}`, realm: `other-${node.tag}.legwork.test` })).id;
    const foreignMember = (await node.infra.directory.devices.create(other, { name: 'x', sip: { username: 'xmember', password: 'pw-xmember' } })).id;
    const foreign = await node.infra.directory.groups.create(other, { name: 'theirs', endpoints: { [foreignMember]: { type: 'device' } } });
    const callerId = await device('fcaller');
    const caller = await node.phone({ username: 'fcaller', password: 'pw-fcaller', behaviour: 'answer' });

    const aCallId = await callGroup('fcaller', callerId, foreign.id);
    await waitFor(() => receivedRequests(caller.messages(), 'BYE').length > 0, { message: `BYE to the caller\n${caller.log}`, timeoutMs: 15_000 });
    await node.waitEvent(aCallId, 'CHANNEL_DESTROY');
    expect(node.event(aCallId, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'NO_ROUTE_DESTINATION' });
  });
});

describe('media node originate: a group as the destination, media anchored on rtpengine', () => {
  const node = new MediaNodeFixture('groupproc', { RTPENGINE_NG });
  let accountId = '';

  beforeAll(async () => {
    await node.start();
    accountId = (await node.infra.directory.accounts.create({ name: `groupproc-${node.tag}`, realm: node.realm, limits: { max_concurrent_channels: 6 } })).id;
  });

  afterAll(() => node.close());

  it("every member is offered rtpengine's session, never the caller's; the one that answers is bridged", async () => {
    const device = async (username: string): Promise<string> => (await node.infra.directory.devices.create(accountId, { name: username, sip: { username, password: `pw-${username}` } })).id;
    const callerId = await device('pcaller');
    const members = [await device('pmember1'), await device('pmember2')];
    const group = await node.infra.directory.groups.create(accountId, { name: 'anchored', endpoints: Object.fromEntries(members.map((id) => [id, { type: 'device' }])) });
    const callerSdp = { ip: '127.0.0.1', port: await freePort() };
    await node.phone({ username: 'pcaller', password: 'pw-pcaller', behaviour: 'answer', sdp: callerSdp });
    const silent = await node.phone({ username: 'pmember1', password: 'pw-pmember1', behaviour: 'noanswer' });
    const picks = await node.phone({ username: 'pmember2', password: 'pw-pmember2', behaviour: 'answer', answerDelayMs: 300 });

    const aCallId = `pcaller-${node.tag}`;
    const req = node.publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: groupRoute(group.id) }, Endpoints: [node.endpoint('pcaller', callerId)], Media: 'process',
      'Outbound-Call-ID': aCallId, 'Custom-Channel-Vars': { 'Account-ID': accountId }, Timeout: 15,
    });
    expect(await node.finalReply(req)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': aCallId });
    const bridge = (): Msg | undefined => node.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === aCallId);
    await waitFor(() => bridge() !== undefined, { message: `a member bridged\n${silent.log}\n${picks.log}`, timeoutMs: 15_000 });
    expect(String(bridge()?.['Call-ID'])).toBe(header(receivedRequests(picks.messages(), 'INVITE')[0], 'Call-ID'));
    const offers = [silent, picks].map((p) => sdpAudio(receivedRequests(p.messages(), 'INVITE')[0]?.body ?? ''));
    // both forks carry the same rtpengine-facing session, and neither the caller's own address
    expect(offers[0]).toEqual(offers[1]);
    expect(offers[0]?.port).not.toBe(callerSdp.port);
    await waitFor(() => receivedRequests(silent.messages(), 'CANCEL').length > 0, { message: `CANCEL to the member that did not answer\n${silent.log}`, timeoutMs: 15_000 });
    expect(await node.app.originate.engine.hangup(aCallId)).toBe(true);
    await node.waitEvent(String(bridge()?.['Call-ID']), 'CHANNEL_DESTROY');
  });
});
