import { useEffect, useState } from 'preact/hooks';
import type { Json, KazooClient } from '../api/kazoo-client';
import { ErrorBox } from '../components/error-box';

const cell = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** The delivery log, newest first: one hook's (GET webhooks/{id}/attempts) or the account's (GET webhooks/attempts). */
export function WebhookAttempts({ client, hookId }: { client: KazooClient; hookId?: string }) {
  const [attempts, setAttempts] = useState<Json[]>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    setError(undefined);
    client
      .get<Json[]>(client.path(hookId === undefined ? '/webhooks/attempts' : `/webhooks/${encodeURIComponent(hookId)}/attempts`))
      .then(setAttempts)
      .catch((err: unknown) => setError(err));
  }, [client, hookId]);
  const columns = [...new Set((attempts ?? []).flatMap((a) => Object.keys(a)))].slice(0, 10);
  return (
    <div class="attempts">
      <h3>Deliveries {hookId === undefined ? 'of every hook' : `of ${hookId}`}</h3>
      <ErrorBox error={error} />
      {attempts !== undefined && attempts.length === 0 && <p class="empty">No deliveries yet.</p>}
      {attempts !== undefined && attempts.length > 0 && (
        <table>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {attempts.map((a, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c}>{cell(a[c])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
