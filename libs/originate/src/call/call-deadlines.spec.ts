import { CallDeadlines, type Expiring } from './call-deadlines';

describe('CallDeadlines', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const who = (name: string, log: string[]): Expiring => ({ expire: () => log.push(name) });

  it('expires each at its deadline, in deadline order, whatever the order they were set in', () => {
    const log: string[] = [];
    const deadlines = new CallDeadlines();
    const t0 = Date.now();
    deadlines.set(who('late', log), t0 + 3000);
    deadlines.set(who('early', log), t0 + 1000);
    deadlines.set(who('middle', log), t0 + 2000);
    jest.advanceTimersByTime(999);
    expect(log).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(log).toEqual(['early']);
    jest.advanceTimersByTime(2000);
    expect(log).toEqual(['early', 'middle', 'late']);
    expect(deadlines.size).toBe(0);
  });

  it('moves a deadline that is set again, and forgets a removed one (no timer left once none waits)', () => {
    const log: string[] = [];
    const deadlines = new CallDeadlines();
    const t0 = Date.now();
    const a = who('a', log);
    const b = who('b', log);
    deadlines.set(a, t0 + 5000);
    deadlines.set(a, t0 + 1000, t0 + 5000);
    deadlines.set(b, t0 + 2000);
    deadlines.remove(b, t0 + 2000);
    jest.advanceTimersByTime(1000);
    expect(log).toEqual(['a']);
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(5000);
    expect(log).toEqual(['a']);
  });

  it('waits past the longest delay a timer takes', () => {
    const log: string[] = [];
    const deadlines = new CallDeadlines();
    deadlines.set(who('far', log), Date.now() + 2 ** 31 + 10_000);
    jest.advanceTimersByTime(2 ** 31);
    expect(log).toEqual([]);
    jest.advanceTimersByTime(10_000);
    expect(log).toEqual(['far']);
  });

  it('removes the right one among many, with equal deadlines too', () => {
    const log: string[] = [];
    const deadlines = new CallDeadlines();
    const t0 = Date.now();
    const all = Array.from({ length: 50 }, (_, i) => ({ w: who(`c${i}`, log), at: t0 + 1000 + Math.floor(i / 5) * 100 }));
    for (const { w, at } of all) deadlines.set(w, at);
    const removed = new Set([0, 7, 8, 9, 23, 49]);
    for (const i of removed) deadlines.remove(all[i].w, all[i].at);
    deadlines.remove(all[1].w, all[1].at + 1);
    expect(deadlines.size).toBe(50 - removed.size);
    jest.advanceTimersByTime(3000);
    expect(log).toEqual(all.map((_, i) => `c${i}`).filter((_, i) => !removed.has(i)));
  });
});
