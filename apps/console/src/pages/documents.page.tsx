import { useEffect, useState } from 'preact/hooks';
import type { Json, KazooClient } from '../api/kazoo-client';
import { ErrorBox } from '../components/error-box';
import { DocumentEditor } from './document-editor';
import type { KindSpec } from './documents.kinds';
import { WebhookAttempts } from './webhook-attempts';

const cell = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Devices get a `registered` column from Kazoo's devices/status. */
async function listOf(client: KazooClient, spec: KindSpec): Promise<Json[]> {
  const rows = await client.get<Json[]>(client.path(`/${spec.kind}`));
  if (spec.kind !== 'devices') return rows;
  const status = await client.get<Array<{ device_id: string; registered: boolean }>>(client.path('/devices/status')).catch(() => []);
  const registered = new Map(status.map((s) => [s.device_id, s.registered]));
  return rows.map((r) => ({ ...r, registered: registered.has(String(r['id'])) ? (registered.get(String(r['id'])) ? 'yes' : 'no') : '?' }));
}

type Editing = { mode: 'create' } | { mode: 'edit'; doc: Json } | undefined;

/** One Kazoo collection: list, create, edit and delete through /v2/accounts/{id}/<kind>. */
export function DocumentsPage({ client, spec }: { client: KazooClient; spec: KindSpec }) {
  const [rows, setRows] = useState<Json[]>();
  const [editing, setEditing] = useState<Editing>();
  const [confirming, setConfirming] = useState<string>();
  const [once, setOnce] = useState<Json>();
  const [error, setError] = useState<unknown>();
  const [attemptsOf, setAttemptsOf] = useState<string>();

  const reload = (): void => {
    listOf(client, spec)
      .then(setRows)
      .catch((err: unknown) => setError(err));
  };
  useEffect(() => {
    setRows(undefined);
    setEditing(undefined);
    setOnce(undefined);
    setError(undefined);
    reload();
  }, [client, spec]);

  const act = (work: Promise<unknown>): void => {
    setError(undefined);
    work.then(reload).catch((err: unknown) => setError(err));
  };
  const open = (id: string): void => act(client.get<Json>(client.path(`/${spec.kind}/${encodeURIComponent(id)}`)).then((doc) => setEditing({ mode: 'edit', doc })));
  const save = async (doc: Json): Promise<void> => {
    if (editing?.mode === 'edit') {
      await client.patch(client.path(`/${spec.kind}/${encodeURIComponent(String(editing.doc['id']))}`), doc);
    } else {
      const created = await client.put<Json>(client.path(`/${spec.kind}`), doc);
      const secrets = (spec.shownOnce ?? []).filter((k) => created[k] !== undefined);
      setOnce(secrets.length > 0 ? Object.fromEntries(secrets.map((k) => [k, created[k]])) : undefined);
    }
    setEditing(undefined);
    reload();
  };

  return (
    <section data-kind={spec.kind}>
      <h2>{spec.title}</h2>
      <button onClick={() => setEditing({ mode: 'create' })}>New {spec.noun}</button>
      {spec.kind === 'webhooks' && (
        <button onClick={() => act(client.patch(client.path('/webhooks'), { 're-enable': true }))}>Re-enable all disabled hooks</button>
      )}
      {once !== undefined && (
        <div class="once" role="status">
          Shown once, store it now: <pre>{JSON.stringify(once, null, 2)}</pre>
        </div>
      )}
      {editing !== undefined && (
        <DocumentEditor key={editing.mode === 'edit' ? String(editing.doc['id']) : 'new'} spec={spec} doc={editing.mode === 'edit' ? editing.doc : undefined} save={save} cancel={() => setEditing(undefined)} />
      )}
      <ErrorBox error={error} />
      {rows === undefined ? (
        <p class="empty">Loading…</p>
      ) : rows.length === 0 ? (
        <p class="empty">None yet.</p>
      ) : (
        <table class="documents">
          <thead>
            <tr>
              {spec.columns.map((c) => (
                <th key={c.key}>{c.label}</th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const id = String(r['id']);
              return (
                <tr key={id} data-id={id}>
                  {spec.columns.map((c) => (
                    <td key={c.key} data-column={c.key}>
                      {cell(r[c.key])}
                    </td>
                  ))}
                  <td class="actions">
                    {spec.editable && <button onClick={() => open(id)}>Edit</button>}
                    {spec.kind === 'webhooks' && <button onClick={() => setAttemptsOf(attemptsOf === id ? undefined : id)}>Deliveries</button>}
                    {spec.kind === 'webhooks' && r['enabled'] === false && (
                      <button onClick={() => act(client.patch(client.path(`/webhooks/${encodeURIComponent(id)}`), { 're-enable': true }))}>Re-enable</button>
                    )}
                    {confirming === id ? (
                      <button class="danger" onClick={() => act(client.delete(client.path(`/${spec.kind}/${encodeURIComponent(id)}`)).finally(() => setConfirming(undefined)))}>
                        Confirm delete
                      </button>
                    ) : (
                      <button onClick={() => setConfirming(id)}>Delete</button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {spec.kind === 'webhooks' && <WebhookAttempts client={client} hookId={attemptsOf} />}
    </section>
  );
}
