import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import type { Bus } from '@legwork/bus';
import { createDirectory, type Account, type Directory } from '@legwork/directory';
import { callEvent, HookReceiver, publishCallEvent, WebhookScratch } from './testing';
import { verifySignature } from './signature';
import { WebhookWorker } from './webhook-worker';

// Hooks cached by the workers: a write acknowledged by another process's directory (as the API's) shows on the next delivery.
const TIERS = [1000, 2000];
const scratch = new WebhookScratch(TIERS, 4);
const receiver = new HookReceiver();
const workers: WebhookWorker[] = [];
let bus: Bus;
let api: Directory;
let acct: Account;

const callId = (): string => `hw-${randomBytes(4).toString('hex')}@10.0.0.7`;
const answer = (id = callId(), account = acct): Promise<void> => publishCallEvent(bus, callEvent('CHANNEL_ANSWER', id, account.id));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await receiver.listen();
  bus = await scratch.bus('publisher');
  api = createDirectory({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', prefix: scratch.prefix, secretKeys: scratch.secretKeys });
  acct = await api.accounts.create({ name: `hw${randomBytes(4).toString('hex')}`, realm: `hw${randomBytes(4).toString('hex')}.local` });
  for (const node of ['w1', 'w2']) {
    const worker = new WebhookWorker({ bus: await scratch.bus(node), directory: scratch.directory, appName: 'webhooks', appVersion: '0.1.0', config: { allowedHosts: ['127.0.0.1'], retryTiersMs: TIERS, partitions: 4, rebalanceMs: 200 } });
    await worker.start();
    workers.push(worker);
  }
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await api.close();
  await receiver.close();
  await scratch.dispose();
});

describe('webhook deliveries after hook writes (cached hooks)', () => {
  it('delivers to the new URL, with the hook as written, right after each write is acknowledged', async () => {
    const hook = await api.webhooks.create(acct.id, { name: 'moving', uri: receiver.url('/v1'), hook: 'channel_answer', format: 'json' });
    await answer();
    await waitFor(() => receiver.got('/v1').length === 1, { timeoutMs: 10_000 });

    await api.webhooks.patch(acct.id, hook.id, { uri: receiver.url('/v2') });
    await answer();
    await waitFor(() => receiver.got('/v2').length === 1, { timeoutMs: 10_000 });

    await api.webhooks.replace(acct.id, hook.id, { name: 'moving', uri: receiver.url('/v3'), hook: 'channel_answer', format: 'form-data', custom_data: { step: '3' } });
    await answer();
    await waitFor(() => receiver.got('/v3').length === 1, { timeoutMs: 10_000 });
    const third = receiver.got('/v3')[0];
    expect(third?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(third?.body).get('step')).toBe('3');
    expect(verifySignature(hook.secret, third?.body ?? '', String(third?.headers['x-legwork-signature']), Math.floor(Date.now() / 1000))).toBe(true);
    expect([receiver.got('/v1').length, receiver.got('/v2').length]).toEqual([1, 1]);
  });

  it('stops delivering once a hook is disabled or deleted, and delivers to a hook created a moment ago', async () => {
    // An account of its own, so the only deliveries of its calls are to this test's hooks (the others' hooks stay enabled).
    const own = await api.accounts.create({ name: `hw${randomBytes(4).toString('hex')}`, realm: `hw${randomBytes(4).toString('hex')}.local` });
    const off = await api.webhooks.create(own.id, { name: 'off', uri: receiver.url('/off'), hook: 'channel_answer', format: 'json' });
    const gone = await api.webhooks.create(own.id, { name: 'gone', uri: receiver.url('/gone'), hook: 'channel_answer', format: 'json' });
    await answer(callId(), own);
    await waitFor(() => receiver.got('/off').length === 1 && receiver.got('/gone').length === 1, { timeoutMs: 10_000 });

    await api.webhooks.disable(own.id, off.id, 'switched off by the test');
    await api.webhooks.delete(own.id, gone.id);
    await api.webhooks.create(own.id, { name: 'fresh', uri: receiver.url('/fresh'), hook: 'channel_answer', format: 'json' });
    await answer(callId(), own);
    await waitFor(() => receiver.got('/fresh').length === 1, { timeoutMs: 10_000 });
    await sleep(300);
    expect([receiver.got('/off').length, receiver.got('/gone').length, receiver.got('/fresh').length]).toEqual([1, 1, 1]);
  });

  it('re-reads the hook for a job already queued when its URL changed before the job was delivered', async () => {
    const hook = await api.webhooks.create(acct.id, { name: 'queued', uri: receiver.url('/old'), hook: 'channel_answer', format: 'json', retries: 3 });
    receiver.on('/old', () => 503);
    await answer();
    await waitFor(() => receiver.got('/old').length === 1, { timeoutMs: 10_000 });
    // The retry waits out its delay (1 s) in place with the old URL cached; the write lands first.
    await api.webhooks.patch(acct.id, hook.id, { uri: receiver.url('/new') });
    await waitFor(() => receiver.got('/new').length === 1, { timeoutMs: 10_000 });
    expect(receiver.got('/old')).toHaveLength(1);
    const log = await waitFor(async () => {
      const attempts = await api.webhooks.attempts(acct.id, hook.id);
      return attempts.length === 2 ? attempts : undefined;
    }, { timeoutMs: 5_000 });
    expect(log?.map((a) => [a.attempt, a.result])).toEqual([[2, 'success'], [1, 'failure']]);
  });
});
