import { useEffect, useState } from 'preact/hooks';
import type { Json, KazooClient } from '../api/kazoo-client';
import type { LiveCalls } from '../calls/use-live-calls';
import { ErrorBox } from '../components/error-box';
import { CallsTable } from './calls.page';

interface Options {
  deviceId: string;
  number: string;
  autoAnswer: boolean;
  cidName: string;
  cidNumber: string;
  timeout: string;
  media: '' | 'bypass' | 'process';
}

/** The quickcall query string: only what the form set, as Kazoo names it. */
export function quickcallQuery(o: Options): string {
  const q = new URLSearchParams();
  q.set('auto_answer', String(o.autoAnswer));
  if (o.cidName.trim() !== '') q.set('cid-name', o.cidName.trim());
  if (o.cidNumber.trim() !== '') q.set('cid-number', o.cidNumber.trim());
  if (o.timeout.trim() !== '') q.set('timeout', o.timeout.trim());
  if (o.media !== '') q.set('media', o.media);
  return q.toString();
}

/** Click-to-call: Kazoo's quickcall from one of the account's devices, then the call's progress live. */
export function DialPage({ client, live }: { client: KazooClient; live: LiveCalls }) {
  const [devices, setDevices] = useState<Json[]>([]);
  const [options, setOptions] = useState<Options>({ deviceId: '', number: '', autoAnswer: true, cidName: '', cidNumber: '', timeout: '', media: '' });
  const [placed, setPlaced] = useState<Set<string>>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client
      .get<Json[]>(client.path('/devices'))
      .then((d) => {
        setDevices(d);
        if (d[0] !== undefined) setOptions((o) => (o.deviceId === '' ? { ...o, deviceId: String(d[0]?.['id']) } : o));
      })
      .catch((err: unknown) => setError(err));
  }, [client]);

  const set = <K extends keyof Options>(name: K, read: (t: HTMLInputElement) => Options[K]) => (e: Event) => setOptions({ ...options, [name]: read(e.target as HTMLInputElement) });
  const text = (t: HTMLInputElement): string => t.value;

  const dial = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      const path = client.path(`/devices/${encodeURIComponent(options.deviceId)}/quickcall/${encodeURIComponent(options.number.trim())}?${quickcallQuery(options)}`);
      const data = await client.get<{ endpoints?: Array<{ outbound_call_id?: string }> }>(path);
      setPlaced(new Set((data.endpoints ?? []).map((ep) => ep.outbound_call_id).filter((id): id is string => typeof id === 'string')));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h2>Click to call</h2>
      <form class="dial" onSubmit={dial}>
        <label>
          Device
          <select name="device" value={options.deviceId} onChange={set('deviceId', text)} required>
            {devices.map((d) => (
              <option key={String(d['id'])} value={String(d['id'])}>
                {String(d['name'] ?? d['id'])}
              </option>
            ))}
          </select>
        </label>
        <label>
          Number
          <input name="number" value={options.number} onInput={set('number', text)} placeholder="+14155550100 or an extension" required maxLength={64} />
        </label>
        <label class="check">
          <input name="auto_answer" type="checkbox" checked={options.autoAnswer} onChange={set('autoAnswer', (t) => t.checked)} /> Auto answer
        </label>
        <label>
          Caller id name (shown on the device)
          <input name="cid_name" value={options.cidName} onInput={set('cidName', text)} maxLength={128} />
        </label>
        <label>
          Caller id number
          <input name="cid_number" value={options.cidNumber} onInput={set('cidNumber', text)} maxLength={64} />
        </label>
        <label>
          Ring timeout (seconds)
          <input name="timeout" type="number" min={1} max={3600} value={options.timeout} onInput={set('timeout', text)} />
        </label>
        <label>
          Media
          <select name="media" value={options.media} onChange={set('media', (t) => t.value as Options['media'])}>
            <option value="">platform default</option>
            <option value="bypass">bypass</option>
            <option value="process">process (rtpengine)</option>
          </select>
        </label>
        <button type="submit" disabled={busy || options.deviceId === ''}>
          Call
        </button>
      </form>
      <ErrorBox error={error} />
      {placed !== undefined && (
        <>
          <h3>This call</h3>
          <CallsTable client={client} calls={[...live.calls.values()]} only={placed} />
        </>
      )}
    </section>
  );
}
