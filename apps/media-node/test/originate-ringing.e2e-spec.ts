import { waitFor } from '@legwork/common/testing';
import { freePort, header, receivedRequests, SippCarrier } from '@legwork/originate/testing';
import { MediaNodeFixture, type Msg } from './media-node.fixture';

jest.setTimeout(60_000);

const COMPLETED_ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';

/** Ringing outcomes end to end: sipp phones registered on an in-process media node, originate_req over RabbitMQ. */
describe('media node originate: who rings, who wins, how it fails', () => {
  const node = new MediaNodeFixture('ring');
  let accountId = '';
  let carrierPort = 0;
  const ccv = (): Msg => ({ 'Account-ID': accountId });

  async function device(username: string, extra: Record<string, unknown> = {}, account = accountId): Promise<string> {
    return (await node.infra.directory.devices.create(account, { name: username, sip: { username, password: `pw-${username}` }, ...extra })).id;
  }

  beforeAll(async () => {
    await node.start();
    accountId = (await node.infra.directory.accounts.create({ name: `ring-${node.tag}`, realm: node.realm, limits: { max_concurrent_channels: 6 } })).id;
    carrierPort = await freePort();
    await node.infra.directory.resources.create(accountId, { name: 'down carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1555\\d{7}$'] });
  });

  afterAll(() => node.close());

  it("a user's three devices ring at once; the second answers and the other two get CANCEL with the completed-elsewhere Reason", async () => {
    const user = await node.infra.directory.users.create(accountId, { first_name: 'Rita', last_name: 'Rings' });
    const names = ['rita1', 'rita2', 'rita3'];
    const ids = await Promise.all(names.map((n) => device(n, { owner_id: user.id })));
    const [first, second, third] = await Promise.all([
      node.phone({ username: 'rita1', password: 'pw-rita1', behaviour: 'noanswer' }),
      node.phone({ username: 'rita2', password: 'pw-rita2', behaviour: 'answer', answerDelayMs: 300 }),
      node.phone({ username: 'rita3', password: 'pw-rita3', behaviour: 'noanswer' }),
    ]);

    const req = node.publishOriginate({ 'Application-Name': 'park', Endpoints: names.map((n, i) => node.endpoint(n, ids[i])), 'Custom-Channel-Vars': ccv(), Timeout: 20 });
    const reply = await node.finalReply(req);
    const winnerInvite = receivedRequests(second.messages(), 'INVITE')[0];
    expect(header(winnerInvite, 'Call-ID')).toMatch(/\S/);
    expect(reply).toMatchObject({ 'Event-Category': 'resource', 'Application-Response': 'SUCCESS', 'Call-ID': header(winnerInvite, 'Call-ID') });
    const winner = String(reply['Call-ID']);

    for (const loser of [first, third]) {
      await waitFor(() => receivedRequests(loser.messages(), 'CANCEL').length > 0, { message: `CANCEL to ${loser.username}\n${loser.log}`, timeoutMs: 15_000 });
      expect(header(receivedRequests(loser.messages(), 'CANCEL')[0], 'Reason')).toBe(COMPLETED_ELSEWHERE);
      const loserCallId = String(header(receivedRequests(loser.messages(), 'INVITE')[0], 'Call-ID'));
      await node.waitEvent(loserCallId, 'CHANNEL_DESTROY');
      expect(node.event(loserCallId, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'LOSE_RACE' });
      expect(node.eventNames(loserCallId)).not.toContain('CHANNEL_ANSWER');
    }
    expect(receivedRequests(second.messages(), 'CANCEL')).toEqual([]);
    expect(node.eventNames(winner)).toEqual(expect.arrayContaining(['CHANNEL_CREATE', 'CHANNEL_ANSWER']));

    expect(await node.app.originate.engine.hangup(winner)).toBe(true);
    await waitFor(() => receivedRequests(second.messages(), 'BYE').length > 0, { message: `BYE to rita2\n${second.log}`, timeoutMs: 15_000 });
    await node.waitEvent(winner, 'CHANNEL_DESTROY');
    await waitFor(async () => (await node.infra.calls.limits.inUse(accountId)) === 0, { message: 'channels given back', timeoutMs: 15_000 });
  });

  it('originate_started comes once the INVITE is out, while the phone still rings; originate_resp only on its answer', async () => {
    const id = await device('stella');
    const phone = await node.phone({ username: 'stella', password: 'pw-stella', behaviour: 'answer', answerDelayMs: 2500 });
    const callId = `stella-${node.tag}`;
    const req = node.publishOriginate({ 'Application-Name': 'park', Endpoints: [node.endpoint('stella', id)], 'Outbound-Call-ID': callId, 'Custom-Channel-Vars': ccv(), Timeout: 20 });
    const started = (): Msg | undefined => node.repliesTo(req).find((r) => r['Event-Name'] === 'originate_started');
    await waitFor(() => started() !== undefined, { message: 'originate_started', timeoutMs: 15_000 });
    // what was true when the started reply arrived: nothing answered yet
    const answeredYet = node.repliesTo(req).some((r) => r['Event-Name'] === 'originate_resp') || node.eventNames(callId).includes('CHANNEL_ANSWER');
    expect(answeredYet).toBe(false);
    expect(started()).toMatchObject({ 'Event-Category': 'resource', 'Call-ID': callId, 'Outbound-Call-ID': callId, 'Media-Server': node.config.NODE_ID, 'Custom-Channel-Vars': { 'Account-ID': accountId } });
    await waitFor(() => receivedRequests(phone.messages(), 'INVITE').length > 0, { message: `INVITE at stella\n${phone.log}`, timeoutMs: 15_000 });

    expect(await node.finalReply(req)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': callId });
    expect(node.repliesTo(req).map((r) => r['Event-Name'])).toEqual(['originate_uuid', 'originate_ready', 'originate_started', 'originate_resp']);
    expect(await node.app.originate.engine.hangup(callId)).toBe(true);
    await node.waitEvent(callId, 'CHANNEL_DESTROY');
  });

  it('a request refused before anything rings gets no originate_started, only its error', async () => {
    const req = node.publishOriginate({ 'Application-Name': 'park', Endpoints: [node.endpoint('nobody-here', 'no-such-device')], 'Custom-Channel-Vars': ccv(), Timeout: 5 });
    expect(await node.finalReply(req)).toMatchObject({ 'Event-Category': 'error', 'Error-Message': 'DESTINATION_OUT_OF_ORDER' });
    expect(node.repliesTo(req).map((r) => r['Event-Name'])).not.toContain('originate_started');
  });

  it('no answer: the phone rings until Timeout, gets CANCEL, and the reply is NO_ANSWER', async () => {
    const id = await device('nora');
    const phone = await node.phone({ username: 'nora', password: 'pw-nora', behaviour: 'noanswer' });
    const started = Date.now();
    const req = node.publishOriginate({ 'Application-Name': 'park', Endpoints: [node.endpoint('nora', id)], 'Outbound-Call-ID': `nora-${node.tag}`, 'Custom-Channel-Vars': ccv(), Timeout: 3 });
    const reply = await node.finalReply(req);
    // the engine must not give up before Timeout: a lower bound, never an upper one
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(reply).toMatchObject({ 'Event-Category': 'error', 'Error-Message': 'NO_ANSWER' });
    expect(receivedRequests(phone.messages(), 'INVITE')).toHaveLength(1);
    await waitFor(() => receivedRequests(phone.messages(), 'CANCEL').length > 0, { message: `CANCEL to nora\n${phone.log}`, timeoutMs: 15_000 });
    await node.waitEvent(`nora-${node.tag}`, 'CHANNEL_DESTROY');
    expect(node.event(`nora-${node.tag}`, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'NO_ANSWER' });
  });

  it('busy: the phone answers 486 and the reply is USER_BUSY', async () => {
    const id = await device('bess');
    const phone = await node.phone({ username: 'bess', password: 'pw-bess', behaviour: 'busy' });
    const callId = `bess-${node.tag}`;
    const req = node.publishOriginate({ 'Application-Name': 'park', Endpoints: [node.endpoint('bess', id)], 'Outbound-Call-ID': callId, 'Custom-Channel-Vars': ccv(), Timeout: 10 });
    expect(await node.finalReply(req)).toMatchObject({ 'Event-Category': 'error', 'Error-Message': 'USER_BUSY' });
    expect(receivedRequests(phone.messages(), 'INVITE')).toHaveLength(1);
    await node.waitEvent(callId, 'CHANNEL_DESTROY');
    expect(node.event(callId, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'USER_BUSY', 'Hangup-Code': 'sip:486' });
  });

  it('carrier 503: the answered phone is hung up with BYE and both legs end NORMAL_TEMPORARY_FAILURE', async () => {
    const id = await device('carl');
    const phone = await node.phone({ username: 'carl', password: 'pw-carl', behaviour: 'answer' });
    const carrier = node.own(await SippCarrier.start({ behaviour: '503', port: carrierPort }));
    const aCallId = `carl-${node.tag}`;
    const req = node.publishOriginate({ 'Application-Name': 'transfer', 'Application-Data': { Route: '+15559876543' }, Endpoints: [node.endpoint('carl', id)], 'Outbound-Call-ID': aCallId, 'Custom-Channel-Vars': ccv(), Timeout: 10 });
    // the A-leg answered before the destination was dialled: the request itself succeeded
    expect(await node.finalReply(req)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': aCallId });
    await waitFor(() => receivedRequests(phone.messages(), 'BYE').length > 0, { message: `BYE to carl\n${phone.log}\n${carrier.log}`, timeoutMs: 15_000 });
    expect(receivedRequests(carrier.messages(), 'INVITE')[0]?.startLine).toMatch(/^INVITE sip:\+15559876543@127\.0\.0\.1:\d+/);

    await node.waitEvent(aCallId, 'CHANNEL_DESTROY');
    const bCallId = String(node.events.find((e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Other-Leg-Call-ID'] === aCallId)?.['Call-ID'] ?? header(receivedRequests(carrier.messages(), 'INVITE')[0], 'Call-ID'));
    await node.waitEvent(bCallId, 'CHANNEL_DESTROY');
    expect(node.eventNames(aCallId)).toEqual(expect.arrayContaining(['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_DESTROY']));
    expect(node.eventNames(aCallId)).not.toContain('CHANNEL_BRIDGE');
    expect(node.event(bCallId, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'NORMAL_TEMPORARY_FAILURE', 'Hangup-Code': 'sip:503' });
    expect(node.event(aCallId, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'NORMAL_TEMPORARY_FAILURE' });
    expect(await carrier.exited).toBe(0);
    await waitFor(async () => (await node.infra.calls.limits.inUse(accountId)) === 0, { message: 'channels given back', timeoutMs: 15_000 });
  });

  it('channel limit: with the account at its limit of 1, a second originate is refused channel_limit_reached and nothing rings', async () => {
    const realm = `tight-${node.tag}.legwork.test`;
    const tight = (await node.infra.directory.accounts.create({ name: `tight-${node.tag}`, realm, limits: { max_concurrent_channels: 1 } })).id;
    const upId = await device('tina', {}, tight);
    const idleId = await device('tom', {}, tight);
    const up = await node.phone({ username: 'tina', password: 'pw-tina', behaviour: 'answer', realm });
    const idle = await node.phone({ username: 'tom', password: 'pw-tom', behaviour: 'answer', realm });
    const tightCcv = { 'Account-ID': tight };

    const first = node.publishOriginate({ 'Application-Name': 'park', Endpoints: [node.endpoint('tina', upId, { 'To-Realm': realm })], 'Outbound-Call-ID': `tina-${node.tag}`, 'Custom-Channel-Vars': tightCcv, Timeout: 10 });
    expect(await node.finalReply(first)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': `tina-${node.tag}` });
    expect(await node.infra.calls.limits.inUse(tight)).toBe(1);

    const refusedId = `tom-${node.tag}`;
    const second = node.publishOriginate({ 'Application-Name': 'park', Endpoints: [node.endpoint('tom', idleId, { 'To-Realm': realm })], 'Outbound-Call-ID': refusedId, 'Custom-Channel-Vars': tightCcv, Timeout: 10 });
    expect(await node.finalReply(second)).toMatchObject({ 'Event-Category': 'error', 'Error-Message': 'channel_limit_reached' });
    await waitFor(() => node.events.some((e) => e['Event-Name'] === 'originate_failed' && e['Call-ID'] === refusedId), { message: 'originate_failed', timeoutMs: 15_000 });
    expect(node.events.find((e) => e['Event-Name'] === 'originate_failed' && e['Call-ID'] === refusedId)).toMatchObject({ 'Error-Message': 'channel_limit_reached', 'Account-ID': tight });
    expect(node.eventNames(refusedId)).not.toContain('CHANNEL_CREATE');
    expect(receivedRequests(idle.messages(), 'INVITE')).toEqual([]);

    expect(await node.app.originate.engine.hangup(`tina-${node.tag}`)).toBe(true);
    await waitFor(() => receivedRequests(up.messages(), 'BYE').length > 0, { message: `BYE to tina\n${up.log}`, timeoutMs: 15_000 });
    await waitFor(async () => (await node.infra.calls.limits.inUse(tight)) === 0, { message: 'channel given back', timeoutMs: 15_000 });
  });
});
