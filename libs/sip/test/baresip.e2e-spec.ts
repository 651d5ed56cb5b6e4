import { waitFor } from '@legwork/common/testing';
import { freePort } from './sipp.test-helpers';
import { BaresipPeer } from './peers/baresip-peer';
import { SDP_OFFER, type ServerFixture, startServerWithDevice } from './sip-server.test-helpers';

jest.setTimeout(60_000);

const REALM = 'baresip.legwork.test';
const USER = 'bob200';
const PASSWORD = 'bob-secret-200';

describe('baresip softphone against the SIP server', () => {
  let fx: ServerFixture;
  const baresip = new BaresipPeer();

  beforeAll(async () => {
    fx = await startServerWithDevice({ realm: REALM, username: USER, password: PASSWORD, listen: { udpPort: 0 } });
    const listenPort = await freePort();
    // the AOR is in the account's realm; the REGISTER goes to our UDP port as the outbound proxy
    await baresip.start({ listenPort, account: `<sip:${USER}@${REALM};transport=udp>;outbound="sip:127.0.0.1:${fx.port('udp')};transport=udp";answermode=auto;regint=60;auth_pass=${PASSWORD}` });
  });

  afterAll(async () => {
    await baresip.stop();
    await fx?.close();
  });

  it('registers with digest auth (401 then 200) and the binding is stored with transport udp', async () => {
    const aor = `${USER}@${REALM}`;
    await waitFor(async () => (await fx.calls.registrations.list(aor)).length > 0, { message: `baresip to register\n${baresip.output}`, timeoutMs: 20_000 });
    expect(fx.registerStatuses.slice(0, 2)).toEqual([401, 200]);
    const [binding] = await fx.calls.registrations.list(aor);
    expect(binding).toMatchObject({ transport: 'udp', nodeId: 'e2e-node', source: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
  });

  it('is reached at its registered contact, auto-answers 200 with SDP, and the BYE completes', async () => {
    const [reachable] = await fx.server.contactsFor(`${USER}@${REALM}`);
    expect(reachable.target.protocol).toBe('udp');
    const call = fx.server.stack.invite({ uri: reachable.contact.uri, target: reachable.target, from: `<sip:legwork@${REALM}>`, to: `<sip:${USER}@${REALM}>`, body: SDP_OFFER });
    const outcome = await call.final;
    if (outcome.kind !== 'accepted') throw new Error(`call ${outcome.kind}: ${'response' in outcome ? outcome.response?.status : ''}\n${baresip.output}`);
    expect(outcome.response.status).toBe(200);
    expect(outcome.response.headers.get('content-type')).toBe('application/sdp');
    expect(outcome.response.body.toString()).toMatch(/m=audio \d+ RTP\/AVP (0|8)/);
    expect(outcome.dialog.state).toBe('confirmed');
    const bye = await outcome.dialog.bye();
    expect(bye.status).toBe(200);
    expect(fx.server.stack.stats().dialogs).toBe(0);
    expect(baresip.running).toBe(true);
  });
});
