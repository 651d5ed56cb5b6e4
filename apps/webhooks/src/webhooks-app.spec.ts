import { waitFor } from '@legwork/common/testing';
import { createInfrastructure, createLogger, loadConfig } from '@legwork/platform';
import { callEvent, HookReceiver, publishCallEvent } from '@legwork/webhook-delivery/testing';
import { verifySignature } from '@legwork/webhook-delivery';
import { bootstrapWebhooks } from './bootstrap';
import { webhooksConfigSchema } from './webhooks.config';

describe('webhooks app (embedded infrastructure)', () => {
  it('delivers call events to a hook and retries through the in-process delay queues', async () => {
    const receiver = await new HookReceiver().listen();
    receiver.on('/app', (n) => (n === 1 ? 500 : 200));
    const logger = createLogger('webhooks', 'silent');
    const config = loadConfig(webhooksConfigSchema, { HOST: '127.0.0.1', WEBHOOKS_PORT: '0', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_RETRY_TIERS_MS: '50,100', WEBHOOK_ORDER_HOLD_MS: '0' });
    expect(config.WEBHOOK_RETRY_TIERS_MS).toEqual([50, 100]);
    const infra = createInfrastructure({ appName: 'webhooks', nodeId: 'wh-app', logger });
    await infra.start();
    const app = await bootstrapWebhooks({ config, infra, logger });
    try {
      const acct = await infra.directory.accounts.create({ name: 'whapp', realm: 'whapp.local' });
      const hook = await infra.directory.webhooks.create(acct.id, { name: 'app', uri: receiver.url('/app'), hook: 'channel_answer', format: 'json' });
      await publishCallEvent(infra.bus, callEvent('CHANNEL_ANSWER', 'app-call', acct.id));
      await waitFor(() => receiver.got('/app').length === 2, { timeoutMs: 10_000 });
      const [, second] = receiver.got('/app');
      expect(JSON.parse(second?.body ?? '{}')).toMatchObject({ hook_event: 'channel_answer', call_id: 'app-call', account_id: acct.id });
      expect(verifySignature(hook.secret, second?.body ?? '', String(second?.headers['x-legwork-signature']), Math.floor(Date.now() / 1000))).toBe(true);
    } finally {
      await app.close();
      await infra.close();
      await receiver.close();
    }
  });

  it('rejects a malformed retry tier list', () => {
    expect(() => loadConfig(webhooksConfigSchema, { WEBHOOK_RETRY_TIERS_MS: '1s,2s' })).toThrow(/WEBHOOK_RETRY_TIERS_MS/);
  });

  it('reads the partition count and order hold, refusing values out of range', () => {
    expect(loadConfig(webhooksConfigSchema, {})).toMatchObject({ WEBHOOK_PARTITIONS: 16, WEBHOOK_ORDER_HOLD_MS: 11_000 });
    expect(loadConfig(webhooksConfigSchema, { WEBHOOK_PARTITIONS: '4', WEBHOOK_ORDER_HOLD_MS: '0' })).toMatchObject({ WEBHOOK_PARTITIONS: 4, WEBHOOK_ORDER_HOLD_MS: 0 });
    expect(() => loadConfig(webhooksConfigSchema, { WEBHOOK_PARTITIONS: '0' })).toThrow(/WEBHOOK_PARTITIONS/);
    expect(() => loadConfig(webhooksConfigSchema, { WEBHOOK_PARTITIONS: 'many' })).toThrow(/WEBHOOK_PARTITIONS/);
    expect(() => loadConfig(webhooksConfigSchema, { WEBHOOK_ORDER_HOLD_MS: '-1' })).toThrow(/WEBHOOK_ORDER_HOLD_MS/);
  });

  it('reads the outage bound and backlog size, refusing values out of range', () => {
    expect(loadConfig(webhooksConfigSchema, {})).toMatchObject({ WEBHOOK_OUTAGE_MAX_SECONDS: 900, WEBHOOK_OUTAGE_BACKLOG_MAX: 100_000 });
    expect(loadConfig(webhooksConfigSchema, { WEBHOOK_OUTAGE_MAX_SECONDS: '1800', WEBHOOK_OUTAGE_BACKLOG_MAX: '500' })).toMatchObject({ WEBHOOK_OUTAGE_MAX_SECONDS: 1800, WEBHOOK_OUTAGE_BACKLOG_MAX: 500 });
    expect(() => loadConfig(webhooksConfigSchema, { WEBHOOK_OUTAGE_MAX_SECONDS: '0' })).toThrow(/WEBHOOK_OUTAGE_MAX_SECONDS/);
    expect(() => loadConfig(webhooksConfigSchema, { WEBHOOK_OUTAGE_MAX_SECONDS: 'long' })).toThrow(/WEBHOOK_OUTAGE_MAX_SECONDS/);
    expect(() => loadConfig(webhooksConfigSchema, { WEBHOOK_OUTAGE_BACKLOG_MAX: '0' })).toThrow(/WEBHOOK_OUTAGE_BACKLOG_MAX/);
  });
});
