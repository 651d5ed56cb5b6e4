import { waitFor } from '@legwork/common/testing';
import { SipJsPeer } from './peers/sipjs-peer';
import { SDP_OFFER, type ServerFixture, startServerWithDevice } from './sip-server.test-helpers';

jest.setTimeout(60_000);

const REALM = 'webrtc.legwork.test';
const USER = 'web300';
const PASSWORD = 'web-secret-300';
const AOR = `${USER}@${REALM}`;
const ANSWER = ['v=0', 'o=sipjs 7 7 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 41000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n');

describe('sip.js over WebSocket against the SIP server', () => {
  let fx: ServerFixture;
  let peer: SipJsPeer | undefined;

  beforeAll(async () => {
    fx = await startServerWithDevice({ realm: REALM, username: USER, password: PASSWORD, listen: { wsPort: 0, udpPort: 0 } });
    peer = new SipJsPeer({ server: `ws://127.0.0.1:${fx.port('ws')}`, user: USER, realm: REALM, password: PASSWORD, answerSdp: ANSWER });
  });

  afterAll(async () => {
    peer?.kill();
    await fx?.close();
  });

  it('registers over WS (subprotocol sip) with digest auth; the binding keeps its flow', async () => {
    const p = peer!;
    await waitFor(() => p.has('registration', 'Registered'), { message: `sip.js to register\n${p.describe()}`, timeoutMs: 20_000 });
    expect(fx.registerStatuses.slice(0, 2)).toEqual([401, 200]);
    const [binding] = await fx.calls.registrations.list(AOR);
    expect(binding).toMatchObject({ transport: 'ws', nodeId: 'e2e-node', flowToken: expect.any(String) });
  });

  it('answers an INVITE routed over its own WebSocket connection with its SDP, then takes our BYE', async () => {
    const p = peer!;
    const [reachable] = await fx.server.contactsFor(AOR);
    expect(reachable.target).toMatchObject({ protocol: 'ws', flowId: reachable.contact.flowToken });
    // the Contact host is a .invalid name: only the flow can reach this client
    expect(reachable.contact.uri).toMatch(/\.invalid/);
    const outcome = await fx.server.stack.invite({ uri: reachable.contact.uri, target: reachable.target, from: `<sip:legwork@${REALM}>`, to: `<sip:${AOR}>`, body: SDP_OFFER }).final;
    if (outcome.kind !== 'accepted') throw new Error(`call ${outcome.kind}\n${p.describe()}`);
    expect(outcome.response.status).toBe(200);
    expect(outcome.response.body.toString()).toBe(ANSWER);
    // the peer's stdout and its WebSocket are separate pipes: wait for its report rather than assume order
    await waitFor(() => p.has('session', 'Established'), { message: `the session to be established\n${p.describe()}`, timeoutMs: 20_000 });
    expect(p.events.find((e) => e.event === 'remoteSdp')?.sdp).toBe(SDP_OFFER);
    expect((await outcome.dialog.bye()).status).toBe(200);
    await waitFor(() => p.has('session', 'Terminated'), { message: `the session to end\n${p.describe()}`, timeoutMs: 20_000 });
  });

  it('drops the WebSocket binding when the client dies without unregistering', async () => {
    expect(await fx.calls.registrations.list(AOR)).toHaveLength(1);
    peer!.kill();
    await waitFor(async () => (await fx.calls.registrations.list(AOR)).length === 0, { message: 'the binding to go', timeoutMs: 20_000 });
  });
});
