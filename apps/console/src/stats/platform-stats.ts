import type { StatsSnapshot } from '@legwork/contracts';

export type { StatsPoint, StatsSnapshot } from '@legwork/contracts';

/** One chart: its title, the unit shown with the latest value, and the values (null is a gap). */
export interface Series {
  key: 'channels_per_second' | 'concurrent_channels' | 'answer_seizure_ratio' | 'webhook_backlog';
  title: string;
  unit: string;
  values: Array<number | null>;
}

/** The snapshot as uPlot wants it: x in seconds, one aligned array per chart; ASR as a percentage. */
export function seriesOf(snapshot: StatsSnapshot): { x: number[]; series: Series[] } {
  const p = snapshot.points;
  return {
    x: p.map((pt) => pt.at / 1000),
    series: [
      { key: 'channels_per_second', title: 'New channels per second', unit: '/s', values: p.map((pt) => pt.channels_per_second) },
      { key: 'concurrent_channels', title: 'Concurrent channels', unit: '', values: p.map((pt) => pt.concurrent_channels) },
      { key: 'answer_seizure_ratio', title: 'Answer-seizure ratio', unit: '%', values: p.map((pt) => (pt.answer_seizure_ratio === null ? null : Math.round(pt.answer_seizure_ratio * 1000) / 10)) },
      { key: 'webhook_backlog', title: 'Webhook backlog', unit: ' jobs', values: p.map((pt) => pt.webhook_backlog) },
    ],
  };
}

/** The latest value that is not a gap, for the figure beside each chart. */
export function latest(values: ReadonlyArray<number | null>): number | null {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null && values[i] !== undefined) return values[i] ?? null;
  return null;
}
