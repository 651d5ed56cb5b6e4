import { useEffect, useRef, useState } from 'preact/hooks';
import type { Json, KazooClient } from '../api/kazoo-client';
import { ErrorBox } from '../components/error-box';
import { loadSipServer } from './sip-server';
import { Softphone, type PhoneState } from './softphone';

/** The device's SIP username and the account's realm: what the phone registers as. */
async function identityOf(client: KazooClient, deviceId: string): Promise<{ username: string; realm: string }> {
  const [device, account] = await Promise.all([client.get<Json>(client.path(`/devices/${encodeURIComponent(deviceId)}`)), client.get<Json>(client.path(''))]);
  const username = (device['sip'] as Json | undefined)?.['username'];
  if (typeof username !== 'string' || username === '') throw new Error('this device has no SIP username');
  return { username, realm: String(account['realm'] ?? '') };
}

/** The in-page softphone: registers as one of the account's devices; stays up while the user moves between pages. */
export function PhonePanel({ client }: { client: KazooClient }) {
  const audio = useRef<HTMLAudioElement>(null);
  const phone = useRef<Softphone | undefined>(undefined);
  const [state, setState] = useState<PhoneState>({ registration: 'off' });
  const [devices, setDevices] = useState<Json[]>([]);
  const [deviceId, setDeviceId] = useState('');
  /** The device the phone registered as: its calls are quickcalls from it. */
  const [asDevice, setAsDevice] = useState('');
  const [password, setPassword] = useState('');
  const [number, setNumber] = useState('');
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    client.get<Json[]>(client.path('/devices')).then(setDevices, setError);
    return () => void phone.current?.stop();
  }, [client]);

  const register = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    try {
      const id = deviceId || String(devices[0]?.['id'] ?? '');
      const [who, server] = await Promise.all([identityOf(client, id), loadSipServer()]);
      await phone.current?.stop();
      if (audio.current === null) return;
      phone.current = new Softphone({ server, password, ...who }, audio.current, setState);
      setAsDevice(id);
      // the password lives on in the phone's memory only: the form forgets it
      setPassword('');
      await phone.current.start();
    } catch (err) {
      setError(err);
    }
  };

  // the platform takes no calls from devices: a call from the phone is a quickcall that rings it first, answered at once
  const dial = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    phone.current?.expectCallback();
    const path = client.path(`/devices/${encodeURIComponent(asDevice)}/quickcall/${encodeURIComponent(number.trim())}?auto_answer=true&media=process`);
    await client.get(path).catch((err: unknown) => setError(err));
  };

  const registered = state.registration === 'registered';
  const call = state.call?.state === 'ended' ? undefined : state.call;
  return (
    <aside class="phone" data-registration={state.registration} data-call={call?.state ?? 'none'}>
      <h3>Softphone</h3>
      <audio ref={audio} autoPlay />
      {!registered ? (
        <form class="phone-login" onSubmit={register}>
          <select name="phone_device" value={deviceId} onChange={(e) => setDeviceId((e.target as HTMLSelectElement).value)}>
            {devices.map((d) => (
              <option key={String(d['id'])} value={String(d['id'])}>
                {String(d['name'] ?? d['id'])}
              </option>
            ))}
          </select>
          <input name="phone_password" type="password" autoComplete="off" placeholder="SIP password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} required />
          <button type="submit" disabled={state.registration === 'registering' || devices.length === 0}>
            Register
          </button>
        </form>
      ) : (
        <div class="phone-status">
          Registered <button onClick={() => void phone.current?.stop()}>Unregister</button>
        </div>
      )}
      {state.registration === 'failed' && <div class="error" role="alert">Registration failed: {state.detail}</div>}
      {call !== undefined ? (
        <div class="phone-call" data-call-id={call.id}>
          <span>
            {call.state === 'ringing' ? 'Incoming call from ' : 'Call with '}
            {call.from}
          </span>
          {call.state === 'ringing' && (
            <button data-action="answer" onClick={() => void phone.current?.answer().catch(setError)}>
              Answer
            </button>
          )}
          <button class="danger" data-action="phone-hangup" onClick={() => void phone.current?.hangup().catch(setError)}>
            {call.state === 'ringing' ? 'Decline' : 'Hang up'}
          </button>
        </div>
      ) : (
        registered && (
          <form class="phone-dial" onSubmit={dial}>
            <input name="phone_number" value={number} onInput={(e) => setNumber((e.target as HTMLInputElement).value)} placeholder="number" required maxLength={64} />
            <button type="submit">Call</button>
          </form>
        )
      )}
      <ErrorBox error={error} />
    </aside>
  );
}
