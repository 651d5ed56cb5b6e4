import { useEffect, useState } from 'preact/hooks';
import type { KazooClient } from '../api/kazoo-client';
import type { LiveCalls } from '../calls/use-live-calls';
import { durationOf, formatDuration, type LiveCall } from '../calls/live-calls';
import { CallControls } from '../calls/call-controls';
import { href } from '../router';

/** Re-renders every second so durations tick. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function CallsTable({ client, calls, only }: { client: KazooClient; calls: LiveCall[]; only?: ReadonlySet<string> }) {
  const now = useNow();
  const rows = calls.filter((c) => only === undefined || only.has(c.callId) || (c.otherLeg !== undefined && only.has(c.otherLeg)));
  if (rows.length === 0) return <p class="empty">No calls.</p>;
  return (
    <table class="calls">
      <thead>
        <tr>
          <th>Call</th>
          <th>Direction</th>
          <th>Dialect</th>
          <th>From</th>
          <th>To</th>
          <th>State</th>
          <th>Recording</th>
          <th>Duration</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.callId} data-call-id={c.callId} data-state={c.state} data-recording={c.recording} class={`state-${c.state}`}>
            <td>
              <a href={href('calls', c.callId)} title={c.callId}>
                {c.callId.length > 18 ? `${c.callId.slice(0, 18)}…` : c.callId}
              </a>
            </td>
            <td data-column="direction">{c.direction}</td>
            <td data-column="dialect">{c.dialect}</td>
            <td>{c.from}</td>
            <td>{c.to}</td>
            <td class="state">
              {c.state}
              {c.hangupCause !== undefined ? ` (${c.hangupCause})` : ''}
            </td>
            <td data-column="recording">{c.recording === 'off' ? '' : c.recording}</td>
            <td class="duration">{formatDuration(durationOf(c, now))}</td>
            <td>
              <CallControls client={client} call={c} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Live calls of the account, newest first, updated from the event stream. */
export function CallsPage({ client, live }: { client: KazooClient; live: LiveCalls }) {
  const calls = [...live.calls.values()].sort((a, b) => b.createdAt - a.createdAt);
  return (
    <section>
      <h2>Live calls</h2>
      <p class={`stream stream-${live.status}`} data-stream={live.status}>
        Event stream: {live.status}
        {live.detail !== undefined ? ` — ${live.detail}` : ''}
      </p>
      <CallsTable client={client} calls={calls} />
    </section>
  );
}
