import { useEffect, useState } from 'preact/hooks';
import type { KazooClient } from '../api/kazoo-client';
import { ErrorBox } from '../components/error-box';
import { latest, seriesOf, type StatsSnapshot } from '../stats/platform-stats';
import { StatsChart } from '../stats/stats-chart';

const POLL_MS = 5000;

/** The platform's live picture: the gateway's call and webhook counters over the last minutes, polled. */
export function StatsPage({ client }: { client: KazooClient }) {
  const [snapshot, setSnapshot] = useState<StatsSnapshot>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    let stopped = false;
    const load = (): void => {
      client
        .get<StatsSnapshot>(client.path('/platform_stats'))
        .then((s) => {
          if (stopped) return;
          setSnapshot(s);
          setError(undefined);
        })
        .catch((err: unknown) => !stopped && setError(err));
    };
    load();
    const t = setInterval(load, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(t);
    };
  }, [client]);

  const data = snapshot === undefined ? undefined : seriesOf(snapshot);
  return (
    <section class="stats">
      <h2>Platform</h2>
      <ErrorBox error={error} />
      {snapshot !== undefined && (
        <p class="empty">
          Last {snapshot.window_seconds / 60} minutes in {snapshot.bucket_seconds} s buckets, counted since {new Date(snapshot.counting_since).toLocaleTimeString()}.
        </p>
      )}
      {data?.series.map((s) => {
        const value = latest(s.values);
        return (
          <figure key={s.key} data-series={s.key} data-latest={value ?? ''}>
            <figcaption>
              {s.title}: <strong>{value === null ? '–' : `${value}${s.unit}`}</strong>
            </figcaption>
            <StatsChart x={data.x} values={s.values} label={s.title} />
          </figure>
        );
      })}
    </section>
  );
}
