import { waitFor } from '@legwork/common/testing';
import { receivedRequests } from '@legwork/originate/testing';
import { MediaNodeFixture, type Msg } from './media-node.fixture';

jest.setTimeout(60_000);

/**
 * originate_req as a Kazoo tool drives ecallmgr, over raw amqplib: the park handshake (originate_ready →
 * originate_execute), Originate-Immediate, bridge to the endpoint in Application-Data, error replies with Call-ID
 * and Msg-ID, and a request without Account-ID whose account is the one owning its endpoints' To-Realm.
 */
describe('a Kazoo tool originating through a media node', () => {
  const node = new MediaNodeFixture('kztool');
  const devices = new Map<string, string>();
  let accountId = '';
  const retargetQueue = `${node.replyQueue}-after-execute`;
  const retargeted: Msg[] = [];

  const device = async (username: string): Promise<string> => {
    const id = (await node.infra.directory.devices.create(accountId, { name: username, sip: { username, password: `pw-${username}` } })).id;
    devices.set(username, id);
    return id;
  };
  const endpoint = (username: string): Msg => node.endpoint(username, devices.get(username) ?? '');
  const ccv = (): Msg => ({ 'Custom-Channel-Vars': { 'Account-ID': accountId } });
  const named = (req: Msg, name: string): Msg | undefined => node.repliesTo(req).find((r) => r['Event-Name'] === name);

  beforeAll(async () => {
    // this suite answers originate_ready itself
    node.autoExecute = false;
    await node.start();
    accountId = (await node.infra.directory.accounts.create({ name: `kztool-${node.tag}`, realm: node.realm, limits: { max_concurrent_channels: 10 } })).id;
    await node.ch.assertQueue(retargetQueue, { exclusive: true });
    await node.ch.bindQueue(retargetQueue, `${node.ns}.targeted`, retargetQueue);
    await node.ch.consume(retargetQueue, (m) => void retargeted.push(m === null ? {} : (JSON.parse(m.content.toString()) as Msg)), { noAck: true });
  });
  afterAll(() => node.close());

  it('park without Originate-Immediate: originate_uuid, originate_ready, and only on originate_execute does the phone ring; replies follow its Server-ID', async () => {
    await device('parkdesk');
    const phone = await node.phone({ username: 'parkdesk', password: 'pw-parkdesk', behaviour: 'answer' });
    const callId = `kz-park-${node.tag}`;
    const req = node.publishOriginate({ 'Application-Name': 'park', Endpoints: [endpoint('parkdesk')], 'Outbound-Call-ID': callId, ...ccv() });
    await waitFor(() => named(req, 'originate_ready') !== undefined, { message: 'originate_ready', timeoutMs: 15_000 });
    expect(node.repliesTo(req).map((r) => r['Event-Name'])).toEqual(['originate_uuid', 'originate_ready']);
    const ready = named(req, 'originate_ready') ?? {};
    expect(ready).toMatchObject({ 'Event-Category': 'dialplan', 'Call-ID': callId, 'Msg-ID': req['Msg-ID'], 'Control-Queue': `callctl.${node.config.NODE_ID}` });
    expect(String(ready['Server-ID'])).toMatch(/\S/);
    await new Promise((r) => setTimeout(r, 300));
    expect(receivedRequests(phone.messages(), 'INVITE')).toHaveLength(0);

    node.publishExecute(ready, { 'Server-ID': retargetQueue });
    await waitFor(() => retargeted.some((r) => r['Msg-ID'] === req['Msg-ID'] && r['Event-Name'] === 'originate_resp'), { message: `originate_resp at the execute's Server-ID\n${phone.log}`, timeoutMs: 15_000 });
    const afterExecute = retargeted.filter((r) => r['Msg-ID'] === req['Msg-ID']);
    expect(afterExecute.map((r) => r['Event-Name'])).toEqual(['originate_started', 'originate_resp']);
    expect(afterExecute[1]).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': callId });
    expect(receivedRequests(phone.messages(), 'INVITE')).toHaveLength(1);
    expect(await node.app.originate.engine.hangup(callId)).toBe(true);
    await node.waitEvent(callId, 'CHANNEL_DESTROY');
  });

  it('no originate_execute within 5 s: the error names the Call-ID and the request Msg-ID, and nothing rang', async () => {
    await device('waitdesk');
    const phone = await node.phone({ username: 'waitdesk', password: 'pw-waitdesk', behaviour: 'answer' });
    const callId = `kz-abandon-${node.tag}`;
    const req = node.publishOriginate({ 'Application-Name': 'park', Endpoints: [endpoint('waitdesk')], 'Outbound-Call-ID': callId, ...ccv() });
    const reply = await node.finalReply(req, 15_000);
    expect(reply).toMatchObject({ 'Event-Category': 'error', 'Error-Message': 'Failed to receive valid originate_execute in time', 'Call-ID': callId, 'Msg-ID': req['Msg-ID'] });
    expect(node.repliesTo(req).map((r) => r['Event-Name'])).toEqual(['originate_uuid', 'originate_ready', 'originate_resp']);
    expect(receivedRequests(phone.messages(), 'INVITE')).toHaveLength(0);
    // no channel ever existed; non-blocking callers learn of the failure from originate_failed
    // (the event is numbered in the store before it is published, so it may land after the reply)
    await node.waitEvent(callId, 'originate_failed');
    expect(node.eventNames(callId)).toEqual(['originate_failed']);
    expect(node.event(callId, 'originate_failed')).toMatchObject({ 'Error-Message': 'Failed to receive valid originate_execute in time' });
    expect(await node.infra.calls.limits.inUse(accountId)).toBe(0);
  });

  it('park with Originate-Immediate: true rings at once after originate_uuid, with no originate_ready', async () => {
    await device('nowdesk');
    const phone = await node.phone({ username: 'nowdesk', password: 'pw-nowdesk', behaviour: 'answer' });
    const callId = `kz-now-${node.tag}`;
    const req = node.publishOriginate({ 'Application-Name': 'park', 'Originate-Immediate': true, Endpoints: [endpoint('nowdesk')], 'Outbound-Call-ID': callId, ...ccv() });
    expect(await node.finalReply(req)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': callId });
    expect(node.repliesTo(req).map((r) => r['Event-Name'])).toEqual(['originate_uuid', 'originate_started', 'originate_resp']);
    expect(receivedRequests(phone.messages(), 'INVITE')).toHaveLength(1);
    expect(await node.app.originate.engine.hangup(callId)).toBe(true);
    await node.waitEvent(callId, 'CHANNEL_DESTROY');
  });

  it('bridge without Existing-Call-ID: the endpoint in Application-Data rings once the first answers, and the two are bridged', async () => {
    await device('caller1');
    await device('callee1');
    const caller = await node.phone({ username: 'caller1', password: 'pw-caller1', behaviour: 'answer' });
    const callee = await node.phone({ username: 'callee1', password: 'pw-callee1', behaviour: 'answer' });
    const callId = `kz-bridge-${node.tag}`;
    const req = node.publishOriginate({ 'Application-Name': 'bridge', 'Application-Data': endpoint('callee1'), Endpoints: [endpoint('caller1')], 'Outbound-Call-ID': callId, ...ccv() });
    expect(await node.finalReply(req)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': callId });
    await waitFor(() => node.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === callId), { message: `callee bridged\n${callee.log}`, timeoutMs: 15_000 });
    const other = String(node.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === callId)?.['Call-ID']);
    expect(node.event(callId, 'CHANNEL_BRIDGE')).toMatchObject({ 'Other-Leg-Call-ID': other });
    expect(receivedRequests(callee.messages(), 'INVITE')).toHaveLength(1);
    // the callee got the caller's offer (RFC 3725 flow IV)
    expect(receivedRequests(callee.messages(), 'INVITE')[0]?.body).toContain('o=phone ');
    expect(receivedRequests(caller.messages(), 'INVITE').length).toBeGreaterThanOrEqual(2);
    expect(await node.app.originate.engine.hangup(callId)).toBe(true);
    await node.waitEvent(other, 'CHANNEL_DESTROY');
  });

  it('an error reply carries the Call-ID of the leg and the Msg-ID of the request (a busy phone)', async () => {
    await device('busydesk');
    await node.phone({ username: 'busydesk', password: 'pw-busydesk', behaviour: 'busy' });
    const callId = `kz-busy-${node.tag}`;
    const req = node.publishOriginate({ 'Application-Name': 'park', 'Originate-Immediate': true, Endpoints: [endpoint('busydesk')], 'Outbound-Call-ID': callId, ...ccv() });
    expect(await node.finalReply(req)).toMatchObject({ 'Event-Category': 'error', 'Event-Name': 'originate_resp', 'Error-Message': 'USER_BUSY', 'Call-ID': callId, 'Msg-ID': req['Msg-ID'] });
  });

  it('an originate_req without Account-ID runs for the account owning its endpoints’ To-Realm; an unknown realm is refused naming it', async () => {
    await device('realmdesk');
    await node.phone({ username: 'realmdesk', password: 'pw-realmdesk', behaviour: 'answer' });
    const callId = `kz-realm-${node.tag}`;
    const req = node.publishOriginate({ 'Application-Name': 'park', 'Originate-Immediate': true, Endpoints: [endpoint('realmdesk')], 'Outbound-Call-ID': callId });
    expect(await node.finalReply(req)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': callId });
    await node.waitEvent(callId, 'CHANNEL_ANSWER');
    expect(node.event(callId, 'CHANNEL_CREATE')).toMatchObject({ 'Account-ID': accountId, 'Custom-Channel-Vars': expect.objectContaining({ 'Account-ID': accountId }) });
    expect(await node.app.originate.engine.hangup(callId)).toBe(true);
    await node.waitEvent(callId, 'CHANNEL_DESTROY');

    const stranger = node.publishOriginate({ 'Application-Name': 'park', 'Originate-Immediate': true, Endpoints: [{ ...endpoint('realmdesk'), 'To-Realm': `nowhere-${node.tag}.legwork.test` }] });
    const refused = await node.finalReply(stranger);
    expect(refused).toMatchObject({ 'Event-Category': 'error', 'Msg-ID': stranger['Msg-ID'] });
    expect(String(refused['Error-Message'])).toContain(`no account owns the To-Realm nowhere-${node.tag}.legwork.test`);
  });
});
