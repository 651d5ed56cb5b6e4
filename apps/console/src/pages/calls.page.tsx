import { useEffect, useState } from 'preact/hooks';
import type { KazooClient } from '../api/kazoo-client';
import type { LiveCalls } from '../calls/use-live-calls';
import { durationOf, formatDuration, type LiveCall } from '../calls/live-calls';
import { ErrorBox } from '../components/error-box';
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

/** Hangs a leg up: Kazoo's PUT /v2/accounts/{id}/channels/{call_id} {"action":"hangup"}. */
export function HangupButton({ client, call }: { client: KazooClient; call: LiveCall }) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  if (call.state === 'ended' || call.state === 'failed') return null;
  const hangup = (): void => {
    setBusy(true);
    client
      .put(client.path(`/channels/${encodeURIComponent(call.callId)}`), { action: 'hangup' })
      .catch((err: unknown) => setError(err))
      .finally(() => setBusy(false));
  };
  return (
    <>
      <button class="danger" data-action="hangup" disabled={busy} onClick={hangup}>
        Hang up
      </button>
      <ErrorBox error={error} />
    </>
  );
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
          <th>From</th>
          <th>To</th>
          <th>State</th>
          <th>Duration</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.callId} data-call-id={c.callId} data-state={c.state} class={`state-${c.state}`}>
            <td>
              <a href={href('calls', c.callId)} title={c.callId}>
                {c.callId.length > 18 ? `${c.callId.slice(0, 18)}…` : c.callId}
              </a>
            </td>
            <td>{c.direction}</td>
            <td>{c.from}</td>
            <td>{c.to}</td>
            <td class="state">
              {c.state}
              {c.hangupCause !== undefined ? ` (${c.hangupCause})` : ''}
            </td>
            <td class="duration">{formatDuration(durationOf(c, now))}</td>
            <td>
              <HangupButton client={client} call={c} />
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
