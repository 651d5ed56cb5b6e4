import { WEBHOOK_ATTEMPTS_KEPT } from '../repos/webhook.repo';
import type { WebhookAttempt } from '../schemas/webhook.schema';
import { account, expectDirectoryError, type DirectoryHarness } from './directory-harness';

const hookDoc = { name: 'crm', uri: 'https://crm.example.com/hooks', hook: 'channel_answer' };
const attempt = (n: number): WebhookAttempt => ({ timestamp: 1_700_000_000_000 + n, hook_event: 'channel_answer', attempt: n, result: 'failure', status_code: 500, duration_ms: 3 });

export function webhookContract(h: () => DirectoryHarness): void {
  describe('webhooks', () => {
    it('creates hooks with Kazoo defaults and a secret that survives writes', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const hook = await dir.webhooks.create(acct.id, { ...hookDoc, custom_data: { team: 'sales' } });
      expect(hook).toMatchObject({ account_id: acct.id, http_verb: 'post', retries: 3, format: 'json', enabled: true, include_subaccounts: false, custom_data: { team: 'sales' } });
      expect(hook.secret).toMatch(/^[0-9a-f]{64}$/);
      const replaced = await dir.webhooks.replace(acct.id, hook.id, { ...hookDoc, secret: 'mine', http_verb: 'get' });
      expect(replaced).toMatchObject({ secret: hook.secret, http_verb: 'get', revision: expect.stringMatching(/^2-/) });
      const patched = await dir.webhooks.patch(acct.id, hook.id, { format: 'form-data' });
      expect(patched).toMatchObject({ secret: hook.secret, http_verb: 'get', format: 'form-data' });
      expect((await dir.webhooks.list(acct.id)).map((w) => w.id)).toEqual([hook.id]);
      await dir.webhooks.delete(acct.id, hook.id);
      await expectDirectoryError(dir.webhooks.get(acct.id, hook.id), 'not_found');
    });

    it('validates every field, naming it', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      await expectDirectoryError(dir.webhooks.create(acct.id, { ...hookDoc, uri: 'ftp://x' }), 'invalid_document', 'uri', 'format');
      await expectDirectoryError(dir.webhooks.create(acct.id, { ...hookDoc, hook: 'channel_park' }), 'invalid_document', 'hook');
      await expectDirectoryError(dir.webhooks.create(acct.id, { ...hookDoc, retries: 6 }), 'invalid_document', 'retries', 'maximum');
      await expectDirectoryError(dir.webhooks.create(acct.id, { ...hookDoc, http_verb: 'delete' }), 'invalid_document', 'http_verb');
      await expectDirectoryError(dir.webhooks.create(acct.id, { ...hookDoc, format: 'xml' }), 'invalid_document', 'format');
      await expectDirectoryError(dir.webhooks.create('c'.repeat(32), hookDoc), 'not_found');
    });

    it('disables with a reason, re-enables on {"re-enable": true} and resets the failure window', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const hook = await dir.webhooks.create(acct.id, hookDoc);
      expect(await dir.webhooks.recordFailure(acct.id, hook.id, 60_000)).toBe(1);
      expect(await dir.webhooks.recordFailure(acct.id, hook.id, 60_000)).toBe(2);
      const disabled = await dir.webhooks.disable(acct.id, hook.id, 'too many failures');
      expect(disabled).toMatchObject({ enabled: false, disabled_reason: 'too many failures' });
      expect(await dir.webhooks.patch(acct.id, hook.id, { name: 'renamed' })).toMatchObject({ enabled: false, disabled_reason: 'too many failures' });
      const enabled = await dir.webhooks.patch(acct.id, hook.id, { 're-enable': true });
      expect(enabled.enabled).toBe(true);
      expect(enabled).not.toHaveProperty('disabled_reason');
      expect(await dir.webhooks.get(acct.id, hook.id)).not.toHaveProperty('disabled_reason');
      expect(await dir.webhooks.recordFailure(acct.id, hook.id, 60_000)).toBe(1);
    });

    it('keeps a bounded attempts log, newest first, and drops it with the hook', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const hook = await dir.webhooks.create(acct.id, hookDoc);
      for (let n = 1; n <= WEBHOOK_ATTEMPTS_KEPT + 5; n++) await dir.webhooks.recordAttempt(acct.id, hook.id, attempt(n));
      const log = await dir.webhooks.attempts(acct.id, hook.id);
      expect(log).toHaveLength(WEBHOOK_ATTEMPTS_KEPT);
      expect(log[0]).toEqual(attempt(WEBHOOK_ATTEMPTS_KEPT + 5));
      expect(log.at(-1)).toEqual(attempt(6));
      await dir.webhooks.delete(acct.id, hook.id);
      await expectDirectoryError(dir.webhooks.attempts(acct.id, hook.id), 'not_found');
      expect((await h().dump()).some((entry) => entry.includes(hook.id))).toBe(false);
    });

    it('counts failures in a window that expires', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const hook = await dir.webhooks.create(acct.id, hookDoc);
      expect(await dir.webhooks.recordFailure(acct.id, hook.id, 50)).toBe(1);
      expect(await dir.webhooks.recordFailure(acct.id, hook.id, 50)).toBe(2);
      h().clock.advance(100);
      await new Promise((r) => setTimeout(r, 120));
      expect(await dir.webhooks.recordFailure(acct.id, hook.id, 50)).toBe(1);
    });
  });
}
