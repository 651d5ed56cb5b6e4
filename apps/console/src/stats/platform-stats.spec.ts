import { latest, seriesOf, type StatsSnapshot } from './platform-stats';

describe('platform stats for the charts', () => {
  const snapshot: StatsSnapshot = {
    bucket_seconds: 5,
    window_seconds: 600,
    counting_since: 1_800_000_000_000,
    points: [
      { at: 1_800_000_000_000, channels_per_second: 0.4, concurrent_channels: 2, answer_seizure_ratio: null, webhook_backlog: null },
      { at: 1_800_000_005_000, channels_per_second: 0, concurrent_channels: 1, answer_seizure_ratio: 2 / 3, webhook_backlog: 4 },
    ],
  };

  it('aligns one array per chart on x in seconds, ASR as a percentage, gaps as null', () => {
    const { x, series } = seriesOf(snapshot);
    expect(x).toEqual([1_800_000_000, 1_800_000_005]);
    expect(Object.fromEntries(series.map((s) => [s.key, s.values]))).toEqual({
      channels_per_second: [0.4, 0],
      concurrent_channels: [2, 1],
      answer_seizure_ratio: [null, 66.7],
      webhook_backlog: [null, 4],
    });
  });

  it('the latest value skips trailing gaps, and is null when there is none', () => {
    expect([latest([1, 2, null]), latest([null, null]), latest([])]).toEqual([2, null, null]);
  });
});
