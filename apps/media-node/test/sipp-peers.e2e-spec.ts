import { type CallStore, createCallStore } from '@legwork/call-state';
import { createDirectory, type Directory } from '@legwork/directory';
import { createSipServer, type SipServer, type SipTarget } from '@legwork/sip';
import { header, receivedRequests, sdpAudio, type PhoneBehaviour, SippCarrier, SippPhone } from '@legwork/originate/testing';

jest.setTimeout(20_000);

const REALM = 'peers.legwork.test';
const SDP = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');

/** The sipp peers the end-to-end suites rely on, checked against a bare SIP server (in-process stores). */
describe('sipp peers', () => {
  let directory: Directory;
  let calls: CallStore;
  let server: SipServer;
  let accountId: string;
  const peers: Array<SippPhone | SippCarrier> = [];
  let seq = 0;

  const registrar = (protocol: 'udp' | 'tcp' = 'udp'): string => {
    const listener = server.listening().find((l) => l.protocol === protocol);
    if (listener === undefined) throw new Error(`no ${protocol} listener`);
    return `${listener.address}:${listener.port}`;
  };

  async function phone(behaviour: PhoneBehaviour, extra: { byeAfterMs?: number; sdp?: { ip: string; port: number }; contactParams?: string; transport?: 'tcp' } = {}): Promise<{ phone: SippPhone; aor: string }> {
    seq += 1;
    const username = `phone${seq}`;
    await directory.devices.create(accountId, { name: username, sip: { username, password: `pw-${username}` } });
    const p = await SippPhone.start({ username, password: `pw-${username}`, registrar: registrar(extra.transport), realm: REALM, behaviour, ...extra });
    peers.push(p);
    await p.waitRegistered();
    return { phone: p, aor: `${username}@${REALM}` };
  }

  async function call(aor: string, body?: string) {
    const [binding] = await server.contactsFor(aor);
    if (binding === undefined) throw new Error(`${aor} not registered`);
    return server.stack.invite({ uri: binding.contact.uri, target: binding.target, from: `<sip:legwork@${REALM}>`, to: `<sip:${aor}>`, ...(body !== undefined ? { body, contentType: 'application/sdp' } : {}) });
  }

  beforeAll(async () => {
    directory = createDirectory();
    calls = createCallStore();
    accountId = (await directory.accounts.create({ name: 'peers', realm: REALM })).id;
    server = await createSipServer({ directory, calls, nodeId: 'node-peers', secret: 'peers-secret-0123456789', udpPort: 0, tcpPort: 0, host: '127.0.0.1', registrar: { algorithms: ['MD5'] } });
  });

  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.stop()));
  });

  afterAll(async () => {
    await server.close();
    await calls.close();
    await directory.close();
  });

  it('registers with digest (401 then 200) and answers an INVITE with SDP, then takes our BYE', async () => {
    const { phone: p, aor } = await phone('answer');
    const [binding] = await calls.registrations.list(aor);
    expect(binding?.uri).toContain(`sip:${p.username}@127.0.0.1:${p.port}`);
    expect(p.messages()).toMatch(/SIP\/2\.0 401/);
    const outcome = await (await call(aor, SDP)).final;
    if (outcome.kind !== 'accepted') throw new Error(`call ${outcome.kind}`);
    expect(outcome.response.body.toString()).toContain('m=audio');
    expect((await outcome.dialog.bye()).status).toBe(200);
  });

  it('answers an offerless INVITE with an offer and a re-INVITE with SDP; the SDP can point at a given address', async () => {
    const { aor } = await phone('answer', { sdp: { ip: '127.0.0.1', port: 41234 } });
    const outcome = await (await call(aor)).final;
    if (outcome.kind !== 'accepted') throw new Error(`call ${outcome.kind}`);
    expect(sdpAudio(outcome.response.body.toString())).toEqual({ address: '127.0.0.1', port: 41234 });
    const re = await outcome.dialog.reinvite({ body: SDP });
    expect(re.status).toBe(200);
    expect(re.body.toString()).toContain('m=audio 41234 ');
    expect((await outcome.dialog.bye()).status).toBe(200);
  });

  it('registers over TCP with RFC 8599 push parameters in its Contact', async () => {
    const { aor } = await phone('answer', { transport: 'tcp', contactParams: ';pn-provider=apns;pn-prid=abc123' });
    const [binding] = await calls.registrations.list(aor);
    expect(binding).toMatchObject({ pushProvider: 'apns', pushPrid: 'abc123' });
    expect(binding?.uri).toMatch(/;transport=tcp;/i);
  });

  it('hangs up by itself when told to', async () => {
    const { aor } = await phone('answer', { byeAfterMs: 200 });
    const outcome = await (await call(aor, SDP)).final;
    if (outcome.kind !== 'accepted') throw new Error(`call ${outcome.kind}`);
    const reason = await new Promise<string>((resolve) => outcome.dialog.onTerminated((r) => resolve(r)));
    expect(reason).toBe('bye_received');
  });

  it.each([
    ['busy', 486],
    ['reject', 603],
  ] as const)('%s phone refuses with %i', async (behaviour, status) => {
    const { aor } = await phone(behaviour);
    const outcome = await (await call(aor, SDP)).final;
    expect(outcome.kind === 'rejected' && outcome.response.status).toBe(status);
  });

  it('rings without answering until CANCELled (487), and logs the CANCEL with its Reason', async () => {
    const { phone: p, aor } = await phone('noanswer');
    const invite = await call(aor, SDP);
    const ringing = new Promise<number>((resolve) => invite.onProvisional((r) => r.status === 180 && resolve(r.status)));
    expect(await ringing).toBe(180);
    invite.cancel('SIP;cause=200;text="Call completed elsewhere"');
    expect((await invite.final).kind).toBe('cancelled');
    expect(header(receivedRequests(p.messages(), 'CANCEL')[0], 'Reason')).toBe('SIP;cause=200;text="Call completed elsewhere"');
  });

  it('a carrier answers and records the INVITE; another refuses with 503', async () => {
    const carrier = await SippCarrier.start({ behaviour: 'answer' });
    peers.push(carrier);
    const target: SipTarget = { protocol: 'udp', host: '127.0.0.1', port: carrier.port };
    const outcome = await server.stack.invite({ uri: `sip:+14155551234@127.0.0.1:${carrier.port}`, target, from: `"Alice" <sip:1001@${REALM}>`, to: '<sip:+14155551234@127.0.0.1>', headers: [['X-Account', 'acme']], body: SDP, contentType: 'application/sdp' }).final;
    if (outcome.kind !== 'accepted') throw new Error(`call ${outcome.kind}`);
    expect((await outcome.dialog.bye()).status).toBe(200);
    const [seen] = receivedRequests(carrier.messages(), 'INVITE');
    expect(seen?.startLine).toBe(`INVITE sip:+14155551234@127.0.0.1:${carrier.port} SIP/2.0`);
    expect(header(seen, 'From')).toContain('"Alice" <sip:1001@');
    expect(seen?.headers['x-account']).toEqual(['acme']);
    expect(seen?.body).toContain('m=audio 40000 RTP/AVP 0');

    const down = await SippCarrier.start({ behaviour: '503' });
    peers.push(down);
    const refused = await server.stack.invite({ uri: `sip:1@127.0.0.1:${down.port}`, target: { protocol: 'udp', host: '127.0.0.1', port: down.port }, from: `<sip:1001@${REALM}>`, to: '<sip:1@127.0.0.1>', body: SDP, contentType: 'application/sdp' }).final;
    expect(refused.kind === 'rejected' && refused.response.status).toBe(503);
  });
});
