import { waitFor } from '@legwork/common/testing';
import { createHash, randomBytes } from 'node:crypto';
import { mediaSummary } from '@legwork/sip';
import { RtpProbe, SippCarrier, freePort, header, receivedRequests } from '@legwork/originate/testing';
import { ConsoleBrowser, WEBRTC_ARGS } from './console-browser';
import { Rest, dataOf, startLegwork, type RunningPlatform } from './kazoo-platform.fixture';

// The browser, rtpengine and the platform share two cores: every wait is generous and none measures speed.
jest.setTimeout(90_000);

const tag = randomBytes(3).toString('hex');
const NUMBER = '+14155550188';
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;

describe('softphone in the console: chromium registers over WebSocket, answers a click-to-call, its microphone reaches the carrier through rtpengine', () => {
  let platform: RunningPlatform;
  let browser: ConsoleBrowser;
  let admin: Rest;
  let carrier: SippCarrier | undefined;
  let carrierMedia: RtpProbe | undefined;
  let masterId = '';
  let deviceId = '';
  let aLeg = '';
  let carrierPort = 0;

  const page = () => browser.page;
  const explain = (err: unknown): Error => new Error(`${String(err)}\nbrowser:\n${browser.problems.join('\n')}\nplatform:\n${platform.proc.stdout.slice(-3000)}`);

  beforeAll(async () => {
    platform = await startLegwork('softphone', { RTPENGINE_NG: process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223' });
    const auth = await new Rest(platform.apiUrl).call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    admin = new Rest(platform.apiUrl, String(auth.body.auth_token));
    masterId = String(dataOf(auth)['account_id']);
    browser = await ConsoleBrowser.launch(WEBRTC_ARGS);
    // sip.js reports its own warnings on the console; the test keeps only page errors and console errors
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await carrier?.stop();
    await carrierMedia?.close();
    await platform?.close();
  }, 30_000);

  it('logs in and creates a device from the devices page', async () => {
    await page().goto(`${platform.apiUrl}/console/`);
    await page().fill('input[name=api_key]', platform.bootstrapKey);
    await page().click('button[type=submit]');
    await page().waitForSelector(`.who[data-account="${masterId}"]`);
    await page().goto(`${platform.apiUrl}/console/#/devices`);
    await page().click('text=New device');
    await page().fill('[data-editor=devices] input[name=name]', `web-${tag}`);
    await page().fill('[data-editor=devices] input[name=sip_username]', `web-${tag}`);
    await page().fill('[data-editor=devices] input[name=sip_password]', PASSWORD);
    await page().click('[data-editor=devices] button[type=submit]');
    const row = page().locator('tr', { hasText: `web-${tag}` });
    await row.waitFor();
    deviceId = String(await row.getAttribute('data-id'));
    expect(deviceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a wrong password typed in the softphone is refused by the registrar, and the page says so', async () => {
    await page().reload();
    await page().selectOption('select[name=phone_device]', deviceId);
    await page().fill('input[name=phone_password]', 'not-the-password');
    await page().click('form.phone-login button[type=submit]');
    await page().waitForSelector('aside.phone[data-registration=failed]', { timeout: 30_000 }).catch((err: unknown) => {
      throw explain(err);
    });
    expect(await page().locator('aside.phone [role=alert]').first().textContent()).toMatch(/Registration failed: (401|403)/);
  });

  it('registers as that device with the password as typed; the platform lists it registered and the page keeps no copy of the password', async () => {
    await page().selectOption('select[name=phone_device]', deviceId);
    await page().fill('input[name=phone_password]', PASSWORD);
    await page().click('form.phone-login button[type=submit]');
    await page().waitForSelector('aside.phone[data-registration=registered]', { timeout: 30_000 }).catch((err: unknown) => {
      throw explain(err);
    });
    await waitFor(async () => {
      const status = (await admin.call('GET', `/v2/accounts/${masterId}/devices/status`)).body.data as Array<{ device_id?: string; id?: string; registered?: boolean }>;
      return status.some((d) => (d.device_id ?? d.id) === deviceId && d.registered === true);
    }, { message: 'the device registered in the platform', timeoutMs: 20_000, intervalMs: 250 });
    const stored = String(await page().evaluate('JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage), document.cookie])'));
    expect(stored).not.toContain(PASSWORD);
    // the login form is gone and nothing on the page holds the password
    expect(await page().locator('input[name=phone_password]').count()).toBe(0);
    expect(await page().content()).not.toContain(PASSWORD);
    await browser.screenshot('softphone-01-registered');
  });

  it('a click-to-call from the console rings the softphone; answered in the page, the carrier gets plain RTP from the browser microphone', async () => {
    carrierMedia = await RtpProbe.create();
    carrierPort = await freePort();
    carrier = await SippCarrier.start({ behaviour: 'answer', port: carrierPort, sdp: { ip: '127.0.0.1', port: carrierMedia.port } });
    await admin.create(`/v2/accounts/${masterId}/resources`, { name: `carrier-${tag}`, gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1415555\\d{4}$'] });

    await page().goto(`${platform.apiUrl}/console/#/dial`);
    await page().selectOption('select[name=device]', deviceId);
    await page().fill('input[name=number]', NUMBER);
    await page().uncheck('input[name=auto_answer]');
    await page().fill('input[name=timeout]', '30');
    await page().selectOption('select[name=media]', 'process');
    await page().click('form.dial button[type=submit]');
    const ringing = page().locator('aside.phone[data-call=ringing] .phone-call');
    await ringing.waitFor({ timeout: 30_000 }).catch((err: unknown) => {
      throw explain(err);
    });
    aLeg = String(await ringing.getAttribute('data-call-id'));
    await browser.screenshot('softphone-02-ringing');
    expect(receivedRequests(carrier.messages(), 'INVITE')).toHaveLength(0);

    await page().click('aside.phone button[data-action=answer]');
    await page().waitForSelector('aside.phone[data-call=established]', { timeout: 30_000 }).catch((err: unknown) => {
      throw explain(err);
    });
    await waitFor(() => receivedRequests(carrier?.messages() ?? '', 'INVITE').length === 1, { message: 'INVITE at the carrier', timeoutMs: 20_000 });
    const body = receivedRequests(carrier.messages(), 'INVITE')[0]?.body ?? '';
    // rtpengine bridges the browser's DTLS-SRTP to plain RTP toward the carrier, in a codec the carrier has
    expect(mediaSummary(body)).toMatchObject({ protocol: 'RTP/AVP', codecs: [{ name: 'PCMU' }] });
    expect(body).not.toMatch(/^a=(fingerprint|ice-ufrag|candidate):/m);

    // the fake microphone's audio, decrypted by rtpengine, arrives at the carrier's media port as PCMU
    const packets = await carrierMedia.waitFor(50, { timeoutMs: 30_000 }).catch((err: unknown) => {
      throw explain(err);
    });
    expect(new Set(packets.map((p) => p.payloadType))).toEqual(new Set([0]));
    expect(new Set(packets.map((p) => p.ssrc)).size).toBe(1);
    await page().goto(`${platform.apiUrl}/console/#/calls`);
    await page().waitForSelector(`tr[data-call-id="${aLeg}"][data-state="bridged"]`, { timeout: 20_000 });
    await browser.screenshot('softphone-03-in-call');
  });

  it('hanging up from the console ends the call in the softphone and at the carrier; RTP stops', async () => {
    await page().locator(`tr[data-call-id="${aLeg}"] button[data-action=hangup]`).click();
    await page().waitForSelector('aside.phone[data-call=none]', { timeout: 20_000 });
    await waitFor(() => receivedRequests(carrier?.messages() ?? '', 'BYE').length === 1, { message: 'BYE at the carrier', timeoutMs: 20_000 });
    expect(header(receivedRequests(carrier?.messages() ?? '', 'BYE')[0], 'Call-ID')).toBeTruthy();
    await page().waitForSelector(`tr[data-call-id="${aLeg}"][data-state="ended"]`, { timeout: 20_000 });
    // once the call is gone nothing more reaches the carrier's media port
    await new Promise((r) => setTimeout(r, 500));
    carrierMedia?.clear();
    await expect(carrierMedia?.waitFor(1, { timeoutMs: 1500 })).rejects.toThrow(/got 0 of 1/);
    expect(await page().getAttribute('aside.phone', 'data-registration')).toBe('registered');
    expect(browser.problems).toEqual([]);
    await browser.screenshot('softphone-04-after-hangup');
  });

  it('places a call from the softphone (a quickcall that rings it first, answered at once) and hangs it up from the page: BYE reaches the carrier', async () => {
    await carrier?.stop();
    await carrierMedia?.close();
    carrierMedia = await RtpProbe.create();
    carrier = await SippCarrier.start({ behaviour: 'answer', port: carrierPort, sdp: { ip: '127.0.0.1', port: carrierMedia.port } });
    await page().fill('input[name=phone_number]', NUMBER);
    await page().click('form.phone-dial button[type=submit]');
    await page().waitForSelector('aside.phone[data-call=established]', { timeout: 30_000 }).catch((err: unknown) => {
      throw explain(err);
    });
    await waitFor(() => receivedRequests(carrier?.messages() ?? '', 'INVITE').length === 1, { message: 'INVITE at the carrier', timeoutMs: 20_000 });
    await carrierMedia.waitFor(25, { timeoutMs: 30_000 });
    await browser.screenshot('softphone-05-placed-call');

    await page().click('aside.phone button[data-action=phone-hangup]');
    await page().waitForSelector('aside.phone[data-call=none]', { timeout: 20_000 });
    await waitFor(() => receivedRequests(carrier?.messages() ?? '', 'BYE').length === 1, { message: 'BYE at the carrier', timeoutMs: 20_000 });
    expect(browser.problems).toEqual([]);
  });

  it("the Platform page charts the calls just made from the gateway's counters: channels per second, concurrency, ASR, webhook backlog", async () => {
    type Point = { channels_per_second: number; concurrent_channels: number; answer_seizure_ratio: number | null; webhook_backlog: number | null };
    const stats = async (): Promise<{ points: Point[] }> => {
      const res = await admin.call('GET', `/v2/accounts/${masterId}/platform_stats`);
      if (res.status !== 200) throw new Error(`platform_stats gave ${res.status}: ${JSON.stringify(res.body)}`);
      return dataOf(res) as unknown as { points: Point[] };
    };
    // two calls of two legs each, all answered and all hung up
    await waitFor(async () => (await stats()).points.at(-1)?.concurrent_channels === 0, { message: 'no channel up', timeoutMs: 20_000, intervalMs: 250 });
    const points = (await stats()).points;
    expect(points.reduce((n, p) => n + p.channels_per_second * 5, 0)).toBe(4);
    expect(points.filter((p) => p.answer_seizure_ratio !== null).map((p) => p.answer_seizure_ratio)).toEqual(expect.arrayContaining([1]));
    expect(points.some((p) => p.concurrent_channels === 2)).toBe(true);
    expect(typeof points.at(-1)?.webhook_backlog).toBe('number');

    await page().goto(`${platform.apiUrl}/console/#/stats`);
    for (const key of ['channels_per_second', 'concurrent_channels', 'answer_seizure_ratio', 'webhook_backlog']) {
      await page().locator(`figure[data-series=${key}] canvas`).waitFor();
    }
    expect(await page().getAttribute('figure[data-series=concurrent_channels]', 'data-latest')).toBe('0');
    expect(await page().getAttribute('figure[data-series=answer_seizure_ratio]', 'data-latest')).toBe('100');
    expect(browser.problems).toEqual([]);
    await browser.screenshot('softphone-06-platform-chart');
  });

  it("every tenant's traffic is in the picture: a sub-account's admin and a plain user are refused 403", async () => {
    const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
    const realm = `sub-${tag}.legwork.test`;
    const sub = dataOf(await admin.call('PUT', `/v2/accounts/${masterId}`, { name: `sub-${tag}`, realm }));
    const subId = String(sub['id']);
    await admin.create(`/v2/accounts/${subId}/users`, { first_name: 'Sub', last_name: 'Admin', username: `boss-${tag}`, password: 'boss-secret', priv_level: 'admin' });
    await admin.create(`/v2/accounts/${masterId}/users`, { first_name: 'Plain', last_name: 'User', username: `plain-${tag}`, password: 'plain-secret' });
    const anon = new Rest(platform.apiUrl);
    const subAdmin = anon.withToken(String((await anon.call('PUT', '/v2/user_auth', { credentials: md5(`boss-${tag}:boss-secret`), account_realm: realm })).body.auth_token));
    const plain = anon.withToken(String((await anon.call('PUT', '/v2/user_auth', { credentials: md5(`plain-${tag}:plain-secret`), account_realm: 'legwork.local' })).body.auth_token));
    const refused = await subAdmin.call('GET', `/v2/accounts/${subId}/platform_stats`);
    expect([refused.status, refused.body.message]).toEqual([403, 'forbidden']);
    expect((await plain.call('GET', `/v2/accounts/${masterId}/platform_stats`)).status).toBe(403);
    expect((await anon.call('GET', `/v2/accounts/${masterId}/platform_stats`)).status).toBe(401);
  });
});
