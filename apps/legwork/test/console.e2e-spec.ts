import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { SippCarrier, SippPhone, freePort, header, receivedRequests } from '@legwork/originate/testing';
import { ARTIFACTS, ConsoleBrowser } from './console-browser';
import { Rest, dataOf, startLegwork, type RunningPlatform } from './kazoo-platform.fixture';

// The browser and the platform share two cores: every wait is generous and none measures speed.
jest.setTimeout(60_000);

const tag = randomBytes(3).toString('hex');
const NUMBER = '+14155550177';

describe('web console in chromium against the real platform (one legwork process, RabbitMQ, Redis, sipp)', () => {
  let platform: RunningPlatform;
  let browser: ConsoleBrowser;
  let admin: Rest;
  let phone: SippPhone | undefined;
  let carrier: SippCarrier | undefined;
  let masterId = '';
  let deviceId = '';
  let userId = '';
  let aLeg = '';

  const page = () => browser.page;
  /** Opens a page of the console; the one already open is reloaded (the same hash fires no hashchange). */
  const go = async (hash: string): Promise<void> => {
    const target = `${platform.apiUrl}/console/${hash}`;
    if (page().url() === target) await page().reload();
    else await page().goto(target);
  };
  /** From now on, every state each call row takes, in order, as the browser renders it (the current one first). */
  const watchStates = (): Promise<unknown> =>
    page().evaluate(`(() => {
      const seen = (window.seenStates = {});
      const record = () => {
        for (const tr of document.querySelectorAll('tr[data-call-id]')) {
          const list = (seen[tr.getAttribute('data-call-id')] ??= []);
          if (list.at(-1) !== tr.getAttribute('data-state')) list.push(tr.getAttribute('data-state'));
        }
      };
      record();
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    })()`);
  const statesSeen = (callId: string): Promise<string[] | undefined> => page().evaluate(`window.seenStates[${JSON.stringify(callId)}]`);
  const explain = (err: unknown): Error => new Error(`${String(err)}\nbrowser:\n${browser.problems.join('\n')}\nphone:\n${phone?.log.slice(-3000) ?? ''}`);

  beforeAll(async () => {
    // the webhook page's hook points at this machine, which the URL guard refuses unless listed
    platform = await startLegwork('console', { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    const auth = await new Rest(platform.apiUrl).call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    admin = new Rest(platform.apiUrl, String(auth.body.auth_token));
    masterId = String(dataOf(auth)['account_id']);
    browser = await ConsoleBrowser.launch();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await phone?.stop();
    await carrier?.stop();
    await platform?.close();
  }, 30_000);

  it('serves the console with its CSP, and logs in with the API key: the header names the account, the event stream goes live', async () => {
    const res = await page().goto(`${platform.apiUrl}/console/`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page().fill('input[name=api_key]', platform.bootstrapKey);
    await page().click('button[type=submit]');
    await page().waitForSelector(`.who[data-account="${masterId}"]`);
    await page().waitForSelector('[data-stream="live"]');
    expect(browser.problems).toEqual([]);
    await browser.screenshot('01-live-calls-empty');
  });

  it('a wrong API key is refused with the API\'s own message, and no session is opened', async () => {
    // a new tab has its own, empty session storage: logged out
    const other = await browser.context.newPage();
    await other.goto(`${platform.apiUrl}/console/`);
    await other.fill('input[name=api_key]', 'f'.repeat(64));
    await other.click('button[type=submit]');
    expect(await other.textContent('[role=alert]')).toMatch(/^401 /);
    expect(await other.locator('.who').count()).toBe(0);
    await other.close();
  });

  it('creates a device from the devices page; once a sipp phone registers as it, the page says so', async () => {
    await go('#/devices');
    await page().click('text=New device');
    await page().fill('[data-editor=devices] input[name=name]', `desk-${tag}`);
    await page().fill('[data-editor=devices] input[name=sip_username]', `desk-${tag}`);
    await page().fill('[data-editor=devices] input[name=sip_password]', 'desk-secret');
    await page().click('[data-editor=devices] button[type=submit]');
    const row = page().locator('tr', { hasText: `desk-${tag}` });
    await row.waitFor();
    deviceId = String(await row.getAttribute('data-id'));
    expect(deviceId).toMatch(/^[0-9a-f]{32}$/);
    const stored = dataOf(await admin.call('GET', `/v2/accounts/${masterId}/devices/${deviceId}`));
    expect(stored).toMatchObject({ name: `desk-${tag}`, sip: { username: `desk-${tag}` } });
    expect(await row.locator('[data-column=registered]').textContent()).toBe('no');

    phone = await SippPhone.start({ username: `desk-${tag}`, password: 'desk-secret', realm: 'legwork.local', registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'answer', answerDelayMs: 1000 });
    await phone.waitRegistered();
    await waitFor(async () => {
      await page().reload();
      return (await page().locator(`tr[data-id="${deviceId}"] [data-column=registered]`).textContent()) === 'yes';
    }, { message: 'the device shown registered', timeoutMs: 20_000 });
    await browser.screenshot('02-devices');
  });

  it('click-to-call from that device to a sipp carrier: the live-calls table follows the call, hangup from the console sends BYE to the phone', async () => {
    const carrierPort = await freePort();
    carrier = await SippCarrier.start({ behaviour: 'answer', port: carrierPort });
    await admin.create(`/v2/accounts/${masterId}/resources`, { name: `carrier-${tag}`, gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1415555\\d{4}$'] });

    await go('#/dial');
    await page().selectOption('select[name=device]', deviceId);
    await page().fill('input[name=number]', NUMBER);
    await page().fill('input[name=cid_name]', 'Console Test');
    await page().fill('input[name=timeout]', '20');
    await page().selectOption('select[name=media]', 'bypass');
    await watchStates();
    await page().click('form.dial button[type=submit]');
    const row = page().locator('tr[data-call-id]').first();
    await row.waitFor().catch((err: unknown) => {
      throw explain(err);
    });
    aLeg = String(await row.getAttribute('data-call-id'));
    await page().waitForSelector(`tr[data-call-id="${aLeg}"][data-state="bridged"]`, { timeout: 30_000 }).catch((err: unknown) => {
      throw explain(err);
    });
    const setup = await statesSeen(aLeg);
    expect(setup?.[0]).toMatch(/^(new|early|ringing)$/);
    expect(setup?.at(-1)).toBe('bridged');
    await waitFor(() => receivedRequests(carrier?.messages() ?? '', 'INVITE').length === 1, { message: 'INVITE at the carrier', timeoutMs: 15_000 });
    const invite = receivedRequests(phone?.messages() ?? '', 'INVITE').find((m) => header(m, 'Call-ID') === aLeg);
    expect(header(invite, 'From')).toContain('Console Test');
    expect(header(invite, 'Call-Info')).toMatch(/answer-after=0/);
    await browser.screenshot('03-click-to-call');

    await go('#/calls');
    const live = page().locator(`tr[data-call-id="${aLeg}"]`);
    await live.waitFor();
    expect(await live.getAttribute('data-state')).toBe('bridged');
    expect(await live.locator('td').nth(1).textContent()).toBe('outbound');
    await browser.screenshot('04-live-calls');
    await watchStates();
    await live.locator('button[data-action=hangup]').click();
    await waitFor(() => receivedRequests(phone?.messages() ?? '', 'BYE').some((m) => header(m, 'Call-ID') === aLeg), { message: `BYE at the phone for ${aLeg}`, timeoutMs: 20_000 });
    await page().waitForSelector(`tr[data-call-id="${aLeg}"][data-state="ended"]`, { timeout: 20_000 });
    // the hangup unbridges the legs first, so `answered` may show between the two
    const teardown = await statesSeen(aLeg);
    expect([teardown?.[0], teardown?.at(-1), teardown?.slice(1, -1).every((s) => s === 'answered')]).toEqual(['bridged', 'ended', true]);
    expect(await live.locator('.state').textContent()).toContain('NORMAL_CLEARING');
  });

  it("the call's page shows its events in order and its CDR", async () => {
    await page().click(`tr[data-call-id="${aLeg}"] a`);
    await page().waitForSelector('li[data-event=CHANNEL_DESTROY]');
    // one read of the whole list: the history stream re-renders it while it replays, and per-line reads can straddle that
    const lines = await page().locator('li[data-event]').evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-event'), `${li.getAttribute('data-leg')}#${li.getAttribute('data-sequence')}`]));
    const events = lines.map(([event]) => event ?? null);
    // sequence and leg of each line, so a failure shows which leg's numbering was out of order
    const numbered = lines.map(([, numberedAs]) => numberedAs);
    const order = ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_DESTROY'].map((e) => events.indexOf(e));
    expect({ events, numbered, inOrder: order.every((i, n) => i >= 0 && (n === 0 || i > (order[n - 1] ?? -1))) }).toEqual({ events, numbered, inOrder: true });
    expect(events.at(-1)).toBe('CHANNEL_DESTROY');
    await waitFor(async () => {
      await page().click('text=Reload CDR');
      return ((await page().locator('pre.cdr').textContent().catch(() => '')) ?? '').includes(aLeg);
    }, { message: `CDR of ${aLeg} on the page`, timeoutMs: 20_000 });
    expect(JSON.parse(String(await page().locator('pre.cdr').textContent()))).toMatchObject({ call_id: aLeg, hangup_cause: 'NORMAL_CLEARING' });
    await browser.screenshot('05-call-timeline');
  });

  it('a caller id the SIP rules refuse: the console shows the API\'s 400 naming the field, and nothing rings', async () => {
    const invites = receivedRequests(phone?.messages() ?? '', 'INVITE').length;
    await go('#/dial');
    await page().selectOption('select[name=device]', deviceId);
    await page().fill('input[name=number]', NUMBER);
    // a line separator would break the INVITE's From header on some parsers
    await page().fill('input[name=cid_name]', 'Evil\u2028Name');
    await page().click('form.dial button[type=submit]');
    const alert = page().locator('[role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^400 .*cid-name: /);
    expect(receivedRequests(phone?.messages() ?? '', 'INVITE')).toHaveLength(invites);
  });

  it('creates and edits a user, and deletes a device, from the provisioning pages', async () => {
    await go('#/users');
    await page().click('text=New user');
    const form = '[data-editor=users]';
    await page().fill(`${form} input[name=first_name]`, 'Ann');
    await page().fill(`${form} input[name=last_name]`, `Lee-${tag}`);
    await page().fill(`${form} input[name=username]`, `ann-${tag}`);
    await page().fill(`${form} input[name=password]`, 'ann-secret');
    await page().click(`${form} button[type=submit]`);
    const row = page().locator('tr', { hasText: `Lee-${tag}` });
    await row.waitFor();
    userId = String(await row.getAttribute('data-id'));
    await row.locator('text=Edit').click();
    await page().fill(`${form} input[name=first_name]`, 'Anna');
    await page().click(`${form} button[type=submit]`);
    await page().locator(`tr[data-id="${userId}"] [data-column=first_name]`, { hasText: 'Anna' }).waitFor();
    expect(dataOf(await admin.call('GET', `/v2/accounts/${masterId}/users/${userId}`))).toMatchObject({ first_name: 'Anna', last_name: `Lee-${tag}`, username: `ann-${tag}` });

    const spare = String((await admin.create(`/v2/accounts/${masterId}/devices`, { name: `spare-${tag}`, sip: { username: `spare-${tag}`, password: 'pw' } }))['id']);
    await admin.create(`/v2/accounts/${masterId}/devices`, { name: `ann-desk-${tag}`, owner_id: userId, sip: { username: `ann-desk-${tag}`, password: 'pw' } });
    await go('#/devices');
    const spareRow = page().locator(`tr[data-id="${spare}"]`);
    await spareRow.locator('text=Delete').click();
    await spareRow.locator('text=Confirm delete').click();
    await spareRow.waitFor({ state: 'detached' });
    expect((await admin.call('GET', `/v2/accounts/${masterId}/devices/${spare}`)).status).toBe(404);
  });

  it("a plain user logs in with username, password and realm, and the console shows only what that user may see", async () => {
    // a new tab has its own, empty session storage: logged out
    const tab = await browser.context.newPage();
    try {
      await tab.goto(`${platform.apiUrl}/console/`);
      await tab.click('.tabs >> text=User');
      await tab.fill('input[name=username]', `ann-${tag}`);
      await tab.fill('input[name=password]', 'ann-secret');
      await tab.fill('input[name=realm]', 'legwork.local');
      await tab.click('button[type=submit]');
      await tab.locator('.who', { hasText: '(user)' }).waitFor();
      await tab.goto(`${platform.apiUrl}/console/#/devices`);
      await tab.locator('tr', { hasText: `ann-desk-${tag}` }).waitFor();
      expect(await tab.locator('tbody tr').count()).toBe(1);
      await tab.screenshot({ path: `${ARTIFACTS}/07-user-devices.png`, fullPage: true });
    } finally {
      await tab.close();
    }
  });

  it('hostile names from the API are shown as text, never run', async () => {
    const name = `<img src=x onerror="window.__owned=1">${tag}`;
    await admin.create(`/v2/accounts/${masterId}/devices`, { name, sip: { username: `hostile-${tag}`, password: 'pw' } });
    await go('#/devices');
    await page().locator('td[data-column=name]', { hasText: name }).waitFor();
    expect(await page().evaluate('window.__owned')).toBeUndefined();
    expect(await page().locator('td[data-column=name] img').count()).toBe(0);
  });

  it('creates a webhook: its signing secret is shown once, never listed, and its delivery log opens', async () => {
    await go('#/webhooks');
    await page().click('text=New webhook');
    const form = '[data-editor=webhooks]';
    await page().fill(`${form} input[name=name]`, `hook-${tag}`);
    await page().fill(`${form} input[name=uri]`, 'http://127.0.0.1:9/hook');
    await page().selectOption(`${form} select[name=hook]`, 'channel_destroy');
    await page().click(`${form} button[type=submit]`);
    const once = page().locator('.once');
    await once.waitFor();
    const secret = (JSON.parse(String(await once.locator('pre').textContent())) as { secret?: string }).secret;
    expect(secret).toMatch(/\S{16,}/);
    const row = page().locator('tr', { hasText: `hook-${tag}` });
    await row.waitFor();
    expect(await page().locator('table.documents').textContent()).not.toContain(String(secret));
    await row.locator('text=Deliveries').click();
    await page().locator('.attempts h3', { hasText: String(await row.getAttribute('data-id')) }).waitFor();
    expect(await page().locator('.attempts [role=alert]').count()).toBe(0);

    // a disabled hook offers Re-enable, which PATCHes `re-enable` as Kazoo's API takes it
    const hookId = String(await row.getAttribute('data-id'));
    expect((await admin.call('PATCH', `/v2/accounts/${masterId}/webhooks/${hookId}`, { enabled: false })).status).toBe(200);
    await go('#/webhooks');
    await page().locator(`tr[data-id="${hookId}"] [data-column=enabled]`, { hasText: 'false' }).waitFor();
    await page().locator(`tr[data-id="${hookId}"] >> text=Re-enable`).click();
    await page().locator(`tr[data-id="${hookId}"] [data-column=enabled]`, { hasText: 'true' }).waitFor();
    expect(dataOf(await admin.call('GET', `/v2/accounts/${masterId}/webhooks/${hookId}`))['enabled']).toBe(true);
  });

  it('the other provisioning pages list what the API holds (screenshots of each)', async () => {
    for (const [hash, title] of [['users', 'Users'], ['groups', 'Groups'], ['resources', 'Carrier resources'], ['webhooks', 'Webhooks'], ['api_clients', 'API clients']]) {
      await go(`#/${hash}`);
      await page().waitForSelector(`section[data-kind=${hash}] h2:text-is("${title}")`);
      await page().locator('section[data-kind] .empty', { hasText: 'Loading' }).waitFor({ state: 'detached' });
      expect({ hash, alerts: await page().locator('[role=alert]').count() }).toEqual({ hash, alerts: 0 });
      await browser.screenshot(`06-${hash}`);
    }
    await go('#/resources');
    await page().locator(`tr`, { hasText: `carrier-${tag}` }).waitFor();
    expect(browser.problems).toEqual([]);
  });

  it('a token revoked elsewhere sends the console back to its login at its next request', async () => {
    const session = JSON.parse(String(await page().evaluate("sessionStorage.getItem('legwork.console.session')"))) as { token: string };
    expect((await new Rest(platform.apiUrl, session.token).call('DELETE', '/v2/token_auth')).status).toBe(200);
    await go('#/users');
    await page().locator('input[name=api_key]').waitFor();
    expect(await page().evaluate("sessionStorage.getItem('legwork.console.session')")).toBeNull();
  });
});
