import { useState } from 'preact/hooks';
import type { KazooClient } from '../api/kazoo-client';
import { ErrorBox } from '../components/error-box';
import type { LiveCall } from './live-calls';

type ActionBody = { action: 'hangup' | 'hold' | 'unhold' } | { action: 'transfer'; target: string } | { action: 'record'; record_action: 'start' | 'stop' };

/** Kazoo's PUT /v2/accounts/{id}/channels/{call_id}: one action at a time, the last refusal kept to show. */
function useChannelAction(client: KazooClient, callId: string) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = (body: ActionBody): void => {
    setBusy(true);
    setError(undefined);
    client
      .put(client.path(`/channels/${encodeURIComponent(callId)}`), body)
      .catch((err: unknown) => setError(err))
      .finally(() => setBusy(false));
  };
  return { run, busy, error };
}

const over = (call: LiveCall): boolean => call.state === 'ended' || call.state === 'failed';

/**
 * Hold or unhold, record start or stop, a blind transfer to a number or extension typed in, and hangup. The buttons
 * follow the leg's state as the event stream tells it; whatever the platform refuses is shown in its own words.
 */
export function CallControls({ client, call }: { client: KazooClient; call: LiveCall }) {
  const { run, busy, error } = useChannelAction(client, call.callId);
  const [target, setTarget] = useState('');
  if (over(call)) return null;
  const recording = call.recording === 'recording' || call.recording === 'paused';
  const transfer = (ev: Event): void => {
    ev.preventDefault();
    run({ action: 'transfer', target });
  };
  return (
    <div class="controls">
      {call.state === 'held' ? (
        <button data-action="unhold" disabled={busy} onClick={() => run({ action: 'unhold' })}>
          Unhold
        </button>
      ) : (
        <button data-action="hold" disabled={busy} onClick={() => run({ action: 'hold' })}>
          Hold
        </button>
      )}
      <button data-action={recording ? 'record-stop' : 'record-start'} disabled={busy} onClick={() => run({ action: 'record', record_action: recording ? 'stop' : 'start' })}>
        {recording ? 'Stop recording' : 'Record'}
      </button>
      <form class="transfer" onSubmit={transfer}>
        <input name="transfer_target" placeholder="number or extension" value={target} onInput={(e) => setTarget((e.target as HTMLInputElement).value)} />
        <button type="submit" data-action="transfer" disabled={busy || target.trim() === ''}>
          Transfer
        </button>
      </form>
      <button class="danger" data-action="hangup" disabled={busy} onClick={() => run({ action: 'hangup' })}>
        Hang up
      </button>
      <ErrorBox error={error} />
    </div>
  );
}
