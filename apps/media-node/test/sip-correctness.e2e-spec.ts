import { waitFor } from '@legwork/common/testing';
import { freePort, header, parseSippLog, receivedRequests, SippCarrier } from '@legwork/originate/testing';
import { MediaNodeFixture } from './media-node.fixture';

jest.setTimeout(60_000);

/** What a carrier or a phone sees on the wire from a media node (RabbitMQ, Redis, sipp). */
describe('media node SIP on the wire', () => {
  const node = new MediaNodeFixture('sipwire');
  let accountId = '';
  const devices = new Map<string, string>();

  async function device(username: string): Promise<string> {
    const id = (await node.infra.directory.devices.create(accountId, { name: username, sip: { username, password: `pw-${username}` } })).id;
    devices.set(username, id);
    return id;
  }

  function park(username: string, callId: string): void {
    node.publishOriginate({ 'Application-Name': 'park', Endpoints: [node.endpoint(username, devices.get(username) ?? '')], 'Outbound-Call-ID': callId, 'Custom-Channel-Vars': { 'Account-ID': accountId } });
  }

  beforeAll(async () => {
    await node.start();
    accountId = (await node.infra.directory.accounts.create({ name: `sipwire-${node.tag}`, realm: node.realm })).id;
  });

  afterAll(() => node.close());

  it('transfers to a carrier that requires 100rel: one PRACK, no 183 after it, the call bridges and ends cleanly', async () => {
    const carrierPort = await freePort();
    await node.infra.directory.resources.create(accountId, { name: '100rel carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1555\\d{7}$'] });
    const carrier = node.own(await SippCarrier.start({ behaviour: '100rel', port: carrierPort }));
    await device('reldesk');
    const phone = await node.phone({ username: 'reldesk', password: 'pw-reldesk', behaviour: 'answer', byeAfterMs: 2500 });
    const aCallId = `rel-${node.tag}`;
    node.publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: '+15557654321' }, Endpoints: [node.endpoint('reldesk', devices.get('reldesk') ?? '')],
      'Outbound-Call-ID': aCallId, 'Custom-Channel-Vars': { 'Account-ID': accountId },
    });
    await waitFor(() => node.events.filter((e) => e['Event-Name'] === 'CHANNEL_BRIDGE').length >= 2, { message: `both legs bridged\n${carrier.log}`, timeoutMs: 20_000 });
    const bCallId = String(node.events.find((e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Call-ID'] !== aCallId)?.['Call-ID']);
    await node.waitEvent(aCallId, 'CHANNEL_DESTROY', 20_000);
    await node.waitEvent(bCallId, 'CHANNEL_DESTROY', 20_000);
    const code = await carrier.exited;
    if (code !== 0) throw new Error(`the carrier scenario failed (${String(code)}):\n${carrier.log}`);
    const messages = parseSippLog(carrier.messages());
    const pracks = messages.filter((m) => m.direction === 'received' && m.startLine.startsWith('PRACK '));
    expect(pracks.map((p) => header(p, 'RAck'))).toEqual(['1 1 INVITE']);
    const prackAt = messages.indexOf(pracks[0]!);
    expect(messages.some((m, i) => i > prackAt && m.direction === 'sent' && m.startLine.startsWith('SIP/2.0 183 '))).toBe(false);
    expect(node.event(bCallId, 'CHANNEL_DESTROY')?.['Hangup-Cause']).toBe('NORMAL_CLEARING');
    expect(receivedRequests(phone.messages(), 'INVITE')).toHaveLength(2);
    expect(await node.infra.calls.limits.inUse(accountId)).toBe(0);
  });

  it('a TCP phone gets a Contact naming ;transport=tcp, and the call ends on its BYE over that connection', async () => {
    await device('tcpdesk');
    const phone = await node.phone({ username: 'tcpdesk', password: 'pw-tcpdesk', behaviour: 'answer', transport: 'tcp', byeAfterMs: 300 });
    const callId = `tcp-${node.tag}`;
    park('tcpdesk', callId);
    await node.waitEvent(callId, 'CHANNEL_DESTROY');
    const [invite] = receivedRequests(phone.messages(), 'INVITE');
    expect(header(invite, 'Contact')).toMatch(/^<sip:legwork@127\.0\.0\.1:\d+;transport=tcp>$/);
    expect(node.event(callId, 'CHANNEL_DESTROY')?.['Hangup-Cause']).toBe('NORMAL_CLEARING');
  });

  it('sends no URI headers, maddr or method from a registered Contact into the Request-URI', async () => {
    await device('hdrdesk');
    const phone = await node.phone({ username: 'hdrdesk', password: 'pw-hdrdesk', behaviour: 'answer', byeAfterMs: 300, contactParams: ';maddr=127.0.0.9;method=INVITE?Route=%3Csip:evil@127.0.0.9;lr%3E&Subject=pwned' });
    const [binding] = await node.infra.calls.registrations.list(`hdrdesk@${node.realm}`);
    expect(binding?.uri).toContain('?Route=');
    const callId = `hdr-${node.tag}`;
    park('hdrdesk', callId);
    await node.waitEvent(callId, 'CHANNEL_DESTROY');
    const [invite] = receivedRequests(phone.messages(), 'INVITE');
    expect(invite?.startLine).toBe(`INVITE sip:hdrdesk@127.0.0.1:${phone.port};transport=UDP SIP/2.0`);
    expect(invite?.headers['route']).toBeUndefined();
    expect(invite?.headers['subject']).toBeUndefined();
    await waitFor(() => node.eventNames(callId).includes('CHANNEL_DESTROY'), { message: 'the call to end', timeoutMs: 15_000 });
  });
});
