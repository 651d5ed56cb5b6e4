import { waitFor } from '@legwork/common/testing';
import { freePort, header, LocalPushGateway, receivedRequests, SippCarrier, SippPhone, type CarrierBehaviour, type GatewayPush, type PhoneBehaviour } from '@legwork/originate/testing';
import { MediaNodeFixture } from './media-node.fixture';

jest.setTimeout(90_000);

const GATEWAY_SECRET = 'push-gateway-secret-0123';

/**
 * RFC 8599 wake-up end to end: devices with directory push settings and no registration; a local push gateway
 * that, when told to, starts a sipp phone REGISTERing with pn-provider/pn-prid/pn-param in its Contact.
 */
describe('push wake-up: a pushed device registers, is INVITEd and bridged', () => {
  let gateway: LocalPushGateway;
  let node: MediaNodeFixture;
  let accountId = '';
  const devices = new Map<string, string>();
  /** What the gateway does for a `call` push, per prid: start a phone REGISTERing to `registrar`, or nothing. */
  const wakeUp = new Map<string, { behaviour: PhoneBehaviour; registrar: () => string }>();
  const woken: SippPhone[] = [];

  const prid = (user: string): string => `prid-${user}-${node.tag}`;
  const params = (user: string): string => `;pn-provider=apns;pn-prid=${prid(user)};pn-param=TEAM123456.com.example.phone.voip`;

  async function pushDevice(user: string): Promise<string> {
    const id = (await node.infra.directory.devices.create(accountId, {
      name: user, device_type: 'mobile', sip: { username: user, password: `${user}-secret` },
      push: { provider: 'apns', prid: prid(user), param: 'TEAM123456.com.example.phone.voip' },
    })).id;
    devices.set(user, id);
    return id;
  }

  /** A carrier for one number (its own resource and sipp), answering and hanging up after a while. */
  async function carrierFor(number: string, behaviour: CarrierBehaviour = 'answer-bye', extra: { holdAfterMs?: number } = {}): Promise<SippCarrier> {
    const port = await freePort();
    await node.infra.directory.resources.create(accountId, { name: `carrier ${number}`, gateways: [{ server: `127.0.0.1:${port}` }], rules: [`^\\${number}$`] });
    return node.own(await SippCarrier.start({ behaviour, port, ...extra }));
  }

  const onPush = (push: GatewayPush): void => {
    const plan = push.kind === 'call' || push.kind === 'update' ? wakeUp.get(push.prid) : undefined;
    if (plan === undefined) return;
    const user = push.prid.split('-')[1] ?? '';
    void SippPhone.start({ username: user, password: `${user}-secret`, registrar: plan.registrar(), realm: node.realm, behaviour: plan.behaviour, contactParams: params(user) }).then((p) => {
      woken.push(p);
      node.own(p);
    });
  };

  const transfer = (user: string, callId: string, route: string, extra: Record<string, unknown> = {}) =>
    node.publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: route }, Endpoints: [node.endpoint(user, devices.get(user) ?? '')], 'Outbound-Call-ID': callId,
      'Outbound-Caller-ID-Name': 'Help Desk', 'Outbound-Caller-ID-Number': '5550100', 'Custom-Channel-Vars': { 'Account-ID': accountId }, Timeout: 20, ...extra,
    });

  beforeAll(async () => {
    gateway = await LocalPushGateway.start(GATEWAY_SECRET);
    gateway.onPush = onPush;
    node = new MediaNodeFixture('push', { PUSH_GATEWAY_URL: gateway.url, PUSH_GATEWAY_SECRET: GATEWAY_SECRET, PUSH_WAKE_TIMEOUT_SECONDS: '3' });
    await node.start();
    accountId = (await node.infra.directory.accounts.create({ name: `push-${node.tag}`, realm: node.realm, limits: { max_concurrent_channels: 10 } })).id;
  });

  afterAll(async () => {
    await node?.close();
    await gateway?.close();
  });

  it('PUSH_SENT, then the REGISTER, DEVICE_REGISTERED, the INVITE to the new binding, answered and bridged to the carrier; the CDR has the wake time', async () => {
    await pushDevice('mobile1');
    wakeUp.set(prid('mobile1'), { behaviour: 'answer', registrar: () => node.registrar() });
    const carrier = await carrierFor('+15551000001');
    const aLeg = `push-a-${node.tag}`;
    const req = transfer('mobile1', aLeg, '+15551000001');
    expect(await node.finalReply(req, 30_000)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': aLeg });
    await waitFor(() => node.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === aLeg), { message: () => `carrier bridged\n${carrier.log}`, timeoutMs: 15_000 });

    expect(gateway.pushesOf(aLeg, 'call')).toEqual([{ provider: 'apns', prid: prid('mobile1'), param: 'TEAM123456.com.example.phone.voip', kind: 'call', call_id: aLeg, caller_name: 'Help Desk', reason: null }]);
    const names = node.eventNames(aLeg);
    expect(names.slice(0, 5)).toEqual(['CHANNEL_CREATE', 'PUSH_SENT', 'DEVICE_REGISTERED', 'CHANNEL_PROGRESS', 'CHANNEL_ANSWER']);
    expect(node.event(aLeg, 'PUSH_SENT')).toMatchObject({ 'Push-Provider': 'apns', 'Push-PRID': prid('mobile1'), 'Push-Kind': 'call' });
    const phone = woken.find((p) => p.username === 'mobile1');
    const registered = node.event(aLeg, 'DEVICE_REGISTERED');
    expect(registered).toMatchObject({ 'Registrar-Node': node.config.NODE_ID, 'Push-PRID': prid('mobile1') });
    expect(String(registered?.['Contact'])).toContain(`@127.0.0.1:${phone?.port ?? 0}`);
    const invite = receivedRequests(phone?.messages() ?? '', 'INVITE')[0];
    expect(invite?.startLine).toMatch(new RegExp(`^INVITE sip:mobile1@127\\.0\\.0\\.1:${phone?.port ?? 0};`));
    expect(await carrier.exited).toBe(0);
    await node.waitEvent(aLeg, 'CHANNEL_DESTROY');
    const destroy = node.event(aLeg, 'CHANNEL_DESTROY');
    expect(destroy).toMatchObject({ 'Hangup-Cause': 'NORMAL_CLEARING', 'Push-Provider': 'apns' });
    expect(destroy?.['Push-Wake-Ms']).toBe(registered?.['Push-Wake-Ms']);
  });

  it('hold of a woken device whose binding lapsed mid-call: an update push first, its REGISTER, then the re-INVITE a=sendonly in the call\'s dialog', async () => {
    await pushDevice('mobile6');
    wakeUp.set(prid('mobile6'), { behaviour: 'answer', registrar: () => node.registrar() });
    await carrierFor('+15551000006', 'answer-mirror');
    const aLeg = `push-hold-${node.tag}`;
    expect(await node.finalReply(transfer('mobile6', aLeg, '+15551000006'), 30_000)).toMatchObject({ 'Application-Response': 'SUCCESS' });
    await waitFor(() => node.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === aLeg), { message: 'carrier bridged', timeoutMs: 15_000 });
    const inCall = woken.find((p) => p.username === 'mobile6');
    // the binding lapses (the app went to sleep): nothing left to reach the device through but a push
    await node.infra.calls.registrations.removeAll(`mobile6@${node.realm}`);
    expect(await node.command({ 'Application-Name': 'hold', 'Call-ID': aLeg }, 20_000)).toMatchObject({ Result: 'ok', 'Call-State': 'held' });
    expect(gateway.pushesOf(aLeg, 'update')).toEqual([expect.objectContaining({ kind: 'update', prid: prid('mobile6'), call_id: aLeg })]);
    const names = node.eventNames(aLeg);
    const sent = names.lastIndexOf('PUSH_SENT');
    expect(node.eventsOf(aLeg)[sent]).toMatchObject({ 'Push-Kind': 'update' });
    expect(names.slice(sent)).toEqual(['PUSH_SENT', 'DEVICE_REGISTERED', 'CHANNEL_HOLD']);
    const reinvite = receivedRequests(inCall?.messages() ?? '', 'INVITE').find((m) => m.body.includes('a=sendonly'));
    expect(reinvite?.headers['call-id']?.[0]).toBe(aLeg);
    expect(await node.app.originate.engine.hangup(aLeg)).toBe(true);
    await node.waitEvent(aLeg, 'CHANNEL_DESTROY');
  });

  it("the carrier's own hold toward a woken device whose binding lapsed: an update push first, its REGISTER, then the relayed re-INVITE a=sendonly", async () => {
    await pushDevice('mobile9');
    wakeUp.set(prid('mobile9'), { behaviour: 'answer', registrar: () => node.registrar() });
    // the carrier re-INVITEs sendonly 3 s after the call is set up, time enough for the binding to lapse first
    await carrierFor('+15551000009', 'answer-hold', { holdAfterMs: 3000 });
    const aLeg = `push-relay-${node.tag}`;
    expect(await node.finalReply(transfer('mobile9', aLeg, '+15551000009'), 30_000)).toMatchObject({ 'Application-Response': 'SUCCESS' });
    await waitFor(() => node.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === aLeg), { message: 'carrier bridged', timeoutMs: 15_000 });
    const inCall = woken.find((p) => p.username === 'mobile9');
    await node.infra.calls.registrations.removeAll(`mobile9@${node.realm}`);
    const relayedHold = () => receivedRequests(inCall?.messages() ?? '', 'INVITE').find((m) => m.body.includes('a=sendonly'));
    await waitFor(() => relayedHold() !== undefined, { message: () => `the relayed hold at the device\n${inCall?.log}`, timeoutMs: 20_000 });
    expect(relayedHold()?.headers['call-id']?.[0]).toBe(aLeg);
    expect(gateway.pushesOf(aLeg, 'update')).toEqual([expect.objectContaining({ kind: 'update', prid: prid('mobile9'), call_id: aLeg })]);
    await node.waitEvent(aLeg, 'CHANNEL_HOLD');
    const names = node.eventNames(aLeg);
    const sent = names.lastIndexOf('PUSH_SENT');
    expect(node.eventsOf(aLeg)[sent]).toMatchObject({ 'Push-Kind': 'update' });
    expect(names.slice(sent, sent + 3)).toEqual(['PUSH_SENT', 'DEVICE_REGISTERED', 'CHANNEL_HOLD']);
    expect(await node.app.originate.engine.hangup(aLeg)).toBe(true);
    await node.waitEvent(aLeg, 'CHANNEL_DESTROY');
  });

  it('hold of a lapsed device that does not register after the update push: failed with the reason, nothing sent in the dialog, the call goes on', async () => {
    await pushDevice('mobile7');
    wakeUp.set(prid('mobile7'), { behaviour: 'answer', registrar: () => node.registrar() });
    await carrierFor('+15551000007', 'answer-mirror');
    const aLeg = `push-nohold-${node.tag}`;
    expect(await node.finalReply(transfer('mobile7', aLeg, '+15551000007'), 30_000)).toMatchObject({ 'Application-Response': 'SUCCESS' });
    await waitFor(() => node.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === aLeg), { message: 'carrier bridged', timeoutMs: 15_000 });
    const inCall = woken.find((p) => p.username === 'mobile7');
    wakeUp.delete(prid('mobile7'));
    await node.infra.calls.registrations.removeAll(`mobile7@${node.realm}`);
    expect(await node.command({ 'Application-Name': 'hold', 'Call-ID': aLeg }, 20_000)).toMatchObject({ Result: 'failed', 'Result-Message': 'the apns device did not register within 3000 ms of the update push' });
    expect(receivedRequests(inCall?.messages() ?? '', 'INVITE').filter((m) => m.body.includes('a=sendonly'))).toEqual([]);
    expect(node.eventNames(aLeg)).not.toContain('CHANNEL_DESTROY');
    expect(await node.app.originate.engine.hangup(aLeg)).toBe(true);
    await node.waitEvent(aLeg, 'CHANNEL_DESTROY');
  });

  it('no REGISTER within PUSH_WAKE_TIMEOUT_SECONDS: the leg ends 480 NO_USER_RESPONSE, a cancel push goes out, and the requester is told', async () => {
    await pushDevice('sleeper');
    const aLeg = `push-sleep-${node.tag}`;
    const req = transfer('sleeper', aLeg, '+15551000002');
    const final = await node.finalReply(req, 30_000);
    expect(final).toMatchObject({ 'Event-Category': 'error', 'Error-Message': 'NO_USER_RESPONSE' });
    await node.waitEvent(aLeg, 'CHANNEL_DESTROY');
    expect(node.eventNames(aLeg)).toEqual(['CHANNEL_CREATE', 'PUSH_SENT', 'PUSH_SENT', 'CHANNEL_DESTROY']);
    expect(node.event(aLeg, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'NO_USER_RESPONSE', 'Hangup-Code': 'sip:480' });
    expect(node.eventsOf(aLeg).filter((e) => e['Event-Name'] === 'PUSH_SENT').map((e) => [e['Push-Kind'], e['Push-Reason']])).toEqual([['call', undefined], ['cancel', 'cancelled']]);
    expect(gateway.pushesOf(aLeg).map((p) => [p.kind, p.reason])).toEqual([['call', null], ['cancel', 'cancelled']]);
    expect(await node.infra.calls.limits.inUse(accountId)).toBe(0);
  });

  it('answered elsewhere while parked: the parked leg is cancelled (LOSE_RACE) with a cancel push saying answered_elsewhere', async () => {
    await pushDevice('second');
    const deskId = (await node.infra.directory.devices.create(accountId, { name: 'desk', sip: { username: 'desk', password: 'desk-secret' } })).id;
    await node.phone({ username: 'desk', password: 'desk-secret', behaviour: 'answer' });
    const carrier = await carrierFor('+15551000003');
    const callId = `push-race-${node.tag}`;
    const req = node.publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: '+15551000003' }, 'Custom-Channel-Vars': { 'Account-ID': accountId }, Timeout: 20,
      Endpoints: [node.endpoint('desk', deskId, { 'Outbound-Call-ID': `${callId}-desk` }), node.endpoint('second', devices.get('second') ?? '', { 'Outbound-Call-ID': `${callId}-mobile` })],
    });
    expect(await node.finalReply(req, 30_000)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': `${callId}-desk` });
    await node.waitEvent(`${callId}-mobile`, 'CHANNEL_DESTROY');
    expect(node.event(`${callId}-mobile`, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'LOSE_RACE' });
    expect(gateway.pushesOf(`${callId}-mobile`).map((p) => [p.kind, p.reason])).toEqual([['call', null], ['cancel', 'answered_elsewhere']]);
    expect(node.eventNames(`${callId}-mobile`)).toEqual(['CHANNEL_CREATE', 'PUSH_SENT', 'PUSH_SENT', 'CHANNEL_DESTROY']);
    expect(await carrier.exited).toBe(0);
  });

  it('cancelled after the INVITE went out (ring timeout): SIP CANCEL with a Reason, and a cancel push', async () => {
    await pushDevice('ringer');
    wakeUp.set(prid('ringer'), { behaviour: 'noanswer', registrar: () => node.registrar() });
    const aLeg = `push-ring-${node.tag}`;
    const req = transfer('ringer', aLeg, '+15551000004', { Timeout: 6 });
    expect(await node.finalReply(req, 30_000)).toMatchObject({ 'Event-Category': 'error', 'Error-Message': 'NO_ANSWER' });
    await node.waitEvent(aLeg, 'CHANNEL_DESTROY');
    const phone = woken.find((p) => p.username === 'ringer');
    await waitFor(() => receivedRequests(phone?.messages() ?? '', 'CANCEL').length > 0, { message: 'the CANCEL at the woken phone', timeoutMs: 10_000 });
    expect(header(receivedRequests(phone?.messages() ?? '', 'CANCEL')[0], 'Reason')).toBe('Q.850;cause=19;text="NO_ANSWER"');
    expect(gateway.pushesOf(aLeg).map((p) => [p.kind, p.reason])).toEqual([['call', null], ['cancel', 'cancelled']]);
    expect(node.eventNames(aLeg)).toEqual(['CHANNEL_CREATE', 'PUSH_SENT', 'DEVICE_REGISTERED', 'CHANNEL_PROGRESS', 'PUSH_SENT', 'CHANNEL_DESTROY']);
    expect(node.event(aLeg, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'NO_ANSWER', 'Push-Provider': 'apns' });
  });

  it('a push the gateway refuses: PUSH_FAILED with its answer, the leg fails without waiting', async () => {
    await pushDevice('refused');
    gateway.status = (push) => (push.prid === prid('refused') ? 410 : 202);
    const aLeg = `push-refused-${node.tag}`;
    const req = transfer('refused', aLeg, '+15551000005');
    expect(await node.finalReply(req, 30_000)).toMatchObject({ 'Event-Category': 'error', 'Error-Message': 'DESTINATION_OUT_OF_ORDER' });
    await node.waitEvent(aLeg, 'CHANNEL_DESTROY');
    expect(node.eventNames(aLeg)).toEqual(['CHANNEL_CREATE', 'PUSH_FAILED', 'CHANNEL_DESTROY']);
    expect(node.event(aLeg, 'PUSH_FAILED')).toMatchObject({ 'Push-Kind': 'call', 'Push-Status': 410, 'Push-Error': '{"error":"gateway says no"}' });
    gateway.status = () => 202;
  });
});
