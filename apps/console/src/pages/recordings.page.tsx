import { useEffect, useRef, useState } from 'preact/hooks';
import type { KazooClient } from '../api/kazoo-client';
import { ErrorBox } from '../components/error-box';
import { href } from '../router';

/** A recording as GET /v2/accounts/{id}/recordings lists it. */
interface Recording {
  id: string;
  call_id: string;
  media_name: string;
  duration_ms: number;
  size_bytes: number;
  started_at: number;
}

const when = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Blob URLs of the WAVs fetched with the token, one per recording, freed when the page goes. */
function useAudioUrls(client: KazooClient) {
  const urls = useRef(new Map<string, string>());
  useEffect(() => () => urls.current.forEach((u) => URL.revokeObjectURL(u)), []);
  return async (r: Recording): Promise<string> => {
    const known = urls.current.get(r.id);
    if (known !== undefined) return known;
    const blob = await client.blob(client.path(`/recordings/${encodeURIComponent(r.id)}`), 'audio/wav');
    const url = URL.createObjectURL(blob);
    urls.current.set(r.id, url);
    return url;
  };
}

/** The account's call recordings, newest first: play one in the page, or download its WAV. */
export function RecordingsPage({ client }: { client: KazooClient }) {
  const [list, setList] = useState<Recording[]>();
  const [playing, setPlaying] = useState<{ id: string; url: string }>();
  const [error, setError] = useState<unknown>();
  const audioUrl = useAudioUrls(client);

  const load = (): void => {
    setError(undefined);
    client
      .get<Recording[]>(client.path('/recordings'))
      .then(setList)
      .catch((err: unknown) => setError(err));
  };
  useEffect(load, [client]);

  const play = (r: Recording): void => {
    audioUrl(r)
      .then((url) => setPlaying({ id: r.id, url }))
      .catch((err: unknown) => setError(err));
  };
  const download = (r: Recording): void => {
    audioUrl(r)
      .then((url) => {
        const a = document.createElement('a');
        a.href = url;
        a.download = r.media_name;
        a.click();
      })
      .catch((err: unknown) => setError(err));
  };

  return (
    <section class="recordings">
      <h2>Recordings</h2>
      <button onClick={load}>Reload</button>
      <ErrorBox error={error} />
      {playing !== undefined && <audio controls preload="auto" src={playing.url} data-recording={playing.id} />}
      {list === undefined ? (
        <p class="empty">{error === undefined ? 'Loading…' : ''}</p>
      ) : list.length === 0 ? (
        <p class="empty">No recordings.</p>
      ) : (
        <table class="documents">
          <thead>
            <tr>
              <th>Started</th>
              <th>Call</th>
              <th>Length</th>
              <th>Size</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.id} data-id={r.id} data-call-id={r.call_id}>
                <td>{when(r.started_at)}</td>
                <td>
                  <a href={href('calls', r.call_id)}>{r.call_id}</a>
                </td>
                <td data-column="duration">{seconds(r.duration_ms)}</td>
                <td>{Math.ceil(r.size_bytes / 1024)} KiB</td>
                <td>
                  <button data-action="play" onClick={() => play(r)}>
                    Play
                  </button>
                  <button data-action="download" onClick={() => download(r)}>
                    Download
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
