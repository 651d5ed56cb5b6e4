import { useState } from 'preact/hooks';
import type { Json } from '../api/kazoo-client';
import { ErrorBox } from '../components/error-box';
import { getPath, setPath, type KindSpec } from './documents.kinds';

/** What the JSON box does not show: the id (in the URL) and each field the form has. */
function restOf(doc: Json, spec: KindSpec): Json {
  return spec.fields.reduce((d, f) => setPath(d, f.path, undefined), { ...doc, id: undefined } as Json);
}

const pruneEmpty = (doc: Json): Json =>
  Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined && !(typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)));

/** A document's form: its common fields as inputs, the rest as JSON; `save` gets the merged document. */
export function DocumentEditor({ spec, doc, save, cancel }: { spec: KindSpec; doc?: Json; save: (d: Json) => Promise<void>; cancel: () => void }) {
  const [values, setValues] = useState<Record<string, unknown>>(() => Object.fromEntries(spec.fields.map((f) => [f.path, doc === undefined ? undefined : getPath(doc, f.path)])));
  const [json, setJson] = useState(() => JSON.stringify(doc === undefined ? {} : restOf(doc, spec), null, 2));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    let rest: unknown;
    try {
      rest = JSON.parse(json === '' ? '{}' : json);
    } catch (err) {
      return setError(new Error(`Other fields: not JSON (${String(err)})`));
    }
    if (typeof rest !== 'object' || rest === null || Array.isArray(rest)) return setError(new Error('Other fields: must be a JSON object'));
    // empty inputs send nothing: a write-only password stays as it was
    const merged = spec.fields.reduce((d, f) => setPath(d, f.path, values[f.path] === '' ? undefined : values[f.path]), rest as Json);
    setBusy(true);
    try {
      await save(pruneEmpty(merged));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="editor" onSubmit={submit} data-editor={spec.kind}>
      {spec.fields.map((f) => {
        const name = f.path.replace(/\./g, '_');
        const value = values[f.path];
        const onValue = (v: unknown): void => setValues({ ...values, [f.path]: v });
        if (f.type === 'checkbox') {
          return (
            <label key={f.path} class="check">
              <input name={name} type="checkbox" checked={value === true} onChange={(e) => onValue((e.target as HTMLInputElement).checked)} /> {f.label}
            </label>
          );
        }
        if (f.type === 'select') {
          return (
            <label key={f.path}>
              {f.label}
              <select name={name} value={value === undefined ? '' : String(value)} onChange={(e) => onValue((e.target as HTMLSelectElement).value)}>
                <option value="">(default)</option>
                {(f.options ?? []).map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            </label>
          );
        }
        return (
          <label key={f.path}>
            {f.label}
            <input
              name={name}
              type={(f.type ?? 'text') as 'text'}
              autocomplete={f.type === 'password' ? 'new-password' : 'off'}
              required={f.required === true && doc === undefined}
              value={value === undefined ? '' : String(value)}
              onInput={(e) => {
                const raw = (e.target as HTMLInputElement).value;
                onValue(f.type === 'number' && raw !== '' ? Number(raw) : raw);
              }}
            />
          </label>
        );
      })}
      <label>
        Other fields (JSON, as the Kazoo API takes them)
        <textarea name="json" rows={8} value={json} onInput={(e) => setJson((e.target as HTMLTextAreaElement).value)} />
      </label>
      <div class="buttons">
        <button type="submit" disabled={busy}>
          Save
        </button>
        <button type="button" onClick={cancel}>
          Cancel
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}
