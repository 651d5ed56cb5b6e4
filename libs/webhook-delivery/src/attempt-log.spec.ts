import { silentLogger } from '@legwork/common';
import { createDirectory, type Directory, type WebhookAttempt } from '@legwork/directory';
import { AttemptLog } from './attempt-log';

const entry = (attempt: number): WebhookAttempt => ({ timestamp: 1_700_000_000_000 + attempt, hook_event: 'channel_answer', attempt, result: 'success', status_code: 200, duration_ms: 1 });
let dir: Directory;

beforeEach(() => {
  dir = createDirectory({});
});
afterEach(() => dir.close());

describe('AttemptLog', () => {
  it('writes the attempts recorded in one turn together, one write per hook, in the order recorded', async () => {
    const acct = await dir.accounts.create({ name: 'a', realm: 'a.local' });
    const [one, two] = await Promise.all([dir.webhooks.create(acct.id, { name: 'one', uri: 'https://x.example.com/1', hook: 'all' }), dir.webhooks.create(acct.id, { name: 'two', uri: 'https://x.example.com/2', hook: 'all' })]);
    const writes: number[] = [];
    const write = dir.webhooks.recordAttempts.bind(dir.webhooks);
    dir.webhooks.recordAttempts = (a, h, attempts) => (writes.push(attempts.length), write(a, h, attempts));
    const log = new AttemptLog(dir, silentLogger);
    for (const n of [1, 2, 3]) log.record(acct.id, one?.id ?? '', entry(n));
    log.record(acct.id, two?.id ?? '', entry(9));
    await log.flush();
    expect(writes.sort()).toEqual([1, 3]);
    expect((await dir.webhooks.attempts(acct.id, one?.id ?? '')).map((a) => a.attempt)).toEqual([3, 2, 1]);
    expect((await dir.webhooks.attempts(acct.id, two?.id ?? '')).map((a) => a.attempt)).toEqual([9]);
  });

  it('keeps recording after a failed write, which it logs instead of throwing', async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (_: unknown, msg: string) => void warnings.push(msg) };
    const write = dir.webhooks.recordAttempts.bind(dir.webhooks);
    let fail = true;
    dir.webhooks.recordAttempts = (a, h, attempts) => (fail ? Promise.reject(new Error('redis down')) : write(a, h, attempts));
    const acct = await dir.accounts.create({ name: 'a', realm: 'a.local' });
    const hook = await dir.webhooks.create(acct.id, { name: 'one', uri: 'https://x.example.com/1', hook: 'all' });
    const log = new AttemptLog(dir, logger);
    log.record(acct.id, hook.id, entry(1));
    await log.flush();
    fail = false;
    log.record(acct.id, hook.id, entry(2));
    await log.flush();
    expect(warnings).toEqual(['webhook delivery log write failed']);
    expect((await dir.webhooks.attempts(acct.id, hook.id)).map((a) => a.attempt)).toEqual([2]);
  });

  it('writes again only after the gap, unless flushed: a busy worker batches the attempts of the gap', async () => {
    const acct = await dir.accounts.create({ name: 'a', realm: 'a.local' });
    const hook = await dir.webhooks.create(acct.id, { name: 'one', uri: 'https://x.example.com/1', hook: 'all' });
    const writes: number[] = [];
    const write = dir.webhooks.recordAttempts.bind(dir.webhooks);
    dir.webhooks.recordAttempts = (a, h, attempts) => (writes.push(attempts.length), write(a, h, attempts));
    const log = new AttemptLog(dir, silentLogger, 1000, 60_000);
    log.record(acct.id, hook.id, entry(1));
    await log.flush();
    log.record(acct.id, hook.id, entry(2));
    await new Promise((r) => setTimeout(r, 20));
    log.record(acct.id, hook.id, entry(3));
    await new Promise((r) => setTimeout(r, 20));
    expect(writes).toEqual([1]);
    await log.flush();
    expect(writes).toEqual([1, 2]);
    expect((await dir.webhooks.attempts(acct.id, hook.id)).map((a) => a.attempt)).toEqual([3, 2, 1]);
  });
});
