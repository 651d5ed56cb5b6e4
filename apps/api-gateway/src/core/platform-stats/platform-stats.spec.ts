import { PlatformStats } from './platform-stats';

const T0 = 1_800_000_000_000;

describe('PlatformStats: channels per second, concurrency, ASR and webhook backlog in buckets', () => {
  const stats = (): PlatformStats => new PlatformStats({ bucketMs: 5000, windowMs: 20_000 }, T0);

  it('counts new channels per second and the most channels up at once in each bucket', () => {
    const s = stats();
    for (const id of ['a', 'b', 'c', 'd', 'e']) s.created(id, T0 + 100);
    s.destroyed('a', T0 + 5100);
    expect(s.snapshot(T0 + 5200).points).toEqual([
      { at: T0, channels_per_second: 1, concurrent_channels: 5, answer_seizure_ratio: null, webhook_backlog: null },
      // the bucket opens with the five still up; one ending in it does not lower its peak
      { at: T0 + 5000, channels_per_second: 0, concurrent_channels: 5, answer_seizure_ratio: 0, webhook_backlog: null },
    ]);
  });

  it('ASR is answered over ended among the channels it saw created; a destroy of one it never saw counts nothing', () => {
    const s = stats();
    for (const id of ['a', 'b', 'c', 'd']) s.created(id, T0);
    s.answered('a');
    s.answered('b');
    s.answered('b');
    s.answered('never-created');
    for (const id of ['a', 'b', 'c', 'before-start']) s.destroyed(id, T0 + 1000);
    const [point] = s.snapshot(T0 + 1000).points;
    expect(point).toMatchObject({ answer_seizure_ratio: 2 / 3, concurrent_channels: 4 });
    expect(s.snapshot(T0 + 5000).points[1]).toMatchObject({ concurrent_channels: 1 });
  });

  it('fills quiet buckets carrying the state over, and keeps only the window', () => {
    const s = stats();
    s.created('a', T0);
    s.backlog(7, T0);
    const points = s.snapshot(T0 + 60_000).points;
    expect(points.map((p) => p.at)).toEqual([T0 + 45_000, T0 + 50_000, T0 + 55_000, T0 + 60_000]);
    expect(points.every((p) => p.concurrent_channels === 1 && p.webhook_backlog === 7 && p.channels_per_second === 0)).toBe(true);
  });

  it('the same channel created twice (a redelivered event) is up once', () => {
    const s = stats();
    s.created('a', T0);
    s.created('a', T0);
    s.destroyed('a', T0);
    expect(s.snapshot(T0).points[0]).toMatchObject({ concurrent_channels: 1, answer_seizure_ratio: 0 });
    expect(s.snapshot(T0 + 5000).points[1]).toMatchObject({ concurrent_channels: 0 });
  });
});
