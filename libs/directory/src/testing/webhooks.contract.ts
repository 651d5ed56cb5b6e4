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
      expect(hook).toMatchObject({ account_id: acct.id, http_verb: 'post', retries: 2, format: 'form-data', include_internal_legs: true, enabled: true, include_subaccounts: false, custom_data: { team: 'sales' } });
      expect(hook).not.toHaveProperty('modifiers');
      expect(hook.secret).toMatch(/^[0-9a-f]{64}$/);
      const replaced = await dir.webhooks.replace(acct.id, hook.id, { ...hookDoc, secret: 'mine', http_verb: 'get' });
      expect(replaced).toMatchObject({ secret: hook.secret, http_verb: 'get', revision: expect.stringMatching(/^2-/) });
      const patched = await dir.webhooks.patch(acct.id, hook.id, { format: 'json' });
      expect(patched).toMatchObject({ secret: hook.secret, http_verb: 'get', format: 'json' });
      expect((await dir.webhooks.list(acct.id)).map((w) => w.id)).toEqual([hook.id]);
      await dir.webhooks.delete(acct.id, hook.id);
      await expectDirectoryError(dir.webhooks.get(acct.id, hook.id), 'not_found');
    });

    it('keeps Kazoo’s ranges and the fields Kazoo honours beyond its schema', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      for (const retries of [0, 4]) expect((await dir.webhooks.create(acct.id, { ...hookDoc, retries })).retries).toBe(retries);
      const hook = await dir.webhooks.create(acct.id, { ...hookDoc, hook: 'all', include_internal_legs: false, modifiers: { call_direction: 'inbound', caller_id_number: ['1001', '1002'], empty: [] } });
      expect(await dir.webhooks.get(acct.id, hook.id)).toMatchObject({ hook: 'all', include_internal_legs: false, modifiers: { call_direction: 'inbound', caller_id_number: ['1001', '1002'], empty: [] } });
      expect(await dir.webhooks.patch(acct.id, hook.id, { modifiers: null })).not.toHaveProperty('modifiers');
    });

    it('validates every field, naming it', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      await expectDirectoryError(dir.webhooks.create(acct.id, { ...hookDoc, uri: 'ftp://x' }), 'invalid_document', 'uri', 'format');
      await expectDirectoryError(dir.webhooks.create(acct.id, { ...hookDoc, hook: 'channel_park' }), 'invalid_document', 'hook');
      await expectDirectoryError(dir.webhooks.create(acct.id, { ...hookDoc, retries: 5 }), 'invalid_document', 'retries', 'maximum');
      await expectDirectoryError(dir.webhooks.create(acct.id, { ...hookDoc, retries: -1 }), 'invalid_document', 'retries', 'minimum');
      await expectDirectoryError(dir.webhooks.create(acct.id, { ...hookDoc, include_internal_legs: 'no' }), 'invalid_document', 'include_internal_legs', 'type');
      await expectDirectoryError(dir.webhooks.create(acct.id, { ...hookDoc, modifiers: { call_direction: { nested: true } } }), 'invalid_document', 'modifiers.call_direction');
      await expectDirectoryError(dir.webhooks.create(acct.id, { ...hookDoc, modifiers: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'])) }), 'invalid_document', 'modifiers', 'maxProperties');
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

    it('re-enables every auto-disabled hook of the account at once, and none switched off by hand', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const other = await account(dir);
      const auto = await dir.webhooks.create(acct.id, hookDoc);
      const manual = await dir.webhooks.create(acct.id, { ...hookDoc, enabled: false });
      const running = await dir.webhooks.create(acct.id, hookDoc);
      const elsewhere = await dir.webhooks.create(other.id, hookDoc);
      for (const [a, id] of [[acct.id, auto.id], [other.id, elsewhere.id]] as const) {
        await dir.webhooks.recordFailure(a, id, 60_000);
        await dir.webhooks.disable(a, id, '6 failed deliveries within 60 s');
      }
      expect((await dir.webhooks.reEnableAll(acct.id)).map((w) => w.id)).toEqual([auto.id]);
      expect(await dir.webhooks.get(acct.id, auto.id)).toMatchObject({ enabled: true });
      expect(await dir.webhooks.get(acct.id, auto.id)).not.toHaveProperty('disabled_reason');
      expect(await dir.webhooks.recordFailure(acct.id, auto.id, 60_000)).toBe(1);
      expect((await dir.webhooks.get(acct.id, manual.id)).enabled).toBe(false);
      expect((await dir.webhooks.get(acct.id, running.id)).revision).toBe(running.revision);
      expect(await dir.webhooks.get(other.id, elsewhere.id)).toMatchObject({ enabled: false, disabled_reason: expect.any(String) });
      expect(await dir.webhooks.reEnableAll(acct.id)).toEqual([]);
      await expectDirectoryError(dir.webhooks.reEnableAll('d'.repeat(32)), 'not_found');
    });

    it('serves the attempts of every hook of the account, newest first, each naming its hook', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const one = await dir.webhooks.create(acct.id, hookDoc);
      const two = await dir.webhooks.create(acct.id, hookDoc);
      await dir.webhooks.recordAttempt(acct.id, one.id, attempt(1));
      await dir.webhooks.recordAttempt(acct.id, two.id, attempt(2));
      await dir.webhooks.recordAttempt(acct.id, one.id, attempt(3));
      expect(await dir.webhooks.accountAttempts(acct.id)).toEqual([
        { ...attempt(3), hook_id: one.id },
        { ...attempt(2), hook_id: two.id },
        { ...attempt(1), hook_id: one.id },
      ]);
      await dir.webhooks.delete(acct.id, two.id);
      expect((await dir.webhooks.accountAttempts(acct.id)).map((a) => a.hook_id)).toEqual([one.id, one.id]);
      await expectDirectoryError(dir.webhooks.accountAttempts('d'.repeat(32)), 'not_found');
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

    it('logs a batch of attempts in order, the last newest', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const hook = await dir.webhooks.create(acct.id, hookDoc);
      await dir.webhooks.recordAttempt(acct.id, hook.id, attempt(1));
      await dir.webhooks.recordAttempts(acct.id, hook.id, [attempt(2), attempt(3), attempt(4)]);
      await dir.webhooks.recordAttempts(acct.id, hook.id, []);
      expect((await dir.webhooks.attempts(acct.id, hook.id)).map((a) => a.attempt)).toEqual([4, 3, 2, 1]);
    });

    it('bumps the account generation on every write of its hooks, and only its own', async () => {
      const dir = h().directory;
      const acct = await account(dir);
      const other = await account(dir);
      const gen = async (): Promise<number> => (await dir.webhooks.generations([acct.id]))[0] ?? -1;
      expect(await gen()).toBe(0);
      const seen: number[] = [];
      const hook = await dir.webhooks.create(acct.id, hookDoc);
      seen.push(await gen());
      await dir.webhooks.replace(acct.id, hook.id, { ...hookDoc, uri: 'https://crm.example.com/v2' });
      seen.push(await gen());
      await dir.webhooks.patch(acct.id, hook.id, { retries: 3 });
      seen.push(await gen());
      await dir.webhooks.disable(acct.id, hook.id, 'failing');
      seen.push(await gen());
      await dir.webhooks.reEnableAll(acct.id);
      seen.push(await gen());
      await dir.webhooks.patch(acct.id, hook.id, { 're-enable': true });
      seen.push(await gen());
      await dir.webhooks.recordAttempt(acct.id, hook.id, attempt(1));
      await dir.webhooks.recordFailure(acct.id, hook.id, 1000);
      seen.push(await gen());
      await dir.webhooks.delete(acct.id, hook.id);
      seen.push(await gen());
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 6, 7]);
      expect(await dir.webhooks.generations([other.id, acct.id])).toEqual([0, 7]);
      await dir.webhooks.create(acct.id, hookDoc);
      await dir.accounts.delete(acct.id);
      expect(await gen()).toBeGreaterThan(8);
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
