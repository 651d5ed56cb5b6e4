import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('resolves with the first value that holds, after re-checking', async () => {
    let n = 0;
    await expect(waitFor(() => (++n >= 3 ? `done at ${n}` : undefined), { intervalMs: 1 })).resolves.toBe('done at 3');
    let flag = 0;
    await expect(waitFor(async () => ++flag > 2, { intervalMs: 1 })).resolves.toBe(true);
  });

  it('treats 0 and the empty string as values, false, undefined and null as not yet', async () => {
    await expect(waitFor(() => 0)).resolves.toBe(0);
    await expect(waitFor(() => '')).resolves.toBe('');
    const seen: unknown[] = [];
    const answers = [false, undefined, null, 'ok'];
    await expect(waitFor(() => (seen.push(answers[seen.length]), answers[seen.length - 1]), { intervalMs: 1 })).resolves.toBe('ok');
    expect(seen).toEqual(answers);
  });

  it('fails past the timeout naming what it waited for, reading a message function only then', async () => {
    let read = 0;
    const message = (): string => `state ${++read}`;
    await expect(waitFor(() => false, { timeoutMs: 30, intervalMs: 5, message })).rejects.toThrow('timed out after 30 ms waiting for state 1');
    expect(read).toBe(1);
    await expect(waitFor(() => false, { timeoutMs: 10, intervalMs: 5 })).rejects.toThrow('waiting for condition');
  });

  it('fails at once when abort gives a reason, and with the error of a check that throws', async () => {
    let checks = 0;
    await expect(waitFor(() => (checks++, false), { timeoutMs: 10_000, message: 'the peer', abort: () => (checks >= 2 ? 'it exited' : undefined) })).rejects.toThrow('the peer: it exited');
    expect(checks).toBe(2);
    await expect(waitFor(() => { throw new Error('broken check'); })).rejects.toThrow('broken check');
  });
});
