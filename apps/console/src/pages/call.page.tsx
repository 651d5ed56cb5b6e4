import { useEffect, useState } from 'preact/hooks';
import type { Json, KazooClient } from '../api/kazoo-client';
import type { LiveCalls } from '../calls/use-live-calls';
import { ErrorBox } from '../components/error-box';
import { HangupButton } from './calls.page';

const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 23);

/** One call: its events in order (as the stream delivered them) and, once it ended, its CDR. */
export function CallPage({ client, live, callId }: { client: KazooClient; live: LiveCalls; callId: string }) {
  const call = live.calls.get(callId);
  const [cdr, setCdr] = useState<Json>();
  const [error, setError] = useState<unknown>();
  const ended = call?.state === 'ended' || call?.state === 'failed';

  const loadCdr = (): void => {
    setError(undefined);
    client
      .get<Json>(client.path(`/cdrs/${encodeURIComponent(callId)}`))
      .then(setCdr)
      .catch((err: unknown) => setError(err));
  };
  // the CDR is written from CHANNEL_DESTROY, so it is asked for once the call ended
  useEffect(() => {
    if (ended || call === undefined) loadCdr();
  }, [callId, ended]);

  return (
    <section>
      <h2>Call {callId}</h2>
      {call !== undefined && (
        <p>
          {call.direction} {call.from} → {call.to}, <span data-call-state={call.state}>{call.state}</span> <HangupButton client={client} call={call} />
        </p>
      )}
      <h3>Timeline</h3>
      {call === undefined || call.timeline.length === 0 ? (
        <p class="empty">No events seen for this call since the console opened.</p>
      ) : (
        <ol class="timeline">
          {call.timeline.map((t, i) => (
            <li key={`${t.name}-${i}`} data-event={t.name}>
              <time>{clock(t.at)}</time> <strong>{t.name}</strong> {t.detail ?? ''}
            </li>
          ))}
        </ol>
      )}
      {call?.otherLeg !== undefined && (
        <p>
          Other leg: <a href={`#/calls/${encodeURIComponent(call.otherLeg)}`}>{call.otherLeg}</a>
        </p>
      )}
      <h3>CDR</h3>
      <button onClick={loadCdr}>Reload CDR</button>
      {cdr !== undefined ? <pre class="cdr">{JSON.stringify(cdr, null, 2)}</pre> : <ErrorBox error={error} />}
    </section>
  );
}
