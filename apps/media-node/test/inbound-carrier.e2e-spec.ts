import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { controlQueueOf } from '@legwork/originate';
import { SippCarrierCall, freePort, header, parseSippLog, receivedRequests, sdpAudio, type CarrierCallOptions, type LoggedSipMessage, type SippPhone } from '@legwork/originate/testing';
import { MediaNodeFixture, type Msg } from './media-node.fixture';

jest.setTimeout(90_000);

const COMPLETED_ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';

/** Calls from carriers to DIDs, end to end: sipp carriers and phones on an in-process media node over RabbitMQ and Redis. */
describe('media node inbound calls from carriers', () => {
  const node = new MediaNodeFixture('inbound');
  let accountId = '';
  const carriers: SippCarrierCall[] = [];
  // DIDs are unique platform-wide: each run takes its own
  const did = (n: number): string => `+1555${String(parseInt(node.tag.slice(0, 4), 16) % 1000).padStart(3, '0')}${String(n).padStart(4, '0')}`;

  async function device(username: string, ownerId?: string, account = accountId): Promise<string> {
    return (await node.infra.directory.devices.create(account, { name: username, sip: { username, password: `pw-${username}` }, ...(ownerId !== undefined ? { owner_id: ownerId } : {}) })).id;
  }

  async function call(opts: Omit<CarrierCallOptions, 'target' | 'caller'> & { caller?: string }): Promise<SippCarrierCall> {
    const carrier = await SippCarrierCall.start({ caller: '+14155550123', ...opts, target: node.registrar() });
    carriers.push(carrier);
    return carrier;
  }

  /** The caller's leg: the one CHANNEL_CREATE with Call-Direction inbound naming this DID. */
  const callerLeg = (number: string): Msg | undefined => node.events.find((e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Call-Direction'] === 'inbound' && e['Callee-ID-Number'] === number);

  function command(body: Msg): Msg {
    const msg = { 'App-Name': 'kazoo-tool', 'App-Version': '4.3.0', 'Event-Category': 'call', 'Event-Name': 'command', 'Msg-ID': randomBytes(8).toString('hex'), 'Server-ID': node.replyQueue, ...body };
    node.ch.publish(`${node.ns}.callctl`, controlQueueOf(node.config.NODE_ID), Buffer.from(JSON.stringify(msg)), { contentType: 'application/json' });
    return msg;
  }

  const answerTo = (carrier: SippCarrierCall): LoggedSipMessage | undefined =>
    parseSippLog(carrier.messages()).find((m) => m.direction === 'received' && m.startLine.startsWith('SIP/2.0 200') && /INVITE/.test(m.headers['cseq']?.[0] ?? ''));

  /** Both phones got the INVITE with the caller's offer and id; the winner is bridged, the other CANCELled. */
  async function expectBridged(winner: SippPhone, loser: SippPhone, carrier: SippCarrierCall, number: string): Promise<{ callerId: string; winnerId: string }> {
    await waitFor(() => answerTo(carrier) !== undefined, { message: `200 to the carrier\n${carrier.messages()}`, timeoutMs: 20_000 });
    for (const phone of [winner, loser]) {
      const invite = receivedRequests(phone.messages(), 'INVITE')[0];
      expect(invite?.body).toContain('m=audio');
      expect(invite?.body).toContain('o=carrier');
      expect(header(invite, 'From')).toContain('+14155550123');
    }
    await waitFor(() => receivedRequests(loser.messages(), 'CANCEL').length > 0, { message: `CANCEL to ${loser.username}\n${loser.log}`, timeoutMs: 15_000 });
    expect(header(receivedRequests(loser.messages(), 'CANCEL')[0], 'Reason')).toBe(COMPLETED_ELSEWHERE);
    expect(receivedRequests(winner.messages(), 'CANCEL')).toEqual([]);

    const created = callerLeg(number);
    expect(created).toMatchObject({ 'Call-Direction': 'inbound', 'Account-ID': accountId, 'Caller-ID-Number': '+14155550123', 'Callee-ID-Number': number });
    const callerId = String(created?.['Call-ID']);
    const winnerId = String(header(receivedRequests(winner.messages(), 'INVITE')[0], 'Call-ID'));
    await node.waitEvent(callerId, 'CHANNEL_BRIDGE');
    await node.waitEvent(winnerId, 'CHANNEL_BRIDGE');
    expect(node.event(callerId, 'CHANNEL_BRIDGE')).toMatchObject({ 'Other-Leg-Call-ID': winnerId, 'Call-Direction': 'inbound' });
    expect(node.event(winnerId, 'CHANNEL_BRIDGE')).toMatchObject({ 'Other-Leg-Call-ID': callerId, 'Call-Direction': 'outbound', 'Account-ID': accountId });
    expect(node.eventNames(callerId)).toEqual(expect.arrayContaining(['CHANNEL_CREATE', 'CHANNEL_PROGRESS', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE']));
    // the carrier's 200 carries the winner's answer (bypass: the endpoints' own SDP)
    expect(answerTo(carrier)?.body).toContain('o=phone');
    return { callerId, winnerId };
  }

  beforeAll(async () => {
    await node.start();
    accountId = (await node.infra.directory.accounts.create({ name: `inbound-${node.tag}`, realm: node.realm, country: 'US', limits: { max_concurrent_channels: 10 } })).id;
    await node.infra.directory.resources.create(accountId, { name: 'carrier', gateways: [{ server: '127.0.0.1:5999' }], inbound: { enabled: true, sources: ['127.0.0.1/32'] } });
  });

  afterAll(async () => {
    for (const c of carriers) await c.stop().catch(() => undefined);
    await node.close();
  });

  it("carrier → a user's DID: the user's two devices ring, one answers and is bridged, the other is CANCELled; call_command hangup ends both sides", async () => {
    const number = did(1);
    const user = await node.infra.directory.users.create(accountId, { first_name: 'Ina', last_name: 'Bound', dids: [number] });
    await device('ina1', user.id);
    await device('ina2', user.id);
    const [ringing, answering] = await Promise.all([
      node.phone({ username: 'ina1', password: 'pw-ina1', behaviour: 'noanswer' }),
      node.phone({ username: 'ina2', password: 'pw-ina2', behaviour: 'answer', answerDelayMs: 400 }),
    ]);
    const carrier = await call({ from: '127.0.0.1', did: number, expect: 200 });
    const { callerId, winnerId } = await expectBridged(answering, ringing, carrier, number);
    expect(node.event(callerId, 'CHANNEL_CREATE')).toMatchObject({ 'Custom-Channel-Vars': expect.objectContaining({ 'Owner-ID': user.id }) });
    expect(await node.infra.calls.limits.inUse(accountId)).toBe(2);

    const hangup = command({ 'Application-Name': 'hangup', 'Call-ID': callerId, 'Hangup-Cause': 'NORMAL_CLEARING' });
    await waitFor(() => node.replies.some((r) => r['Msg-ID'] === hangup['Msg-ID']), { message: 'call_command_result', timeoutMs: 15_000 });
    expect(node.replies.find((r) => r['Msg-ID'] === hangup['Msg-ID'])).toMatchObject({ Result: 'ok', 'Call-ID': callerId });
    expect(await carrier.exited).toMatchObject({ code: 0 });
    await waitFor(() => receivedRequests(answering.messages(), 'BYE').length > 0, { message: `BYE to ina2\n${answering.log}`, timeoutMs: 15_000 });
    await node.waitEvent(callerId, 'CHANNEL_DESTROY');
    await node.waitEvent(winnerId, 'CHANNEL_DESTROY');
    expect(node.event(callerId, 'CHANNEL_DESTROY')).toMatchObject({ 'Call-Direction': 'inbound', 'Hangup-Cause': 'NORMAL_CLEARING' });
    await waitFor(async () => (await node.infra.calls.limits.inUse(accountId)) === 0, { message: 'channels given back', timeoutMs: 15_000 });
    // the caller's leg and both devices' legs are one call: one Event-Sequence 1…N, one CHANNEL_DESTROY per leg
    const ofCall = (): Msg[] => node.events.filter((e) => e['Origination-Call-ID'] === callerId);
    const legs = (): unknown[] => [...new Set(ofCall().map((e) => e['Call-ID']))];
    await waitFor(() => legs().length === 3 && ofCall().filter((e) => e['Event-Name'] === 'CHANNEL_DESTROY').length === 3, { message: 'three legs destroyed', timeoutMs: 15_000 });
    expect(legs()).toEqual(expect.arrayContaining([callerId, winnerId]));
    expect(ofCall().map((e) => Number(e['Event-Sequence'])).sort((x, y) => x - y)).toEqual(ofCall().map((_, i) => i + 1));
    for (const leg of legs()) expect(ofCall().filter((e) => e['Call-ID'] === leg && e['Event-Name'] === 'CHANNEL_DESTROY')).toHaveLength(1);
  });

  it("late offer: an INVITE without SDP rings the devices offerless; the answering phone's offer is in the carrier's 200 and the carrier's ACK answer in the phone's ACK", async () => {
    const number = did(10);
    const user = await node.infra.directory.users.create(accountId, { first_name: 'La', last_name: 'Te', dids: [number] });
    await device('late1', user.id);
    await device('late2', user.id);
    const [phoneSdp, carrierSdp] = [{ ip: '127.0.0.1', port: await freePort() }, { ip: '127.0.0.1', port: await freePort() }];
    const [answering, ringing] = await Promise.all([
      node.phone({ username: 'late1', password: 'pw-late1', behaviour: 'answer', answerDelayMs: 400, sdp: phoneSdp }),
      node.phone({ username: 'late2', password: 'pw-late2', behaviour: 'noanswer' }),
    ]);
    const carrier = await call({ from: '127.0.0.1', did: number, expect: 200, lateOffer: true, sdp: carrierSdp });
    await waitFor(() => answerTo(carrier) !== undefined, { message: `200 to the carrier\n${carrier.messages()}`, timeoutMs: 20_000 });
    expect(parseSippLog(carrier.messages()).find((m) => m.direction === 'sent' && m.startLine.startsWith('INVITE'))?.body).toBe('');
    for (const phone of [answering, ringing]) expect(receivedRequests(phone.messages(), 'INVITE')[0]?.body).toBe('');
    // the 200 offers what the phone offered (bypass: its own SDP)
    expect(answerTo(carrier)?.body).toMatch(/^o=phone /m);
    expect(sdpAudio(answerTo(carrier)?.body ?? '')).toEqual({ address: phoneSdp.ip, port: phoneSdp.port });
    await waitFor(() => receivedRequests(answering.messages(), 'ACK').some((m) => m.body !== ''), { message: `ACK with the answer at the phone\n${answering.log}`, timeoutMs: 15_000 });
    const ack = receivedRequests(answering.messages(), 'ACK').find((m) => m.body !== '');
    expect(ack?.body).toMatch(/^o=carrier /m);
    expect(sdpAudio(ack?.body ?? '')).toEqual({ address: carrierSdp.ip, port: carrierSdp.port });
    expect(header(ack, 'Content-Type')).toBe('application/sdp');
    await waitFor(() => receivedRequests(ringing.messages(), 'CANCEL').length > 0, { message: `CANCEL to late2\n${ringing.log}`, timeoutMs: 15_000 });

    const callerId = String(callerLeg(number)?.['Call-ID']);
    const winnerId = String(header(receivedRequests(answering.messages(), 'INVITE')[0], 'Call-ID'));
    await node.waitEvent(callerId, 'CHANNEL_BRIDGE');
    await node.waitEvent(winnerId, 'CHANNEL_BRIDGE');
    expect(node.event(callerId, 'CHANNEL_BRIDGE')).toMatchObject({ 'Other-Leg-Call-ID': winnerId, 'Call-Direction': 'inbound' });
    expect(await node.app.originate.engine.hangup(callerId)).toBe(true);
    expect(await carrier.exited).toMatchObject({ code: 0 });
    await waitFor(() => receivedRequests(answering.messages(), 'BYE').length > 0, { message: `BYE to late1\n${answering.log}`, timeoutMs: 15_000 });
    await node.waitEvent(winnerId, 'CHANNEL_DESTROY');
    await waitFor(async () => (await node.infra.calls.limits.inUse(accountId)) === 0, { message: 'channels given back', timeoutMs: 15_000 });
  });

  it("carrier → a group's DID: the members' devices ring at once, the one that answers is bridged, the carrier hangs up with BYE", async () => {
    const number = did(2);
    const member = await node.infra.directory.users.create(accountId, { first_name: 'Gro', last_name: 'Up' });
    const userDevice = await device('grp1', member.id);
    const bare = await device('grp2');
    await node.infra.directory.groups.create(accountId, { name: `sales-${node.tag}`, dids: [number], endpoints: { [member.id]: { type: 'user' }, [bare]: { type: 'device' } } });
    expect(userDevice).toMatch(/\S/);
    const [answering, ringing] = await Promise.all([
      node.phone({ username: 'grp1', password: 'pw-grp1', behaviour: 'answer', answerDelayMs: 400 }),
      node.phone({ username: 'grp2', password: 'pw-grp2', behaviour: 'noanswer' }),
    ]);
    const carrier = await call({ from: '127.0.0.1', did: number, expect: 200 });
    const { callerId, winnerId } = await expectBridged(answering, ringing, carrier, number);
    expect(await node.app.originate.engine.hangup(winnerId)).toBe(true);
    expect(await carrier.exited).toMatchObject({ code: 0 });
    await node.waitEvent(callerId, 'CHANNEL_DESTROY');
  });

  it("the carrier CANCELs while the devices ring: both get CANCEL, the carrier 487, every leg ends and gives its channel back", async () => {
    const number = did(7);
    const user = await node.infra.directory.users.create(accountId, { first_name: 'Can', last_name: 'Cel', dids: [number] });
    await device('can1', user.id);
    await device('can2', user.id);
    const phones = await Promise.all(['can1', 'can2'].map((n) => node.phone({ username: n, password: `pw-${n}`, behaviour: 'noanswer' })));
    const carrier = await call({ from: '127.0.0.1', did: number, expect: 487 });
    expect(await carrier.exited).toMatchObject({ code: 0 });
    for (const phone of phones) await waitFor(() => receivedRequests(phone.messages(), 'CANCEL').length > 0, { message: `CANCEL to ${phone.username}\n${phone.log}`, timeoutMs: 15_000 });
    const callerId = String(callerLeg(number)?.['Call-ID']);
    await node.waitEvent(callerId, 'CHANNEL_DESTROY');
    expect(node.event(callerId, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'ORIGINATOR_CANCEL', 'Call-Direction': 'inbound' });
    expect(node.eventNames(callerId)).not.toContain('CHANNEL_ANSWER');
    await waitFor(async () => (await node.infra.calls.limits.inUse(accountId)) === 0, { message: 'channels given back', timeoutMs: 15_000 });
  });

  it("channel limits count the caller's leg: an account at its limit refuses the call 503 and nothing rings", async () => {
    const realm = `tight-${node.tag}.legwork.test`;
    const tight = (await node.infra.directory.accounts.create({ name: `tight-${node.tag}`, realm, limits: { max_concurrent_channels: 1 } })).id;
    await node.infra.directory.resources.create(tight, { name: 'carrier', gateways: [{ server: '127.0.0.1:5997' }], inbound: { enabled: true, sources: ['127.0.0.4'] } });
    const number = did(8);
    const user = await node.infra.directory.users.create(tight, { first_name: 'Ti', last_name: 'Ght', dids: [number] });
    await device('tig1', user.id, tight);
    const phone = await node.phone({ username: 'tig1', password: 'pw-tig1', behaviour: 'answer', realm });
    const carrier = await call({ from: '127.0.0.4', did: number, expect: 503 });
    expect(await carrier.exited).toMatchObject({ code: 0 });
    expect(receivedRequests(phone.messages(), 'INVITE')).toEqual([]);
    const callerId = String(callerLeg(number)?.['Call-ID']);
    await node.waitEvent(callerId, 'CHANNEL_DESTROY');
    expect(node.event(callerId, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'channel_limit_reached', 'Account-ID': tight });
    await waitFor(async () => (await node.infra.calls.limits.inUse(tight)) === 0, { message: 'channel given back', timeoutMs: 15_000 });
  });

  it("a DID whose owner has no reachable device: the carrier gets 480 and the caller's leg ends DESTINATION_OUT_OF_ORDER", async () => {
    const number = did(9);
    const user = await node.infra.directory.users.create(accountId, { first_name: 'Off', last_name: 'Line', dids: [number] });
    await device('off1', user.id);
    const carrier = await call({ from: '127.0.0.1', did: number, expect: 480 });
    expect(await carrier.exited).toMatchObject({ code: 0 });
    const callerId = String(callerLeg(number)?.['Call-ID']);
    await node.waitEvent(callerId, 'CHANNEL_DESTROY');
    expect(node.event(callerId, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'DESTINATION_OUT_OF_ORDER', 'Hangup-Code': 'sip:480', 'Call-Direction': 'inbound' });
    await waitFor(async () => (await node.infra.calls.limits.inUse(accountId)) === 0, { message: 'channel given back', timeoutMs: 15_000 });
  });

  it('a resource asking inbound.media process of a node without rtpengine: the carrier gets 503 and nothing rings (never bypassed)', async () => {
    await node.infra.directory.resources.create(accountId, { name: 'anchored', gateways: [{ server: '127.0.0.1:5996' }], inbound: { enabled: true, sources: ['127.0.0.5'], media: 'process' } });
    const number = did(11);
    const user = await node.infra.directory.users.create(accountId, { first_name: 'No', last_name: 'Engine', dids: [number] });
    await device('noeng1', user.id);
    const phone = await node.phone({ username: 'noeng1', password: 'pw-noeng1', behaviour: 'answer' });
    const before = node.events.length;
    const carrier = await call({ from: '127.0.0.5', did: number, expect: 503 });
    expect(await carrier.exited).toMatchObject({ code: 0 });
    expect(parseSippLog(carrier.messages()).find((m) => m.direction === 'received' && m.startLine.startsWith('SIP/2.0 503'))?.startLine).toBe('SIP/2.0 503 Media Server Unavailable');
    expect(receivedRequests(phone.messages(), 'INVITE')).toEqual([]);
    expect(node.events.slice(before).filter((e) => e['Event-Name'] === 'CHANNEL_CREATE')).toEqual([]);
  });

  it('the same INVITE from an unknown source is refused 403 and nothing rings', async () => {
    const number = did(3);
    const user = await node.infra.directory.users.create(accountId, { first_name: 'Tol', last_name: 'Fraud', dids: [number] });
    await device('tol1', user.id);
    const phone = await node.phone({ username: 'tol1', password: 'pw-tol1', behaviour: 'answer' });
    const before = node.events.length;
    const carrier = await call({ from: '127.0.0.2', did: number, expect: 403 });
    expect(await carrier.exited).toMatchObject({ code: 0 });
    expect(receivedRequests(phone.messages(), 'INVITE')).toEqual([]);
    expect(node.events.slice(before).filter((e) => e['Event-Name'] === 'CHANNEL_CREATE')).toEqual([]);
    expect(await node.infra.calls.limits.inUse(accountId)).toBe(0);
  });

  it('a known carrier dialling a number nobody owns gets 404, in E.164 and national form alike', async () => {
    const unowned = await call({ from: '127.0.0.1', did: did(4), expect: 404 });
    expect(await unowned.exited).toMatchObject({ code: 0 });
    const national = await call({ from: '127.0.0.1', did: did(5).slice(2), expect: 404 });
    expect(await national.exited).toMatchObject({ code: 0 });
    expect(callerLeg(did(4))).toBeUndefined();
  });

  it('a carrier without a listed source authenticates by digest (407 challenge); a wrong password is refused 403', async () => {
    const realm = `digest-${node.tag}.legwork.test`;
    const account = (await node.infra.directory.accounts.create({ name: `digest-${node.tag}`, realm })).id;
    await node.infra.directory.resources.create(account, { name: 'pbx trunk', gateways: [{ server: '127.0.0.1:5998' }], inbound: { enabled: true, credentials: { username: `trunk-${node.tag}`, password: 'trunk-secret' } } });
    const number = did(6);
    const user = await node.infra.directory.users.create(account, { first_name: 'Di', last_name: 'Gest', dids: [number] });
    await device('dig1', user.id, account);
    await device('dig2', user.id, account);
    const [answering, ringing] = await Promise.all([
      node.phone({ username: 'dig1', password: 'pw-dig1', behaviour: 'answer', answerDelayMs: 400, realm }),
      node.phone({ username: 'dig2', password: 'pw-dig2', behaviour: 'noanswer', realm }),
    ]);

    const wrong = await call({ from: '127.0.0.3', did: number, expect: 403, auth: { username: `trunk-${node.tag}`, password: 'guess' } });
    expect(await wrong.exited).toMatchObject({ code: 0 });
    const challenge = parseSippLog(wrong.messages()).find((m) => m.direction === 'received' && m.startLine.startsWith('SIP/2.0 407'));
    expect(challenge?.headers['proxy-authenticate']?.[0]).toContain(`realm="${realm}"`);
    const retried = parseSippLog(wrong.messages()).filter((m) => m.direction === 'sent' && m.startLine.startsWith('INVITE'))[1];
    expect(retried?.headers['proxy-authorization']?.[0]).toContain(`username="trunk-${node.tag}"`);
    expect(receivedRequests(answering.messages(), 'INVITE')).toEqual([]);

    const carrier = await call({ from: '127.0.0.3', did: number, expect: 200, auth: { username: `trunk-${node.tag}`, password: 'trunk-secret' } });
    accountId = account;
    const { callerId } = await expectBridged(answering, ringing, carrier, number);
    expect(await node.app.originate.engine.hangup(callerId)).toBe(true);
    expect(await carrier.exited).toMatchObject({ code: 0 });
  });
});
