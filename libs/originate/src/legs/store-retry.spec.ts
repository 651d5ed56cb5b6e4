import { waitFor } from '@legwork/common/testing';
import { silentLogger } from '@legwork/common';
import { StoreRetry } from './store-retry';

const unreachable = (): Error => Object.assign(new Error('Reached the max retries per request limit (which is 2).'), { name: 'MaxRetriesPerRequestError' });

describe('StoreRetry', () => {
  const logger = silentLogger;

  it('tries a write again while the store is unreachable, until it lands', async () => {
    const retry = new StoreRetry({ logger, intervalMs: 10 });
    let calls = 0;
    const write = async (): Promise<string> => {
      calls += 1;
      if (calls <= 3) throw unreachable();
      return 'ended';
    };
    expect(await retry.attempt('leg-1 end', write)).toBeUndefined();
    expect(retry.pending).toBe(1);
    await waitFor(() => retry.pending === 0, { message: 'the write landed', timeoutMs: 5000 });
    expect(calls).toBe(4);
  });

  it('gives the result at once when the write works, and never retries other failures', async () => {
    const retry = new StoreRetry({ logger, intervalMs: 10 });
    expect(await retry.attempt('leg-2 end', async () => 42)).toBe(42);
    let calls = 0;
    expect(await retry.attempt('leg-3 end', async () => {
      calls += 1;
      throw new Error('no such call');
    })).toBeUndefined();
    expect(retry.pending).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(1);
  });

  it('stops trying once the time is up', async () => {
    const retry = new StoreRetry({ logger, intervalMs: 10, giveUpAfterMs: 50 });
    let calls = 0;
    await retry.attempt('leg-4 end', async () => {
      calls += 1;
      throw unreachable();
    });
    await waitFor(() => retry.pending === 0, { message: 'given up', timeoutMs: 5000 });
    const after = calls;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls).toBe(after);
    expect(after).toBeGreaterThan(1);
  });
});
