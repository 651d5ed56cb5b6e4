import { useEffect, useState } from 'preact/hooks';
import type { Json, KazooClient } from '../api/kazoo-client';
import { CallControls } from '../calls/call-controls';
import { callTimeline } from '../calls/call-history';
import { useCallHistory } from '../calls/use-call-history';
import type { LiveCalls } from '../calls/use-live-calls';
import { ErrorBox } from '../components/error-box';

const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 23);

/** Which leg a timeline line is about: this page's, or a link to the other one's page. */
function LegName({ leg, page }: { leg: string; page: string }) {
  if (leg === page) return <span class="leg">this leg</span>;
  return (
    <a class="leg" href={`#/calls/${encodeURIComponent(leg)}`} title={leg}>
      {leg.length > 12 ? `${leg.slice(0, 12)}…` : leg}
    </a>
  );
}

/** One call: its whole history in Event-Sequence order (the logged events, then the live ones) and, once it ended, its CDR. */
export function CallPage({ client, live, callId }: { client: KazooClient; live: LiveCalls; callId: string }) {
  const history = useCallHistory(client, callId);
  const call = live.calls.get(callId) ?? history.calls.get(callId);
  // the console's own stream and the call's history deliver the same events: each is shown once
  const timeline = callTimeline(callId, history.legs, history.calls, live.calls);
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
          {call.direction} {call.from} → {call.to}, <span data-call-state={call.state}>{call.state}</span>
          {call.dialect !== '' ? ` via ${call.dialect}` : ''}
          {call.recording !== 'off' ? `, recording ${call.recording}` : ''} <CallControls client={client} call={call} />
        </p>
      )}
      <h3>Timeline</h3>
      <p class={`stream stream-${history.status}`} data-history={history.status}>
        History: {history.status}
        {history.detail !== undefined ? ` — ${history.detail}` : ''}
        {history.complete ? '' : ' (the event log had already dropped some older events of this account)'}
      </p>
      {timeline.length === 0 ? (
        <p class="empty">No events of this call in the event log.</p>
      ) : (
        <ol class="timeline">
          {timeline.map((t) => (
            <li key={t.key} data-event={t.name} data-sequence={t.sequence} data-leg={t.leg}>
              <time>{clock(t.at)}</time> <span class="seq">{t.sequence !== undefined ? `#${t.sequence}` : ''}</span> <LegName leg={t.leg} page={callId} /> <strong>{t.name}</strong> {t.detail ?? ''}
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
