import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RtpProbe, SippCarrier, SippPhone, freePort, header, receivedRequests, type CarrierBehaviour, type LoggedSipMessage } from '@legwork/originate/testing';
import { ConsoleBrowser } from './console-browser';
import { CallEvents, Rest, dataOf, startLegwork, type Json, type RunningPlatform } from './kazoo-platform.fixture';

// The browser, rtpengine and the platform share two cores: every wait is generous and none measures speed.
jest.setTimeout(90_000);

const tag = randomBytes(3).toString('hex');
const NUMBER = '+14155550166';
const TRANSFER_TO = '+16505550123';
const BYPASS_NUMBER = '+12125550144';
/** The events the console subscribes to: Kazoo's `*` set and Legwork's named ones (no push or registration events). */
const CONSOLE_EVENTS = /^(CHANNEL_|RECORD_|RECORDING_)/;

/** Re-INVITEs a carrier received after the one that set the call up. */
const reinvites = (carrier: SippCarrier | undefined): LoggedSipMessage[] => {
  const byCseq = new Map(receivedRequests(carrier?.messages() ?? '', 'INVITE').map((m) => [m.headers['cseq']?.[0], m]));
  return [...byCseq.values()].slice(1);
};

/** The SDP the platform sent a peer for one call: in its INVITE, or in the ACK when the INVITE came without an offer. */
const offerTo = (log: string, callId: string): string => {
  const sent = [...receivedRequests(log, 'INVITE'), ...receivedRequests(log, 'ACK')].find((m) => header(m, 'Call-ID') === callId && m.body.includes('v=0'));
  if (sent === undefined) throw new Error(`no SDP sent for ${callId} in:\n${log.slice(-4000)}`);
  return sent.body;
};

describe('call control, recordings and call history in the console (chromium, one legwork process, rtpengine, sipp)', () => {
  const recordings = mkdtempSync(join(tmpdir(), 'console-recordings-'));
  let platform: RunningPlatform;
  let browser: ConsoleBrowser;
  let admin: Rest;
  let events: CallEvents;
  let phone: SippPhone | undefined;
  const carriers: SippCarrier[] = [];
  const probes: RtpProbe[] = [];
  let masterId = '';
  let deviceId = '';
  let aLeg = '';
  let bLeg = '';
  let first: SippCarrier | undefined;

  const page = () => browser.page;
  const row = (callId: string) => page().locator(`tr[data-call-id="${callId}"]`);
  const explain = (err: unknown): Error => new Error(`${String(err)}\nbrowser:\n${browser.problems.join('\n')}\nplatform:\n${platform.proc.stdout.slice(-3000)}`);
  const waitRow = (callId: string, attrs: string, timeout = 30_000): Promise<unknown> =>
    page().waitForSelector(`tr[data-call-id="${callId}"]${attrs}`, { timeout }).catch((err: unknown) => {
      throw explain(err);
    });
  const carrier = async (rule: string, sdp?: RtpProbe, behaviour: CarrierBehaviour = 'answer-mirror'): Promise<SippCarrier> => {
    const port = await freePort();
    const c = await SippCarrier.start({ behaviour, port, ...(sdp !== undefined ? { sdp: { ip: '127.0.0.1', port: sdp.port } } : {}) });
    carriers.push(c);
    await admin.create(`/v2/accounts/${masterId}/resources`, { name: `carrier-${rule.slice(3, 7)}-${tag}`, gateways: [{ server: `127.0.0.1:${port}` }], rules: [rule] });
    return c;
  };
  const dial = async (number: string, media: 'process' | 'bypass'): Promise<string> => {
    await page().goto(`${platform.apiUrl}/console/#/dial`);
    await page().selectOption('select[name=device]', deviceId);
    await page().fill('input[name=number]', number);
    await page().fill('input[name=timeout]', '20');
    await page().selectOption('select[name=media]', media);
    await page().click('form.dial button[type=submit]');
    // the dial page lists only the call it placed: its A-leg carries Kazoo's quickcall suffix
    const ids = (): Promise<Array<string | null>> => page().locator('tr[data-call-id]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-call-id')));
    const id = await waitFor(async () => (await ids()).find((c): c is string => c?.endsWith('-quickcall') === true), { message: 'the new call on the dial page', timeoutMs: 30_000, intervalMs: 250 }).catch((err: unknown) => {
      throw explain(err);
    });
    await waitRow(id, '[data-state=bridged]');
    await page().goto(`${platform.apiUrl}/console/#/calls`);
    await waitRow(id, '[data-state=bridged]');
    return id;
  };

  beforeAll(async () => {
    platform = await startLegwork('console-control', { RTPENGINE_NG: process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223', RECORDING_DIR: recordings });
    events = await CallEvents.open(platform.scratch.AMQP_NAMESPACE);
    const auth = await new Rest(platform.apiUrl).call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    admin = new Rest(platform.apiUrl, String(auth.body.auth_token));
    masterId = String(dataOf(auth)['account_id']);
    deviceId = String((await admin.create(`/v2/accounts/${masterId}/devices`, { name: `desk-${tag}`, sip: { username: `desk-${tag}`, password: 'desk-secret' } }))['id']);
    const phoneMedia = await RtpProbe.create();
    probes.push(phoneMedia);
    phone = await SippPhone.start({ username: `desk-${tag}`, password: 'desk-secret', realm: 'legwork.local', registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'answer', answerDelayMs: 500, sdp: { ip: '127.0.0.1', port: phoneMedia.port } });
    await phone.waitRegistered();
    browser = await ConsoleBrowser.launch();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await phone?.stop();
    await Promise.all(carriers.map((c) => c.stop()));
    await Promise.all(probes.map((p) => p.close()));
    await events?.close();
    await platform?.close();
    rmSync(recordings, { recursive: true, force: true });
  }, 30_000);

  it('logs in; the CSP lets the page play audio from blob: URLs only', async () => {
    const res = await page().goto(`${platform.apiUrl}/console/`);
    expect(res?.headers()['content-security-policy']).toContain('media-src blob:;');
    await page().fill('input[name=api_key]', platform.bootstrapKey);
    await page().click('button[type=submit]');
    await page().waitForSelector('[data-stream="live"]');
  });

  it('recording a bypass call whose carrier refuses the re-INVITE onto rtpengine is refused: the row shows the platform\'s own reason', async () => {
    const far = await carrier('^\\+1212555\\d{4}$', undefined, 'answer-refuse-reinvite');
    const callId = await dial(BYPASS_NUMBER, 'bypass');
    await row(callId).locator('button[data-action=record-start]').click();
    const alert = row(callId).locator('[role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^400 invalid data.*refused to move its media to rtpengine for recording \(488 /);
    expect(await row(callId).getAttribute('data-recording')).toBe('off');
    await row(callId).locator('button[data-action=hangup]').click();
    await waitRow(callId, '[data-state=ended]');
    await waitFor(() => receivedRequests(far.messages(), 'BYE').length === 1, { message: 'BYE at the bypass carrier', timeoutMs: 20_000, intervalMs: 250 });
  });

  it('a media=process call: the row shows direction, dialect and state; hold re-INVITEs the carrier a=sendonly and the row shows held; unhold restores it', async () => {
    const carrierMedia = await RtpProbe.create();
    probes.push(carrierMedia);
    const far = await carrier('^\\+1415555\\d{4}$', carrierMedia);
    first = far;
    aLeg = await dial(NUMBER, 'process');
    bLeg = String(dataOf(await admin.call('GET', `/v2/accounts/${masterId}/channels/${aLeg}`))['other_leg']);
    await waitRow(bLeg, '[data-state=bridged]');
    expect([await row(aLeg).locator('[data-column=direction]').textContent(), await row(aLeg).locator('[data-column=dialect]').textContent()]).toEqual(['outbound', 'kazoo']);
    expect(await row(bLeg).locator('[data-column=dialect]').textContent()).toBe('kazoo');
    await browser.screenshot('control-01-live-call');

    await row(bLeg).locator('button[data-action=hold]').click();
    await waitFor(() => reinvites(far).length === 1, { message: `hold re-INVITE at the carrier\n${far.log}`, timeoutMs: 20_000, intervalMs: 250 });
    expect(reinvites(far)[0]?.body).toContain('a=sendonly');
    await waitRow(bLeg, '[data-state=held]');
    await browser.screenshot('control-02-held');
    await row(bLeg).locator('button[data-action=unhold]').click();
    await waitFor(() => reinvites(far).length === 2, { message: `unhold re-INVITE at the carrier\n${far.log}`, timeoutMs: 20_000, intervalMs: 250 });
    expect(reinvites(far)[1]?.body).toContain('a=sendrecv');
    await waitRow(bLeg, '[data-state=bridged]');
  });

  it('record start and stop from the row; both sides talk meanwhile; the recordings page lists it, plays it in an <audio> and downloads the WAV', async () => {
    await row(aLeg).locator('button[data-action=record-start]').click();
    await waitRow(aLeg, '[data-recording=recording]');
    await browser.screenshot('control-03-recording');
    const [phoneMedia, carrierMedia] = probes as [RtpProbe, RtpProbe];
    const toPhoneSide = offerTo(phone?.messages() ?? '', aLeg);
    const toCarrierSide = offerTo(first?.messages() ?? '', bLeg);
    // a second of 20 ms PCMU packets each way, as two phones talking would send
    await Promise.all([phoneMedia.sendToSdp(toPhoneSide, 50, { intervalMs: 20, fill: 0x10 }), carrierMedia.sendToSdp(toCarrierSide, 50, { intervalMs: 20, fill: 0x90 })]);
    await row(aLeg).locator('button[data-action=record-stop]').click();
    await waitRow(aLeg, '[data-recording=stopped]');

    await page().goto(`${platform.apiUrl}/console/#/recordings`);
    const listed = page().locator(`section.recordings tr[data-call-id="${aLeg}"]`);
    await waitFor(async () => {
      await page().click('section.recordings >> text=Reload');
      return (await listed.count()) === 1;
    }, { message: `the recording of ${aLeg} listed`, timeoutMs: 20_000, intervalMs: 500 });
    const id = String(await listed.getAttribute('data-id'));
    const doc = dataOf(await admin.call('GET', `/v2/accounts/${masterId}/recordings/${id}`));
    expect(doc).toMatchObject({ id, call_id: aLeg, content_type: 'audio/wav' });
    expect(Number(doc['duration_ms'])).toBeGreaterThan(0);

    await listed.locator('button[data-action=play]').click();
    await page().waitForSelector(`audio[data-recording="${id}"]`);
    const audio = `document.querySelector('audio[data-recording="${id}"]')`;
    await page().waitForFunction(`${audio}.readyState >= 1 && ${audio}.duration > 0`, undefined, { timeout: 15_000 }).catch((err: unknown) => {
      throw explain(err);
    });
    const loaded = (await page().evaluate(`({ src: ${audio}.src, duration: ${audio}.duration, error: ${audio}.error?.code ?? null })`)) as { src: string; duration: number; error: number | null };
    expect(loaded.src).toMatch(/^blob:/);
    expect(loaded.error).toBeNull();
    expect(loaded.duration).toBeGreaterThan(0);
    await browser.screenshot('control-04-recordings');

    const [download] = await Promise.all([page().waitForEvent('download'), listed.locator('button[data-action=download]').click()]);
    expect(download.suggestedFilename()).toBe(doc['media_name']);
    expect(statSync(await download.path()).size).toBe(doc['size_bytes']);
    expect(browser.problems).toEqual([]);
  });

  it('transfer: a target the SIP rules refuse shows the 400 naming the field; a number moves the carrier to a second carrier, and the rows follow', async () => {
    const second = await carrier('^\\+1650555\\d{4}$');
    await page().goto(`${platform.apiUrl}/console/#/calls`);
    await waitRow(aLeg, '[data-state=bridged]');
    await row(aLeg).locator('input[name=transfer_target]').fill('555 0123');
    await row(aLeg).locator('button[data-action=transfer]').click();
    const alert = row(aLeg).locator('[role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^400 .*target: must be a SIP URI or number without spaces/);
    expect(receivedRequests(second.messages(), 'INVITE')).toHaveLength(0);

    await row(aLeg).locator('input[name=transfer_target]').fill(TRANSFER_TO);
    await row(aLeg).locator('button[data-action=transfer]').click();
    await waitFor(() => receivedRequests(phone?.messages() ?? '', 'BYE').some((m) => header(m, 'Call-ID') === aLeg), { message: 'BYE at the transferring phone', timeoutMs: 20_000, intervalMs: 250 });
    await waitFor(() => receivedRequests(second.messages(), 'INVITE').length === 1, { message: `INVITE at the transfer target\n${second.log}`, timeoutMs: 20_000, intervalMs: 250 });
    const cLeg = String(header(receivedRequests(second.messages(), 'INVITE')[0], 'Call-ID'));
    await waitRow(aLeg, '[data-state=ended]');
    await waitRow(cLeg, '[data-state=bridged]');
    await waitRow(bLeg, '[data-state=bridged]');
    await browser.screenshot('control-05-transferred');

    await row(bLeg).locator('button[data-action=hangup]').click();
    await waitRow(bLeg, '[data-state=ended]');
    await waitRow(cLeg, '[data-state=ended]');
  });

  it("an ended call's page opened afresh shows the whole call from the event log: every event of every leg once, in Event-Sequence order", async () => {
    await waitFor(() => events.of(aLeg, 'CHANNEL_DESTROY').length === 1 && events.of(bLeg, 'CHANNEL_DESTROY').length === 1, { message: 'CHANNEL_DESTROY of both legs on the bus', timeoutMs: 20_000, intervalMs: 250 });
    // every event the call's legs published, as the bus carried them: the sequence the page must show
    const expected = events.events
      .filter((e) => e['Origination-Call-ID'] === aLeg && CONSOLE_EVENTS.test(String(e['Event-Name'])))
      .sort((x: Json, y: Json) => Number(x['Event-Sequence']) - Number(y['Event-Sequence']))
      .map((e) => [String(e['Event-Name']), String(e['Event-Sequence']), String(e['Call-ID'])]);
    expect(expected.map(([, seq]) => Number(seq))).toEqual(expected.map((_, i) => i + 1));
    expect([...new Set(expected.map(([, , leg]) => leg))]).toEqual(expect.arrayContaining([aLeg, bLeg]));
    expect(expected.filter(([, , leg]) => leg === aLeg).map(([name]) => name)).toEqual(expect.arrayContaining(['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'RECORD_START', 'RECORD_STOP', 'CHANNEL_DESTROY']));
    expect(expected.filter(([, , leg]) => leg === bLeg).map(([name]) => name)).toEqual(expect.arrayContaining(['CHANNEL_HOLD', 'CHANNEL_UNHOLD', 'CHANNEL_DESTROY']));
    // a fresh load: the console's own stream has seen nothing of this call, only the log can tell it
    await page().goto('about:blank');
    await page().goto(`${platform.apiUrl}/console/#/calls/${encodeURIComponent(aLeg)}`);
    await page().waitForSelector('[data-history=live]');
    const shown = (): Promise<Array<Array<string | null>>> => page().locator('li[data-event]').evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-event'), li.getAttribute('data-sequence'), li.getAttribute('data-leg')]));
    await waitFor(async () => (await shown()).length >= expected.length, { message: 'every event of the call on its page', timeoutMs: 20_000, intervalMs: 250 }).catch(async (err: unknown) => {
      throw explain(`${String(err)}\nshown: ${JSON.stringify(await shown())}\nexpected: ${JSON.stringify(expected)}`);
    });
    expect(await shown()).toEqual(expected);
    expect(await page().locator('[data-call-state]').textContent()).toBe('ended');
    await browser.screenshot('control-06-timeline');
    expect(browser.problems).toEqual([]);
  });
});
