import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { mediaSummary } from '@legwork/sip';
import { RtpProbe, SippCarrierCall, SippPhone, parseSippLog, receivedRequests } from '@legwork/originate/testing';
import { ConsoleBrowser, WEBRTC_ARGS } from './console-browser';
import { Rest, dataOf, startLegwork, type RunningPlatform } from './kazoo-platform.fixture';

// The browser, rtpengine, sipp and the platform share two cores: every wait is generous and none measures speed.
jest.setTimeout(120_000);

const tag = randomBytes(3).toString('hex');
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;
// DIDs are unique platform-wide: this run's own
const DID = `+1555${String(parseInt(tag, 16) % 1000).padStart(3, '0')}0077`;
const REALM = 'legwork.local';

describe('softphone in the console as the called party: a quickcall from a sipp phone and a carrier call to a DID ring the browser, which answers over WebRTC while the other side stays plain RTP', () => {
  let platform: RunningPlatform;
  let browser: ConsoleBrowser;
  let admin: Rest;
  let masterId = '';
  let browserDevice = '';
  const cleanup: Array<() => Promise<unknown>> = [];

  const page = () => browser.page;
  const explain = (err: unknown): Error => new Error(`${String(err)}\nbrowser:\n${browser.problems.join('\n')}\nplatform:\n${platform.proc.stdout.slice(-4000)}`);
  // no dash: quickcall strips Kazoo's number_filter characters from the number it dials
  const web = `web${tag}`;

  /** A registered sipp phone as a device of the master account, its SDP naming an RtpProbe; `byeAfterMs`: it hangs up itself. */
  const deskPhone = async (name: string, byeAfterMs?: number): Promise<{ id: string; phone: SippPhone; media: RtpProbe }> => {
    const media = await RtpProbe.create();
    const id = String((await admin.create(`/v2/accounts/${masterId}/devices`, { name, sip: { username: name, password: 'desk-pw' }, caller_id: { internal: { name: `Desk ${tag}`, number: '2001' }, external: { name: `Desk ${tag}`, number: '2001' } } }))['id']);
    const phone = await SippPhone.start({ username: name, password: 'desk-pw', realm: REALM, registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'answer', sdp: { ip: '127.0.0.1', port: media.port }, ...(byeAfterMs !== undefined ? { byeAfterMs } : {}) });
    cleanup.push(() => phone.stop(), () => media.close());
    await phone.waitRegistered();
    return { id, phone, media };
  };

  /** The softphone rings with `from` shown; the test answers in the page and the call is established. */
  const answerInPage = async (from: RegExp, peer: { messages(): string }): Promise<string> => {
    const ringing = page().locator('aside.phone[data-call=ringing] .phone-call');
    await ringing.waitFor({ timeout: 40_000 }).catch((err: unknown) => {
      throw explain(`${String(err)}\nthe other party's SIP:\n${peer.messages().slice(-6000)}`);
    });
    expect(await ringing.textContent()).toMatch(from);
    const callId = String(await ringing.getAttribute('data-call-id'));
    await page().click('aside.phone button[data-action=answer]');
    await page().waitForSelector('aside.phone[data-call=established]', { timeout: 30_000 }).catch((err: unknown) => {
      throw explain(err);
    });
    return callId;
  };

  /** The browser's fake microphone, decrypted by rtpengine, arrives at `media` as plain PCMU from one source. */
  const expectBrowserAudio = async (media: RtpProbe): Promise<void> => {
    const packets = await media.waitFor(50, { timeoutMs: 30_000 }).catch((err: unknown) => {
      throw explain(err);
    });
    expect(new Set(packets.map((p) => p.payloadType))).toEqual(new Set([0]));
    expect(new Set(packets.map((p) => p.ssrc)).size).toBe(1);
  };

  beforeAll(async () => {
    platform = await startLegwork('softphone-b', { RTPENGINE_NG: process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223' });
    const auth = await new Rest(platform.apiUrl).call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    admin = new Rest(platform.apiUrl, String(auth.body.auth_token));
    masterId = String(dataOf(auth)['account_id']);
    // the browser's device belongs to the user the DID is assigned to
    const owner = String((await admin.create(`/v2/accounts/${masterId}/users`, { first_name: 'Web', last_name: 'Phone', dids: [DID] }))['id']);
    browserDevice = String((await admin.create(`/v2/accounts/${masterId}/devices`, { name: web, owner_id: owner, sip: { username: web, password: PASSWORD } }))['id']);
    await admin.create(`/v2/accounts/${masterId}/resources`, { name: `trunk-${tag}`, gateways: [{ server: '127.0.0.1:5999' }], inbound: { enabled: true, sources: ['127.0.0.1'] } });
    browser = await ConsoleBrowser.launch(WEBRTC_ARGS);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const stop of cleanup.reverse()) await stop().catch(() => undefined);
    await platform?.close();
  }, 30_000);

  it('registers the softphone as the DID owner’s device', async () => {
    await page().goto(`${platform.apiUrl}/console/`);
    await page().fill('input[name=api_key]', platform.bootstrapKey);
    await page().click('button[type=submit]');
    await page().waitForSelector(`.who[data-account="${masterId}"]`);
    await page().selectOption('select[name=phone_device]', browserDevice);
    await page().fill('input[name=phone_password]', PASSWORD);
    await page().click('form.phone-login button[type=submit]');
    await page().waitForSelector('aside.phone[data-registration=registered]', { timeout: 30_000 }).catch((err: unknown) => {
      throw explain(err);
    });
  });

  it("a quickcall from a sipp phone to the browser device's SIP username rings the page with the caller id; answered, the phone gets plain RTP from the microphone; the page hangs up and the phone gets BYE", async () => {
    const desk = await deskPhone(`desk-${tag}`);
    const res = await admin.call('GET', `/v2/accounts/${masterId}/devices/${desk.id}/quickcall/${web}?media=process&timeout=40`);
    expect(res.status).toBe(202);
    await answerInPage(new RegExp(`Desk ${tag} \\(2001\\)`), desk.phone);
    await browser.screenshot('softphone-called-01-quickcall-established');

    // the phone was rung first with no offer; its answer is plain RTP, and it was ACKed with plain RTP from rtpengine
    const ack = receivedRequests(desk.phone.messages(), 'ACK')[0]?.body ?? '';
    expect(mediaSummary(ack)).toMatchObject({ protocol: 'RTP/AVP' });
    expect(ack).not.toMatch(/^a=(fingerprint|ice-ufrag|candidate):/m);
    await expectBrowserAudio(desk.media);

    await page().click('aside.phone button[data-action=phone-hangup]');
    await page().waitForSelector('aside.phone[data-call=none]', { timeout: 20_000 });
    await waitFor(() => receivedRequests(desk.phone.messages(), 'BYE').length === 1, { message: 'BYE at the sipp phone', timeoutMs: 20_000 });
    expect(await page().getAttribute('aside.phone', 'data-registration')).toBe('registered');
    expect(browser.problems).toEqual([]);
  });

  it('the same quickcall hung up by the sipp phone ends the call in the page', async () => {
    const desk = await deskPhone(`bye-${tag}`, 20_000);
    const res = await admin.call('GET', `/v2/accounts/${masterId}/devices/${desk.id}/quickcall/${web}?media=process&timeout=40`);
    expect(res.status).toBe(202);
    await answerInPage(new RegExp(`Desk ${tag} \\(2001\\)`), desk.phone);
    await expectBrowserAudio(desk.media);
    await page().waitForSelector('aside.phone[data-call=none]', { timeout: 60_000 }).catch((err: unknown) => {
      throw explain(err);
    });
    expect(await page().getAttribute('aside.phone', 'data-registration')).toBe('registered');
    expect(browser.problems).toEqual([]);
  });

  it("a carrier call to the DID (plain RTP offer) rings the browser with a WebRTC offer; answered in the page, the carrier gets the microphone's audio as plain RTP, and the page's hangup reaches the carrier", async () => {
    const media = await RtpProbe.create();
    cleanup.push(() => media.close());
    const carrier = await SippCarrierCall.start({ target: `127.0.0.1:${platform.sipPort}`, from: '127.0.0.1', did: DID, caller: '+14155550123', expect: 200, sdp: { ip: '127.0.0.1', port: media.port } });
    cleanup.push(() => carrier.stop());
    await answerInPage(/Carrier Caller \(\+14155550123\)/, carrier);
    await browser.screenshot('softphone-called-02-inbound-established');
    // the carrier offered plain RTP and is answered plain RTP: the browser's WebRTC stays on rtpengine's other side
    const answered = (): string | undefined => parseSippLog(carrier.messages()).find((m) => m.direction === 'received' && m.startLine.startsWith('SIP/2.0 200') && /INVITE/.test(m.headers['cseq']?.[0] ?? ''))?.body;
    await waitFor(() => answered() !== undefined, { message: '200 at the carrier', timeoutMs: 20_000 });
    expect(mediaSummary(answered() ?? '')).toMatchObject({ protocol: 'RTP/AVP', codecs: [{ name: 'PCMU' }] });
    expect(answered()).not.toMatch(/^a=(fingerprint|ice-ufrag|candidate):/m);
    await expectBrowserAudio(media);
    await page().click('aside.phone button[data-action=phone-hangup]');
    await page().waitForSelector('aside.phone[data-call=none]', { timeout: 20_000 });
    // the carrier's scenario ends once our BYE is answered
    expect(await carrier.exited).toMatchObject({ code: 0 });
    expect(browser.problems).toEqual([]);
  });
});
