import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import type { Bus } from '@legwork/bus';
import type { Account, Webhook } from '@legwork/directory';
import { z } from 'zod';
import { CALLBACK_ATTEMPTS, callbackSecretContext, enqueueCallback, type CallbackJob } from './callback-job';
import { replayDeadDeliveries } from './dead-letter.replay';
import { WEBHOOK_DEAD_HEADERS, WEBHOOK_TOPOLOGY } from './delivery-job';
import { verifySignature } from './signature';
import { callEvent, HookReceiver, publishCallEvent, WebhookScratch } from './testing';
import { WebhookWorker } from './webhook-worker';

const TIERS = [100, 200];
const config = { allowedHosts: ['127.0.0.1'], retryTiersMs: TIERS, connectTimeoutMs: 1000, totalTimeoutMs: 2000 };
const scratch = new WebhookScratch(TIERS);
const receiver = new HookReceiver();
let bus: Bus;
let workers: WebhookWorker[] = [];
let acct: Account;

const callId = (): string => `call-${randomBytes(4).toString('hex')}@10.0.0.5`;
const lifecycle = ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_DESTROY'] as const;
// JSON bodies by default here, so tests can read them; Kazoo's own default (form-data) has its own test.
const hook = (path: string, extra: Record<string, unknown> = {}): Promise<Webhook> =>
  scratch.directory.webhooks.create(acct.id, { name: path, uri: receiver.url(path), hook: 'all', format: 'json', ...extra });
const publishCall = async (id: string, accountId = acct.id): Promise<void> => {
  const extra: Record<string, Record<string, unknown>> = {
    CHANNEL_BRIDGE: { 'Other-Leg-Call-ID': `${id}-b` },
    CHANNEL_DESTROY: { 'Hangup-Cause': 'NORMAL_CLEARING', 'Duration-Seconds': 12, 'Billing-Seconds': 10, 'Ringing-Seconds': 2 },
  };
  for (const name of lifecycle) await publishCallEvent(bus, callEvent(name, id, accountId, extra[name]));
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await receiver.listen();
  bus = await scratch.bus('publisher');
  acct = await scratch.directory.accounts.create({ name: `wh${randomBytes(4).toString('hex')}`, realm: `wh${randomBytes(4).toString('hex')}.local` });
  workers.push(await startWorker('w1'));
});

async function startWorker(node: string): Promise<WebhookWorker> {
  const worker = new WebhookWorker({ bus: await scratch.bus(node), directory: scratch.directory, config, appName: 'webhooks', appVersion: '0.1.0' });
  await worker.start();
  return worker;
}

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
  await receiver.close();
  await scratch.dispose();
});

describe('webhook delivery (RabbitMQ + Redis)', () => {
  it('delivers every event of a call once, in order, signed, with Kazoo fields and custom_data', async () => {
    const h = await hook('/ordered', { custom_data: { team: 'sales' } });
    const answerOnly = await hook('/answer-only', { hook: 'channel_answer' });
    const id = callId();
    await publishCall(id);
    await waitFor(() => receiver.got('/ordered').length >= 4 && receiver.got('/answer-only').length >= 1, { timeoutMs: 10_000 });
    await sleep(300);
    const got = receiver.got('/ordered');
    expect(got.map((r) => JSON.parse(r.body).hook_event)).toEqual(['channel_create', 'channel_answer', 'channel_bridge', 'channel_destroy']);
    for (const r of got) {
      expect(r.method).toBe('POST');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-hook-id']).toBe(h.id);
      expect(r.headers['x-account-id']).toBe(acct.id);
      expect(verifySignature(h.secret, r.body, String(r.headers['x-legwork-signature']), Math.floor(Date.now() / 1000))).toBe(true);
      expect(verifySignature('0'.repeat(64), r.body, String(r.headers['x-legwork-signature']), Math.floor(Date.now() / 1000))).toBe(false);
    }
    const destroy = JSON.parse(got[3]?.body ?? '{}');
    expect(destroy).toMatchObject({ account_id: acct.id, call_id: id, call_direction: 'outbound', caller_id_number: '+15555550100', hangup_cause: 'NORMAL_CLEARING', duration_seconds: 12, billing_seconds: 10, ringing_seconds: 2, team: 'sales', custom_channel_vars: {}, reseller_id: acct.id });
    expect(destroy).not.toHaveProperty('msg_id');
    expect(receiver.got('/answer-only').map((r) => JSON.parse(r.body).hook_event)).toEqual(['channel_answer']);
    const attempts = await scratch.directory.webhooks.attempts(acct.id, answerOnly.id);
    expect(attempts).toEqual([expect.objectContaining({ hook_event: 'channel_answer', result: 'success', status_code: 200, attempt: 1, call_id: id })]);
  });

  it('delivers the push wake-up events to their own hooks and to all-hooks, in order with the call, the wake time on channel_destroy', async () => {
    await hook('/push-all');
    await hook('/push-sent', { hook: 'push_sent' });
    const id = callId();
    const push = { 'Push-Provider': 'apns', 'Push-PRID': 'tok-1' };
    await publishCallEvent(bus, callEvent('CHANNEL_CREATE', id, acct.id));
    await publishCallEvent(bus, callEvent('PUSH_SENT', id, acct.id, { ...push, 'Push-Kind': 'call' }));
    await publishCallEvent(bus, callEvent('DEVICE_REGISTERED', id, acct.id, { ...push, Contact: 'sip:m@127.0.0.1:5070', 'Registrar-Node': 'n2', 'Push-Wake-Ms': 640 }));
    await publishCallEvent(bus, callEvent('CHANNEL_DESTROY', id, acct.id, { 'Hangup-Cause': 'NORMAL_CLEARING', 'Duration-Seconds': 3, 'Billing-Seconds': 0, 'Ringing-Seconds': 1, 'Push-Provider': 'apns', 'Push-Wake-Ms': 640 }));
    await waitFor(() => receiver.got('/push-all').length >= 4 && receiver.got('/push-sent').length >= 1, { timeoutMs: 10_000 });
    const all = receiver.got('/push-all').map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(all.map((b) => b['hook_event'])).toEqual(['channel_create', 'push_sent', 'device_registered', 'channel_destroy']);
    expect(all[1]).toMatchObject({ call_id: id, push_provider: 'apns', push_prid: 'tok-1', push_kind: 'call' });
    expect(all[2]).toMatchObject({ contact: 'sip:m@127.0.0.1:5070', registrar_node: 'n2', push_wake_ms: 640 });
    expect(all[3]).toMatchObject({ hook_event: 'channel_destroy', push_provider: 'apns', push_wake_ms: 640 });
    expect(receiver.got('/push-sent').map((r) => JSON.parse(r.body).hook_event)).toEqual(['push_sent']);
  });

  it('retries through the delay queues until a receiver that was down comes back', async () => {
    const h = await hook('/flaky', { retries: 4 });
    receiver.on('/flaky', (n) => (n <= 2 ? 503 : 200));
    const id = callId();
    await publishCallEvent(bus, callEvent('CHANNEL_ANSWER', id, acct.id));
    await waitFor(() => receiver.got('/flaky').length >= 3, { timeoutMs: 10_000 });
    // The log is written in batches after the answers: wait for the third entry.
    const attempts = await waitFor(async () => {
      const log = await scratch.directory.webhooks.attempts(acct.id, h.id);
      return log.length >= 3 ? log : undefined;
    });
    expect(attempts.map((a) => [a.attempt, a.result, a.status_code])).toEqual([
      [3, 'success', 200],
      [2, 'failure', 503],
      [1, 'failure', 503],
    ]);
  });

  it('delivers after the receiver itself was unreachable (connection refused)', async () => {
    const down = new HookReceiver();
    await down.listen();
    const port = down.port;
    await down.close();
    const h = await scratch.directory.webhooks.create(acct.id, { name: 'down', uri: `http://127.0.0.1:${port}/later`, hook: 'channel_create', retries: 4 });
    await publishCallEvent(bus, callEvent('CHANNEL_CREATE', callId(), acct.id));
    const log = scratch.directory.webhooks;
    for (let i = 0; i < 100 && (await log.attempts(acct.id, h.id)).length === 0; i++) await sleep(20);
    await down.listen(port);
    try {
      await waitFor(() => down.got('/later').length === 1, { timeoutMs: 10_000 });
      const attempts = await log.attempts(acct.id, h.id);
      expect(attempts[0]).toMatchObject({ result: 'success' });
      expect(attempts.at(-1)).toMatchObject({ result: 'failure', error: expect.stringMatching(/ECONNREFUSED|refused/i) });
    } finally {
      await down.close();
    }
  });

  it('stops on 410 without retrying', async () => {
    const h = await hook('/gone', { hook: 'channel_answer', retries: 4 });
    receiver.on('/gone', () => 410);
    await publishCallEvent(bus, callEvent('CHANNEL_ANSWER', callId(), acct.id));
    await waitFor(() => receiver.got('/gone').length === 1, { timeoutMs: 10_000 });
    await sleep(600);
    expect(receiver.got('/gone')).toHaveLength(1);
    expect(await scratch.directory.webhooks.attempts(acct.id, h.id)).toEqual([expect.objectContaining({ result: 'gone', status_code: 410 })]);
  });

  it('sends form-data bodies and GET query strings, both signed', async () => {
    const form = await hook('/form', { hook: 'channel_answer', format: 'form-data', http_verb: 'put' });
    const get = await hook('/get', { hook: 'channel_answer', http_verb: 'get' });
    const id = callId();
    await publishCallEvent(bus, callEvent('CHANNEL_ANSWER', id, acct.id));
    await waitFor(() => receiver.got('/form').length === 1 && receiver.got('/get').length === 1, { timeoutMs: 10_000 });
    const [f] = receiver.got('/form');
    expect(f?.method).toBe('PUT');
    expect(f?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const params = new URLSearchParams(f?.body);
    expect(params.get('call_id')).toBe(id);
    expect(params.get('account_id')).toBe(acct.id);
    expect(verifySignature(form.secret, f?.body ?? '', String(f?.headers['x-legwork-signature']), Math.floor(Date.now() / 1000))).toBe(true);
    const [g] = receiver.got('/get');
    expect(g?.method).toBe('GET');
    expect(g?.query.get('hook_event')).toBe('channel_answer');
    expect(verifySignature(get.secret, g?.query.toString() ?? '', String(g?.headers['x-legwork-signature']), Math.floor(Date.now() / 1000))).toBe(true);
  });

  it('serves sub-account events to ancestors that include sub-accounts, and never other accounts', async () => {
    const sub = await scratch.directory.accounts.create({ name: `sub${randomBytes(4).toString('hex')}`, realm: `sub${randomBytes(4).toString('hex')}.local` }, acct.id);
    const other = await scratch.directory.accounts.create({ name: `oth${randomBytes(4).toString('hex')}`, realm: `oth${randomBytes(4).toString('hex')}.local` });
    await hook('/tree', { hook: 'channel_create', include_subaccounts: true });
    await hook('/own-only', { hook: 'channel_create' });
    await publishCallEvent(bus, callEvent('CHANNEL_CREATE', callId(), other.id));
    const subCall = callId();
    await publishCallEvent(bus, callEvent('CHANNEL_CREATE', subCall, sub.id));
    await waitFor(() => receiver.got('/tree').length === 1, { timeoutMs: 10_000 });
    await sleep(300);
    expect(receiver.got('/tree').map((r) => JSON.parse(r.body).call_id)).toEqual([subCall]);
    expect(receiver.got('/own-only')).toHaveLength(0);
  });

  it('disables a hook after 6 failures in the window, says so on the bus, parks the job; re-enable and replay deliver it', async () => {
    const notices: unknown[] = [];
    const q = await bus.declareQueue(`test.notices.${randomBytes(3).toString('hex')}`, { bindings: [{ exchange: 'callevt', routingKey: 'webhook.disabled.*' }] });
    scratch.queues.push(q);
    const consumer = await bus.consume(q, z.looseObject({}), async (m) => void notices.push(m));
    const h = await hook('/broken', { hook: 'channel_answer', retries: 4 });
    receiver.on('/broken', () => 500);
    // retries 4 is four attempts per event: a second event brings the failures to six.
    const [first, second] = [callId(), callId()];
    await publishCallEvent(bus, callEvent('CHANNEL_ANSWER', first, acct.id));
    await waitFor(() => receiver.got('/broken').length >= 4, { timeoutMs: 10_000 });
    await sleep(150);
    await publishCallEvent(bus, callEvent('CHANNEL_ANSWER', second, acct.id));
    await waitFor(() => receiver.got('/broken').length >= 6, { timeoutMs: 10_000 });
    for (let i = 0; i < 100 && notices.length === 0; i++) await sleep(20);
    await consumer.cancel();
    const disabled = await scratch.directory.webhooks.get(acct.id, h.id);
    expect(disabled).toMatchObject({ enabled: false, disabled_reason: expect.stringContaining('6 failed deliveries') });
    expect(notices).toEqual([expect.objectContaining({ 'App-Name': 'webhooks', 'Event-Name': 'webhook_disabled', 'Hook-ID': h.id, 'Account-ID': acct.id, Failures: 6 })]);
    await sleep(300);
    expect(receiver.got('/broken')).toHaveLength(6);

    receiver.on('/broken', () => 200);
    await scratch.directory.webhooks.patch(acct.id, h.id, { 're-enable': true });
    expect(await replayDeadDeliveries(bus, { idleMs: 300, retryTiersMs: TIERS })).toBeGreaterThanOrEqual(2);
    await waitFor(() => receiver.got('/broken').length === 8, { timeoutMs: 10_000 });
    expect(receiver.got('/broken').slice(6).map((r) => JSON.parse(r.body).call_id).sort()).toEqual([first, second].sort());
    const newest = await waitFor(async () => {
      const [last] = await scratch.directory.webhooks.attempts(acct.id, h.id);
      return last?.result === 'success' ? last : undefined;
    });
    expect(newest).toMatchObject({ result: 'success', attempt: 1 });
  });

  it('makes max(1, retries) attempts in all: retries 0 and 1 try once, retries 2 twice', async () => {
    const hooks = await Promise.all([0, 1, 2].map((retries) => hook(`/retries-${retries}`, { hook: 'channel_create', retries })));
    for (const retries of [0, 1, 2]) receiver.on(`/retries-${retries}`, () => 503);
    await publishCallEvent(bus, callEvent('CHANNEL_CREATE', callId(), acct.id));
    await waitFor(() => receiver.got('/retries-2').length >= 2 && receiver.got('/retries-0').length >= 1 && receiver.got('/retries-1').length >= 1, { timeoutMs: 10_000 });
    await sleep(600);
    expect([0, 1, 2].map((retries) => receiver.got(`/retries-${retries}`).length)).toEqual([1, 1, 2]);
    const log = await waitFor(async () => {
      const entries = await scratch.directory.webhooks.attempts(acct.id, hooks[2]?.id ?? '');
      return entries.length >= 2 ? entries : undefined;
    });
    expect(log.map((a) => [a.attempt, a.result])).toEqual([[2, 'failure'], [1, 'failure']]);
  });

  it("sends form-data by default, Kazoo's format, with the curated fields and the caller's channel vars in their own spelling", async () => {
    await scratch.directory.webhooks.create(acct.id, { name: 'default-format', uri: receiver.url('/default-format'), hook: 'channel_answer' });
    const id = callId();
    await publishCallEvent(bus, callEvent('CHANNEL_ANSWER', id, acct.id, { 'Custom-Channel-Vars': { 'Account-ID': acct.id, 'Owner-ID': 'u1', 'Order-Ref': 'X-9' } }));
    await waitFor(() => receiver.got('/default-format').length === 1, { timeoutMs: 10_000 });
    const [r] = receiver.got('/default-format');
    expect(r?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const params = new URLSearchParams(r?.body);
    expect([params.get('call_id'), params.get('owner_id'), params.get('custom_channel_vars[Order-Ref]'), params.get('local_resource_used'), params.get('is_internal_leg')]).toEqual([id, 'u1', 'X-9', 'true', 'false']);
    expect([...params.keys()].filter((k) => k.startsWith('custom_channel_vars'))).toEqual(['custom_channel_vars[Order-Ref]']);
  });

  it('skips internal legs for include_internal_legs: false, and events the modifiers rule out', async () => {
    await hook('/no-internal', { hook: 'channel_create', include_internal_legs: false });
    await hook('/inbound-only', { hook: 'channel_create', modifiers: { call_direction: 'inbound' } });
    await hook('/these-callers', { hook: 'channel_create', modifiers: { caller_id_number: ['+15555550100', '1001'] } });
    const [internal, outside, inbound] = [callId(), callId(), callId()];
    await publishCallEvent(bus, callEvent('CHANNEL_CREATE', internal, acct.id, { 'Channel-Is-Loopback': true }));
    await publishCallEvent(bus, callEvent('CHANNEL_CREATE', outside, acct.id, { 'Caller-ID-Number': '2002' }));
    await publishCallEvent(bus, callEvent('CHANNEL_CREATE', inbound, acct.id, { 'Call-Direction': 'inbound' }));
    await waitFor(() => receiver.got('/no-internal').length >= 2 && receiver.got('/inbound-only').length >= 1 && receiver.got('/these-callers').length >= 2, { timeoutMs: 10_000 });
    await sleep(300);
    const ids = (path: string) => receiver.got(path).map((r) => JSON.parse(r.body).call_id).sort();
    expect(ids('/no-internal')).toEqual([outside, inbound].sort());
    expect(ids('/inbound-only')).toEqual([inbound]);
    expect(ids('/these-callers')).toEqual([internal, inbound].sort());
  });

  it('with two workers sharing the queues, delivers each event exactly once per hook', async () => {
    const second = await startWorker('w2');
    workers.push(second);
    await hook('/twice-a', { hook: 'all' });
    await hook('/twice-b', { hook: 'channel_answer' });
    const ids = Array.from({ length: 10 }, callId);
    for (const id of ids) await publishCall(id);
    await waitFor(() => receiver.got('/twice-a').length >= 40 && receiver.got('/twice-b').length >= 10, { timeoutMs: 10_000 });
    await sleep(500);
    const keys = (path: string) => receiver.got(path).map((r) => { const b = JSON.parse(r.body); return `${b.call_id}/${b.hook_event}`; });
    expect(new Set(keys('/twice-a')).size).toBe(40);
    expect(keys('/twice-a')).toHaveLength(40);
    expect(keys('/twice-b').sort()).toEqual(ids.map((id) => `${id}/channel_answer`).sort());
  });

  describe('per-call callbacks', () => {
    const secret = `api-token-${randomBytes(8).toString('hex')}`;
    const job = (path: string, uri = receiver.url(path)): CallbackJob => {
      const targetId = `callback-${randomBytes(4).toString('hex')}`;
      const base = { target_id: targetId, account_id: acct.id };
      return {
        kind: 'callback', ...base, call_id: callId(), uri, sealed_secret: scratch.directory.secretBox.seal(secret, callbackSecretContext(base)),
        payload: { result_code: 0, uuid: 'leg-1' }, attempt: 1, max_attempts: CALLBACK_ATTEMPTS, queued_at: Date.now(),
      };
    };

    it('posts the JSON payload once, signed with the caller\'s key, through the deliver queue', async () => {
      const j = job('/callback-ok');
      await enqueueCallback(bus, j);
      await waitFor(() => receiver.got('/callback-ok').length === 1, { timeoutMs: 10_000 });
      await sleep(300);
      const [r] = receiver.got('/callback-ok');
      expect(receiver.got('/callback-ok')).toHaveLength(1);
      expect(r?.method).toBe('POST');
      expect(JSON.parse(r?.body ?? '{}')).toEqual({ result_code: 0, uuid: 'leg-1' });
      expect(r?.headers['x-hook-id']).toBe(j.target_id);
      expect(verifySignature(secret, r?.body ?? '', String(r?.headers['x-legwork-signature']), Math.floor(Date.now() / 1000))).toBe(true);
      expect(JSON.stringify(j)).not.toContain(secret);
    });

    it('retries a failing receiver on the delay tiers, at most CALLBACK_ATTEMPTS times', async () => {
      receiver.on('/callback-flaky', (n) => (n === 1 ? 500 : 200));
      receiver.on('/callback-down', () => 503);
      await enqueueCallback(bus, job('/callback-flaky'));
      await enqueueCallback(bus, job('/callback-down'));
      await waitFor(() => receiver.got('/callback-flaky').length === 2 && receiver.got('/callback-down').length === CALLBACK_ATTEMPTS, { timeoutMs: 10_000 });
      await sleep(600);
      expect(receiver.got('/callback-flaky')).toHaveLength(2);
      expect(receiver.got('/callback-down')).toHaveLength(CALLBACK_ATTEMPTS);
    });

    it('refuses a private address it was not allowed to call (the account hooks\' SSRF rules)', async () => {
      const strict = new WebhookWorker({ bus: await scratch.bus('strict'), directory: scratch.directory, config: { ...config, allowedHosts: [] }, appName: 'webhooks', appVersion: '0.1.0' });
      await Promise.all(workers.map((w) => w.stop()));
      workers = [];
      await strict.start();
      const j = job('/callback-private');
      try {
        await enqueueCallback(bus, j);
        await sleep(1000);
        expect(receiver.got('/callback-private')).toHaveLength(0);
      } finally {
        await strict.stop();
        workers.push(await startWorker('w1'));
      }
      // refused, not lost: parked in the dead queue with the guard's reason (other parked jobs are put back as they were)
      let parked: Record<string, unknown> | undefined;
      const dead = await bus.consume(WEBHOOK_TOPOLOGY.deadQueue, z.looseObject({}), async (m, ctx) => {
        if (m['target_id'] === j.target_id) parked = ctx.headers;
        else await bus.publish(WEBHOOK_TOPOLOGY.exchange, WEBHOOK_TOPOLOGY.deadKey, m, { headers: ctx.headers as Record<string, string> });
      });
      for (let i = 0; i < 200 && parked === undefined; i++) await sleep(20);
      await dead.cancel();
      expect(parked).toMatchObject({ [WEBHOOK_DEAD_HEADERS.reason]: 'retries_exhausted', [WEBHOOK_DEAD_HEADERS.error]: expect.stringContaining('private or reserved address') });
    });
  });
});
